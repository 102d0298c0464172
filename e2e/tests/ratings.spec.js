// Ratings view: a leaderboard with intervals from a real battle log, charts that are not blank,
// and controls that re-run the analysis in the worker.
const { test, expect } = require('@playwright/test');

const fs = require('fs');
const path = require('path');

const { canvasInk } = require('../support/charts');
const { tick } = require('../support/checklist');
const { cli, expectSameAsCli, leaderboard } = require('../support/leaderboard');

test('GenAI-Arena battles give a leaderboard per comparison graph', async ({ page }) => {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto('./');
  await page.getByTestId('sample-menu').selectOption('genai-arena');
  await expect(page.getByTestId('dataset-card')).toHaveCount(1);
  await page.getByTestId('tab-ratings').click();
  await expect(page.getByTestId('leaderboard-row')).toHaveCount(13);
  await expect(page.getByTestId('ratings-notes')).toContainText('2 disconnected parts');
  const forest = await canvasInk(page, 'chart-forest');
  expect(forest.ink).toBeGreaterThan(500);
  expect((await canvasInk(page, 'chart-win-fraction')).ink).toBeGreaterThan(500);
  // Anonymous battles only: still 13 models, different numbers.
  const before = await page.getByTestId('leaderboard').innerText();
  await page.getByTestId('ratings-anony').selectOption('true');
  await expect(page.getByTestId('leaderboard')).not.toHaveText(before);
  await expect(page.getByTestId('leaderboard-row')).toHaveCount(13);
  // Sandwich intervals are closed form.
  await page.getByTestId('ratings-ci').selectOption('sandwich');
  await expect(page.getByTestId('leaderboard-row')).toHaveCount(13);
  // Headers sort from the keyboard too, and say how the table is sorted.
  const models = () => page.getByTestId('leaderboard-row').evaluateAll((trs) => trs.map((tr) => tr.children[1].dataset.value));
  await expect(page.getByTestId('sort-rank')).toHaveAttribute('aria-sort', 'ascending');
  await page.getByTestId('sort-model').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('sort-model')).toHaveAttribute('aria-sort', 'ascending');
  await expect(page.getByTestId('sort-rank')).toHaveAttribute('aria-sort', 'none');
  const byName = await models();
  expect(byName).toEqual([...byName].sort());
  await page.keyboard.press(' ');
  await expect(page.getByTestId('sort-model')).toHaveAttribute('aria-sort', 'descending');
  expect(await models()).toEqual([...byName].reverse());
  await page.screenshot({ path: 'test-results/ratings.png', fullPage: true });
  expect(errors).toEqual([]);
});

test('a model that never loses is reported, and a weak prior rates it', async ({ page }) => {
  await page.goto('./');
  await page.getByTestId('file-input').setInputFiles({
    name: 'unbeaten.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('model_a,model_b,winner\nx,y,model_a\ny,z,model_a\nz,y,tie\nx,z,model_a\n'),
  });
  await expect(page.getByTestId('dataset-card')).toHaveCount(1);
  await page.getByTestId('tab-ratings').click();
  await expect(page.getByTestId('ratings-error')).toContainText('never lost');
  await page.getByTestId('ratings-prior').fill('1');
  await page.getByTestId('ratings-prior').dispatchEvent('change');
  await expect(page.getByTestId('leaderboard-row')).toHaveCount(3);
  await expect(page.getByTestId('leaderboard-row').first()).toContainText('x');
});

