// Scaling view: the published laws applied to the real models table (numbers from
// `benchlens scaling models samples/models/models.csv`), the score trend and its outliers, and the
// Approach-3 fit of the synthetic runs (numbers from `benchlens scaling fit
// samples/synthetic/runs.csv`, 1000 bootstrap rounds, seed 0), with charts that are not blank and
// controls that re-run the analysis in the worker.
const { test, expect } = require('@playwright/test');

const { canvasInk } = require('../support/charts');

test('models.csv: over-training under each published law, score outliers, sources', async ({ page }) => {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto('./');
  await page.getByTestId('sample-menu').selectOption('models');
  await expect(page.getByTestId('dataset-card')).toHaveCount(1);
  await page.getByTestId('tab-scaling').click();
  // 30 rows, 30 with a parameter count; 5 without tokens are off the compute axes.
  await expect(page.getByTestId('scaling-model-row')).toHaveCount(30);
  await expect(page.getByTestId('scaling-off-compute')).toContainText('Mistral 7B, Qwen1.5 7B, Qwen1.5 14B, Qwen1.5 32B, Qwen1.5 72B');
  await expect(page.getByTestId('scaling-col-loss')).toContainText('auto: none found');
  await expect(page.getByTestId('scaling-col-score')).toContainText('auto: mmlu_5shot');
  // CLI: Llama 3 8B over-training 27.27×, 43.30×, 92.07× (Hoffmann, unrounded, Epoch).
  const llama3 = page.getByTestId('scaling-model-row').filter({ hasText: 'Llama 3 8B' });
  await expect(llama3.getByTestId('over-hoffmann')).toHaveText('27.3×');
  await expect(llama3.getByTestId('over-hoffmann-unrounded')).toHaveText('43.3×');
  await expect(llama3.getByTestId('over-epoch')).toHaveText('92.1×');
  // Sorting by Epoch over-training puts Llama 3 8B first.
  await page.getByTestId('scaling-sort-over-epoch').click();
  await expect(page.getByTestId('scaling-model-row').first()).toContainText('Llama 3 8B');
  // Score trend: CLI outliers Phi-3-mini (z 4.70), Phi-2 (3.96), OLMo 7B (−2.98), Falcon 7B (−2.63), GPT-3 175B (−2.31).
  const outliers = page.getByTestId('scaling-outlier-row');
  await expect(outliers).toHaveCount(5);
  await expect(outliers.first()).toContainText('Phi-3-mini');
  await expect(outliers.first().getByTestId('z')).toHaveText('+4.70');
  await expect(outliers.nth(2).getByTestId('z')).toHaveText('-2.98');
  // Sources disclosure cites every row.
  await expect(page.getByTestId('scaling-source')).toHaveCount(30);
  await page.getByTestId('scaling-sources').locator('summary').click();
  await expect(page.getByTestId('scaling-sources')).toContainText('Hoffmann et al. 2022, Training Compute-Optimal Large Language Models');
  for (const id of ['chart-scaling-contours', 'chart-scaling-inference', 'chart-scaling-trend']) {
    expect((await canvasInk(page, id)).ink, id).toBeGreaterThan(2000);
  }
  // Inference demand: more inference tokens, smaller model.
  const before = await page.getByTestId('scaling-inference-chosen').innerText();
  await page.getByTestId('scaling-inference-tokens').fill('1e14');
  await page.getByTestId('scaling-inference-tokens').press('Enter');
  await expect(page.getByTestId('scaling-inference-chosen')).not.toHaveText(before);
  await expect(page.getByTestId('scaling-inference-summary')).toContainText('serving 100T tokens');
  // Another law for the contours and the optimum.
  await page.getByTestId('scaling-law').selectOption('epoch');
  await expect(page.getByTestId('scaling-inference-summary')).toContainText('Epoch');
  await page.screenshot({ path: 'test-results/scaling-models.png', fullPage: true });
  for (const id of ['chart-scaling-contours', 'chart-scaling-inference', 'chart-scaling-trend', 'scaling-inputs', 'scaling-models']) {
    await page.getByTestId(id).screenshot({ path: `test-results/models-${id}.png` });
  }
  expect(errors).toEqual([]);
});

