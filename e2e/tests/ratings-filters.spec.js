// Ratings view: the judge and included-model filters, the long-bootstrap progress bar with
// Cancel, and a settings change that supersedes a run in flight. Numbers are compared with the
// CLI's output for the same filters (e2e/fixtures, commands in its README).
const { test, expect } = require('@playwright/test');

const { tick } = require('../support/checklist');
const { cli, expectSameAsCli, leaderboard } = require('../support/leaderboard');

async function openSyntheticArena(page) {
  await page.goto('./');
  await page.getByTestId('sample-menu').selectOption('synthetic-arena');
  await expect(page.getByTestId('dataset-card')).toHaveCount(1);
  await page.getByTestId('tab-ratings').click();
}

// The synthetic arena without intervals, all 40 models on the leaderboard: the start of most
// filter tests. Returns the leaderboard rows.
async function openArenaWithoutIntervals(page) {
  await openSyntheticArena(page);
  await page.getByTestId('ratings-ci').selectOption('none');
  const rows = page.getByTestId('leaderboard-row');
  await expect(rows).toHaveCount(40);
  return rows;
}

test('judge and included-model filters give the CLI leaderboard for the same filters', async ({ page }) => {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const rows = await openArenaWithoutIntervals(page);
  // Judges: 2,482 in this log; the checklist searches them.
  await tick(page, 'ratings-judges', ['arena_user_0', 'arena_user_1', 'arena_user_2']);
  await expect(page.getByTestId('ratings-judges-summary')).toContainText('arena_user_0, arena_user_1 and 1 more');
  await expect(rows.first()).toContainText('xenon-123b');
  expectSameAsCli(await leaderboard(page), cli('ratings-judges-0-2.csv'), { intervals: false });
  await page.getByTestId('ratings-judges-summary').click();
  await page.getByTestId('ratings-judges-clear').click();
  await page.getByTestId('ratings-judges-summary').click();
  await expect(rows).toHaveCount(40);
  // Six models kept, with 1000-round bootstrap intervals: the worker pauses between rounds, the
  // numbers are still the CLI's (same seed, same random stream).
  await page.getByTestId('ratings-ci').selectOption('bootstrap');
  await tick(page, 'ratings-include-models', ['atlas-mini', 'aurora-70b', 'beacon-pro', 'dune-34b', 'echo-turbo', 'quartz-22b']);
  await expect(rows).toHaveCount(6, { timeout: 60_000 });
  expectSameAsCli(await leaderboard(page), cli('ratings-six-models-bootstrap.csv'), { intervals: true });
  // Keyboard: the summary opens with Enter, the search takes focus with Tab, Space ticks.
  await page.getByTestId('ratings-languages-summary').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('ratings-languages-search')).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('ratings-languages-search')).toBeFocused();
  await page.keyboard.type('Engl');
  await expect(page.getByTestId('ratings-languages-option')).toHaveCount(1);
  await page.getByTestId('ratings-languages-option').focus();
  await page.keyboard.press('Space');
  await expect(page.getByTestId('ratings-languages-summary')).toContainText('English');
  await page.screenshot({ path: 'test-results/ratings-filters.png', fullPage: false });
  expect(errors).toEqual([]);
});

test('categories are a multi-select: two tags keep battles tagged with either, as the CLI does', async ({ page }) => {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const rows = await openArenaWithoutIntervals(page);
  // Each option shows how many battles carry the tag.
  await page.getByTestId('ratings-categories-summary').click();
  await expect(page.getByTestId('ratings-categories-option')).toHaveCount(2);
  await page.getByTestId('ratings-categories-summary').click();
  await tick(page, 'ratings-categories', ['math_v0.1.math', 'if_v0.1.if']);
  await expect(page.getByTestId('ratings-categories-summary')).toContainText('math_v0.1.math, if_v0.1.if');
  await expect(rows.first()).toContainText('xenon-123b');
  expectSameAsCli(await leaderboard(page), cli('ratings-two-categories.csv'), { intervals: false });
  expect(errors).toEqual([]);
});