test('synthetic arena: English only moves ranks, style control reports coefficients', async ({ page }) => {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto('./');
  await page.getByTestId('sample-menu').selectOption('synthetic-arena');
  await expect(page.getByTestId('dataset-card')).toHaveCount(1);
  await expect(page.getByTestId('dataset-facts')).toContainText('synthetic');
  await page.getByTestId('tab-ratings').click();
  await page.getByTestId('ratings-ci').selectOption('sandwich');
  await expect(page.getByTestId('leaderboard-row').first()).toContainText('quartz-22b');
  await page.getByTestId('ratings-compare').selectOption('lang:English');
  await expect(page.getByTestId('delta-row').first()).toBeVisible();
  const deltas = await page.getByTestId('delta-row').locator('td:nth-child(4)').allInnerTexts();
  expect(deltas.filter((d) => d !== '0' && d !== '—').length).toBeGreaterThan(2);
  // The leaderboard carries the same Δ per model in its own column.
  const byModel = async (rows, modelCol, deltaCol) => Object.fromEntries(await rows.evaluateAll(
    (trs, [m, d]) => trs.map((tr) => [tr.children[m].textContent.trim(), tr.children[d].textContent.trim()]),
    [modelCol, deltaCol]));
  await expect(page.getByTestId('sort-delta-subset')).toBeVisible();
  const subset = await byModel(page.getByTestId('delta-row'), 0, 3);
  expect(await byModel(page.getByTestId('leaderboard-row'), 1, 6)).toEqual(subset);
  // Other subsets than a language: anonymous battles only, one category.
  const deltaText = async () => JSON.stringify(await byModel(page.getByTestId('delta-row'), 0, 3));
  await page.getByTestId('ratings-compare').selectOption({ label: 'anonymous battles only' });
  await expect.poll(deltaText).not.toEqual(JSON.stringify(subset));
  const anony = await deltaText();
  await page.getByTestId('ratings-compare').selectOption('cat:math_v0.1.math');
  await expect.poll(deltaText).not.toEqual(anony);
  await page.getByTestId('ratings-compare').selectOption('lang:English');
  // Per-language ranks and the monthly trajectory come with a multi-language, multi-month log.
  await expect(page.getByTestId('language-ranks')).toContainText('English');
  expect((await canvasInk(page, 'chart-monthly')).ink).toBeGreaterThan(500);
  await page.getByTestId('ratings-compare').selectOption('');
  await page.getByTestId('ratings-ci').selectOption('none');
  await page.getByTestId('ratings-style-control').check();
  await expect(page.getByTestId('style-coefficients')).toBeVisible();
  await expect(page.getByTestId('style-coefficients').locator('tbody tr')).toHaveCount(4);
  await expect(page.getByTestId('sort-delta-subset')).toHaveCount(0);
  await expect(page.getByTestId('sort-delta-style')).toBeVisible();
  const style = await byModel(page.getByTestId('style-rank-changes').locator('tbody tr'), 0, 3);
  expect(Object.keys(style).length).toBe(40);
  expect(await byModel(page.getByTestId('leaderboard-row'), 1, 6)).toEqual(style);
  // Closed-form intervals work with style control too: every model and coefficient gets bounds.
  await page.getByTestId('ratings-ci').selectOption('sandwich');
  await expect(page.getByTestId('leaderboard-row').first().locator('td').nth(3)).not.toHaveText('');
  const lower = await page.getByTestId('leaderboard-row').evaluateAll((trs) => trs.map((tr) => tr.children[3].textContent.trim()));
  expect(lower.every((v) => v.startsWith('-'))).toBe(true);
  const coefLower = await page.getByTestId('style-coefficients').locator('tbody tr td:nth-child(3)').allInnerTexts();
  expect(coefLower.every((v) => v !== '')).toBe(true);
  await page.screenshot({ path: 'test-results/ratings-synthetic.png', fullPage: true });
  expect(errors).toEqual([]);
});

test('battle filters: excluded models, turns, dates, dedup', async ({ page }) => {
  await page.goto('./');
  await page.getByTestId('sample-menu').selectOption('synthetic-arena');
  await expect(page.getByTestId('dataset-card')).toHaveCount(1);
  await page.getByTestId('tab-ratings').click();
  await page.getByTestId('ratings-ci').selectOption('none');
  const rows = page.getByTestId('leaderboard-row');
  await expect(rows).toHaveCount(40);
  await tick(page, 'ratings-exclude-models', ['atlas-mini', 'zephyr-30b']);
  await expect(rows).toHaveCount(38);
  const notes = page.getByTestId('ratings-notes');
  await expect(notes).toContainText('filters removed');
  const before = await notes.innerText();
  await page.getByTestId('ratings-turn-max').fill('1');
  await page.getByTestId('ratings-turn-max').dispatchEvent('change');
  await expect(notes).not.toHaveText(before);
  const afterTurns = await notes.innerText();
  await page.getByTestId('ratings-date-from').fill('2024-01-01');
  await page.getByTestId('ratings-date-from').dispatchEvent('change');
  await expect(notes).not.toHaveText(afterTurns);
  const afterDates = await notes.innerText();
  await page.getByTestId('ratings-dedup').check();
  await expect(notes).not.toHaveText(afterDates);
  // Online Elo draws its trajectory.
  await page.getByTestId('ratings-method').selectOption('elo');
  await expect(page.getByTestId('chart-elo')).toBeVisible();
  expect((await canvasInk(page, 'chart-elo')).ink).toBeGreaterThan(500);
});

test('a Weights column re-weights the battles and gives the CLI leaderboard for --weights', async ({ page }) => {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto('./');
  const fixture = path.join(__dirname, '..', '..', 'crates', 'engine', 'tests', 'fixtures', 'ratings', 'weighted', 'battles.jsonl');
  await page.getByTestId('file-input').setInputFiles({
    name: 'battles.jsonl', mimeType: 'application/jsonl', buffer: fs.readFileSync(fixture),
  });
  await expect(page.getByTestId('dataset-card')).toHaveCount(1);
  await page.getByTestId('tab-ratings').click();
  await page.getByTestId('ratings-ci').selectOption('none');
  await expect(page.getByTestId('leaderboard-row')).toHaveCount(6);
  const unweighted = await leaderboard(page);
  await expect(page.getByTestId('ratings-weights').locator('option')).toHaveText(['None', 'weight']);
  await page.getByTestId('ratings-weights').selectOption('weight');
  await expect(page.getByTestId('leaderboard')).not.toContainText(unweighted[0].rating);
  // The CSV ends with its one-line `weights` table: only the leaderboard rows are compared.
  const expected = cli('ratings-weighted-none.csv').filter((r) => Number.isFinite(r.rating));
  expectSameAsCli(await leaderboard(page), expected, { intervals: false });
  await expect(page.getByTestId('ratings-notes')).toContainText('2 rows skipped');
  expect(errors).toEqual([]);
});
