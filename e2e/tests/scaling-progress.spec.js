// Scaling view: Approach 2 on the synthetic isoFLOP runs (numbers from `benchlens scaling fit
// samples/synthetic/runs.csv --format json`: a = 0.511, b = 0.489, 9 groups, first N_opt 82.0M),
// and the bootstrap / full-grid progress bar with Cancel.
const { test, expect } = require('@playwright/test');

const { canvasInk } = require('../support/charts');

test('synthetic runs: Approach 2 table and chart next to Approach 3', async ({ page }) => {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto('./');
  await page.getByTestId('sample-menu').selectOption('synthetic-runs');
  await expect(page.getByTestId('dataset-card')).toHaveCount(1);
  await page.getByTestId('tab-scaling').click();
  const panel = page.getByTestId('approach2-panel');
  await expect(panel).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('approach2-row')).toHaveCount(9);
  await expect(page.getByTestId('approach2-exponent-a').getByTestId('approach2')).toHaveText('0.511');
  await expect(page.getByTestId('approach2-exponent-b').getByTestId('approach2')).toHaveText('0.489');
  // Approach 3's a = β/(α+β) from the fit above (CLI: α 0.35424, β 0.36318).
  await expect(page.getByTestId('approach2-exponent-a').getByTestId('approach3')).toHaveText('0.506');
  await expect(page.getByTestId('approach2-row').first().getByTestId('n-opt')).toContainText('82');
  expect((await canvasInk(page, 'chart-scaling-isoflop')).ink).toBeGreaterThan(500);
  await panel.screenshot({ path: 'test-results/scaling-approach2.png' });
  expect(errors).toEqual([]);
});

test('scaling: bootstrap and full-grid progress, Cancel, and a change that supersedes the run', async ({ page }) => {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto('./');
  await page.getByTestId('sample-menu').selectOption('synthetic-runs');
  await expect(page.getByTestId('dataset-card')).toHaveCount(1);
  await page.getByTestId('tab-scaling').click();
  await expect(page.getByTestId('scaling-param-alpha')).toBeVisible({ timeout: 60_000 });
  await page.getByTestId('scaling-rounds').fill('10000');
  await page.getByTestId('scaling-rounds').dispatchEvent('change');
  const text = page.getByTestId('scaling-progress-text');
  await expect(text).toHaveText(/^bootstrap \d+\/10000$/);
  await expect.poll(async () => Number((await text.innerText()).match(/(\d+)\//)?.[1] ?? 0)).toBeGreaterThan(10);
  await page.getByTestId('scaling-cancel').click();
  const cancelled = page.getByTestId('scaling-cancelled');
  await expect(cancelled).toBeVisible({ timeout: 3_000 });
  const latency = Number(await cancelled.getAttribute('data-latency-ms'));
  console.log(`scaling cancel latency: ${latency} ms`);
  expect(latency).toBeLessThan(500);
  // The full grid reports its starts; a new setting supersedes it.
  await page.getByTestId('scaling-rounds').fill('0');
  await page.getByTestId('scaling-rounds').dispatchEvent('change');
  await expect(page.getByTestId('scaling-param-alpha')).toBeVisible();
  await page.getByTestId('scaling-starts').selectOption('full-grid');
  await expect(text).toHaveText(/^grid starts \d+\/4500$/);
  await page.getByTestId('scaling-starts').selectOption('varpro');
  await expect(page.getByTestId('scaling-progress')).toHaveCount(0, { timeout: 5_000 });
  await expect(page.getByTestId('scaling-param-alpha').getByTestId('value')).toHaveText('0.3542');
  expect(errors).toEqual([]);
});