test('synthetic runs: the Chinchilla fit with bootstrap intervals matches the CLI', async ({ page }) => {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto('./');
  await page.getByTestId('sample-menu').selectOption('synthetic-runs');
  await expect(page.getByTestId('dataset-card')).toHaveCount(1);
  await page.getByTestId('tab-scaling').click();
  // CLI: E 1.82672, A 533.382, B 1971.09, α 0.354241, β 0.363181; E CI [1.79577, 1.85081].
  const value = (k) => page.getByTestId(`scaling-param-${k}`).getByTestId('value');
  await expect(value('E')).toHaveText('1.827');
  await expect(value('A')).toHaveText('533.4');
  await expect(value('B')).toHaveText('1971');
  await expect(value('alpha')).toHaveText('0.3542');
  await expect(value('beta')).toHaveText('0.3632');
  // Intervals: the engine's bootstrap draws indices with rand's usize gen_range, whose stream
  // differs between 32-bit wasm and 64-bit native, so the browser's resamples are not the CLI's
  // (reported to the engine owner). Until then: the same interval within 0.2%.
  const ci = (await page.getByTestId('scaling-param-E').locator('td.num').allInnerTexts()).slice(1).map(Number);
  expect(Math.abs(ci[0] / 1.79577 - 1)).toBeLessThan(0.002);
  expect(Math.abs(ci[1] / 1.85081 - 1)).toBeLessThan(0.002);
  await expect(page.getByTestId('scaling-fit-meta')).toContainText('250 points fitted');
  await expect(page.getByTestId('scaling-fit-meta')).toContainText('1000 bootstrap rounds');
  await expect(page.getByTestId('scaling-flags')).toContainText('No flags');
  for (const id of ['chart-scaling-loss', 'chart-scaling-tpp', 'chart-scaling-contours']) {
    expect((await canvasInk(page, id)).ink, id).toBeGreaterThan(2000);
  }
  await page.screenshot({ path: 'test-results/scaling-runs.png', fullPage: true });
  for (const id of ['chart-scaling-loss', 'chart-scaling-tpp', 'chart-scaling-contours', 'scaling-params']) {
    await page.getByTestId(id).screenshot({ path: `test-results/runs-${id}.png` });
  }
  // Epoch's replication drops the 5 highest-loss points; L2 loss; fewer rounds.
  await page.getByTestId('scaling-rounds').fill('200');
  await page.getByTestId('scaling-rounds').press('Enter');
  await expect(page.getByTestId('scaling-fit-meta')).toContainText('200 bootstrap rounds');
  await page.getByTestId('scaling-drop-top').fill('5');
  await page.getByTestId('scaling-drop-top').press('Enter');
  await expect(page.getByTestId('scaling-fit-meta')).toContainText('245 points fitted (5 highest-loss dropped)');
  // CLI --drop-top 5: A 534.616, B 1944.73; with --loss l2 as well: E 1.82204, B 2016.39.
  await expect(value('A')).toHaveText('534.6');
  await expect(value('B')).toHaveText('1945');
  await page.getByTestId('scaling-loss').selectOption('l2');
  await expect(page.getByTestId('scaling-fit-meta')).toContainText('L2');
  await expect(value('E')).toHaveText('1.822');
  await expect(value('B')).toHaveText('2016');
  await expect(page.getByTestId('scaling-delta')).toBeDisabled();
  expect(errors).toEqual([]);
});

// Issue #17, items 2–3: Epoch AI's Chinchilla points (here a fixture in the exact shape of
// `svg_extracted_data.csv`, see crates/engine/tests/fixtures/scaling/README.md) dropped with no
// setting changed. CLI on the same file: flags not_identified (B) and influential_outliers (lines
// 2–6, --drop-top 5); with --drop-top 5: E 1.82316, A 505.506, B 2102.60, α 0.350895, β 0.366208,
// no flags.
const path = require('path');