test('a long bootstrap shows progress, Cancel stops it at once, and the page stays usable', async ({ page }) => {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await openArenaWithoutIntervals(page);
  await page.getByTestId('ratings-rounds').fill('10000');
  await page.getByTestId('ratings-rounds').dispatchEvent('change');
  await page.getByTestId('ratings-ci').selectOption('bootstrap');
  const text = page.getByTestId('ratings-progress-text');
  await expect(text).toHaveText(/^bootstrap \d+\/10000$/);
  // Rounds advance while we watch.
  const done = async () => Number((await text.innerText()).match(/(\d+)\//)?.[1] ?? 0);
  await expect.poll(done).toBeGreaterThan(50);
  const first = await done();
  await expect.poll(done).toBeGreaterThan(first);
  await page.screenshot({ path: 'test-results/ratings-progress.png', clip: { x: 0, y: 150, width: 1280, height: 330 } });
  await page.getByTestId('ratings-cancel').click();
  const cancelled = page.getByTestId('ratings-cancelled');
  await expect(cancelled).toBeVisible({ timeout: 3_000 });
  await expect(cancelled).toContainText(/Cancelled at bootstrap \d+\/10000/);
  await expect(page.getByTestId('ratings-progress')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/ratings-cancelled.png', clip: { x: 0, y: 150, width: 1280, height: 330 } });
  const latency = Number(await cancelled.getAttribute('data-latency-ms'));
  console.log(`cancel latency: ${latency} ms (click to the worker's answer)`);
  expect(latency).toBeLessThan(500);
  // Usable: a quick run right after, then Run again restarts the long one.
  await page.getByTestId('ratings-rounds').fill('100');
  await page.getByTestId('ratings-rounds').dispatchEvent('change');
  await expect(page.getByTestId('leaderboard-row')).toHaveCount(40);
  await page.getByTestId('ratings-rounds').fill('10000');
  await page.getByTestId('ratings-rounds').dispatchEvent('change');
  await expect(text).toHaveText(/^bootstrap \d+\/10000$/);
  await page.getByTestId('ratings-cancel').click();
  await expect(cancelled).toBeVisible({ timeout: 3_000 });
  await page.getByTestId('ratings-run-again').click();
  await expect(text).toHaveText(/^bootstrap \d+\/10000$/);
  await page.getByTestId('ratings-cancel').click();
  await expect(cancelled).toBeVisible({ timeout: 3_000 });
  expect(errors).toEqual([]);
});

test('a settings change during a long run gives the new result without waiting for the old', async ({ page }) => {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await openSyntheticArena(page);
  await expect(page.getByTestId('leaderboard-row')).toHaveCount(40, { timeout: 60_000 });
  await page.getByTestId('ratings-rounds').fill('10000');
  await page.getByTestId('ratings-rounds').dispatchEvent('change');
  await expect(page.getByTestId('ratings-progress-text')).toHaveText(/^bootstrap \d+\/10000$/);
  await expect.poll(async () => Number((await page.getByTestId('ratings-progress-text').innerText()).match(/(\d+)\//)?.[1] ?? 0)).toBeGreaterThan(20);
  const started = Date.now();
  await page.getByTestId('ratings-ci').selectOption('none');
  // The 10,000-round run is superseded: the new leaderboard comes within a couple of seconds
  // (the last finished one stays on screen, marked stale, until then).
  await expect(page.getByTestId('ratings-stale')).toHaveCount(0, { timeout: 5_000 });
  await expect(page.getByTestId('leaderboard-row')).toHaveCount(40);
  console.log(`new result ${Date.now() - started} ms after the change`);
  await expect(page.getByTestId('ratings-progress')).toHaveCount(0);
  await expect(page.getByTestId('ratings-cancelled')).toHaveCount(0);
  expectSameAsCli(await leaderboard(page), cli('ratings-all-none.csv'), { intervals: false });
  expect(errors).toEqual([]);
});