const CHINCHILLA_SHAPE = path.join(__dirname, '../../crates/engine/tests/fixtures/scaling/chinchilla_svg_shape.csv');

test('Chinchilla points: warning, one-click refit near Epoch AI, Approach 2 says why not', async ({ page }) => {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto('./');
  await page.getByTestId('file-input').setInputFiles(CHINCHILLA_SHAPE);
  await expect(page.getByTestId('dataset-card')).toHaveCount(1, { timeout: 60_000 });
  await page.getByTestId('tab-scaling').click();
  // The hex `color` column is not taken as the run name.
  await expect(page.getByTestId('scaling-col-name')).toContainText('auto: none found');
  const flags = page.getByTestId('scaling-flags');
  await expect(flags).toContainText('not_identified', { timeout: 90_000 });
  await expect(flags).toContainText('influential_outliers');
  await expect(flags).not.toContainText('No flags');
  const callout = page.getByTestId('scaling-outliers');
  await expect(callout).toContainText('5 high-loss points pull the fit');
  await expect(page.getByTestId('scaling-outlier-point')).toHaveCount(5);
  await expect(page.getByTestId('approach2-not-shown')).toContainText('isoFLOP groups');
  await expect(page.getByTestId('approach2-exponents')).toHaveCount(0);
  for (const id of ['chart-scaling-loss', 'chart-scaling-residuals']) {
    expect((await canvasInk(page, id)).ink, id).toBeGreaterThan(2000);
  }
  await page.screenshot({ path: 'test-results/chinchilla-before-1280.png', fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: 'test-results/chinchilla-before-390.png', fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });

  // One click: the refit without the five, as Drop top K = 5.
  await page.getByTestId('scaling-refit-without-outliers').click();
  await expect(page.getByTestId('scaling-fit-meta')).toContainText('240 points fitted (5 highest-loss dropped)', { timeout: 90_000 });
  await expect(page.getByTestId('scaling-drop-top')).toHaveValue('5');
  await expect(flags).toContainText('No flags');
  await expect(page.getByTestId('scaling-outliers')).toHaveCount(0);
  const value = async (k) => Number(await page.getByTestId(`scaling-param-${k}`).getByTestId('value').getAttribute('data-value'));
  // Near Epoch AI's replication (E 1.8169, A 482.01, B 2085.43, α 0.3478, β 0.3659), the law
  // the points were drawn from.
  expect(Math.abs((await value('E')) - 1.8169)).toBeLessThan(0.02);
  expect(Math.abs((await value('alpha')) - 0.3478)).toBeLessThan(0.01);
  expect(Math.abs((await value('beta')) - 0.3659)).toBeLessThan(0.01);
  expect(Math.abs((await value('A')) / 482.01 - 1)).toBeLessThan(0.1);
  expect(Math.abs((await value('B')) / 2085.43 - 1)).toBeLessThan(0.05);
  // And exactly the CLI's --drop-top 5 numbers.
  await expect(page.getByTestId('scaling-param-E').getByTestId('value')).toHaveText('1.823');
  await expect(page.getByTestId('scaling-param-B').getByTestId('value')).toHaveText('2103');
  await expect(page.getByTestId('scaling-left-out')).toContainText('5 points left out');
  expect((await canvasInk(page, 'chart-scaling-residuals')).ink).toBeGreaterThan(2000);
  await page.screenshot({ path: 'test-results/chinchilla-after-1280.png', fullPage: true });
  await page.getByTestId('chart-scaling-residuals').screenshot({ path: 'test-results/chinchilla-residuals-1280.png' });
  await page.getByTestId('chart-scaling-loss').screenshot({ path: 'test-results/chinchilla-loss-1280.png' });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: 'test-results/chinchilla-after-390.png', fullPage: true });
  // And back to every point.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.getByTestId('scaling-refit-all').click();
  await expect(page.getByTestId('scaling-fit-meta')).toContainText('245 points fitted', { timeout: 90_000 });
  expect(errors).toEqual([]);
});
