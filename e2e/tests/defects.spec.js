// Defects view: every check on the real MMLU test split (numbers from
// `benchlens defects samples/mmlu/test/*.csv`), the per-subject chart, statistics, duplicates,
// the filterable flagged-items table with evidence, marks in local storage, and exports that parse.
// Then MMLU-Redux with 14 models' answers for the disagreement check and its k-of-m threshold.
const fs = require('fs');
const { test, expect } = require('@playwright/test');

const { canvasInk } = require('../support/charts');

// RFC 4180 records (quoted fields may hold commas and newlines).
function csvRecords(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (ch === '"') quoted = false; else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(field); field = ''; } else if (ch === '\n') { row.push(field.replace(/\r$/, '')); rows.push(row); row = []; field = ''; } else field += ch;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

async function download(page, testid) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
  return { name: dl.suggestedFilename(), text: fs.readFileSync(await dl.path(), 'utf8') };
}

test('MMLU test split: the documented defects, statistics, review and exports', async ({ page }) => {
  test.setTimeout(300_000);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto('./');
  await page.evaluate(() => localStorage.removeItem('benchlens.defects.marks'));
  await page.getByTestId('sample-menu').selectOption('mmlu-test');
  await expect(page.getByTestId('dataset-card')).toHaveCount(57, { timeout: 90_000 });
  await page.getByTestId('tab-defects').click();

  const headline = page.getByTestId('defects-headline');
  await expect(headline).toContainText('14,079 items in 57 files: 178 items with an error or suspect flag');
  await expect(headline).toContainText('1,223 flags');
  await expect(page.getByTestId('count-error')).toHaveText('179 error');
  await expect(page.getByTestId('count-warning')).toHaveText('1,044 warning');
  await expect(page.getByTestId('count-check-lost_context')).toHaveText('lost context 19');
  await expect(page.getByTestId('count-check-duplicate_options')).toHaveText('duplicate options 9');
  await expect(page.getByTestId('count-check-encoding')).toHaveText('encoding 123');

  const chart = await canvasInk(page, 'chart-defects-subjects');
  expect(chart.ink).toBeGreaterThan(3000);

  // Statistics: pooled key positions with χ², longest option against chance, duplicates.
  const pooled = page.getByTestId('position-row').filter({ hasText: /^all/ });
  await expect(pooled).toContainText('3,231');
  await expect(pooled).toContainText('3,789');
  await expect(pooled).toContainText('46.35');
  await expect(pooled).toContainText('4.8e-10');
  await expect(page.getByTestId('position-row')).toHaveCount(58);
  const longest = page.getByTestId('longest-row').filter({ hasText: /^all/ });
  await expect(longest).toContainText('35.9%');
  await expect(longest).toContainText('32.3%');
  await expect(page.getByTestId('dup-heading')).toHaveText('Exact duplicates: 136 groups (136 pairs)');
  await expect(page.getByTestId('near-heading')).toContainText('16 pairs');
  await expect(page.getByTestId('near-pair').first().locator('mark')).not.toHaveCount(0);

  // Table: paged, filtered by check and subject, evidence in <mark> nodes.
  await expect(page.getByTestId('defects-matching')).toHaveText('1,223 flags');
  await expect(page.getByTestId('flag-row')).toHaveCount(25);
  await page.getByTestId('defects-next').click();
  await expect(page.getByTestId('defects-page')).toHaveText('page 2 of 49');
  await page.getByTestId('defects-filter-check').selectOption('lost_context');
  await expect(page.getByTestId('defects-matching')).toHaveText('19 flags');
  await expect(page.getByTestId('defects-page')).toHaveText('page 1 of 1');
  await expect(page.getByTestId('flag-row')).toHaveCount(19);
  await expect(page.getByTestId('flag-row').first().getByTestId('evidence')).not.toHaveCount(0);
  await page.getByTestId('defects-filter-subject').selectOption('high_school_psychology');
  await expect(page.getByTestId('flag-row')).toHaveCount(5);
  await page.getByTestId('defects-filter-subject').selectOption('');
  await page.getByTestId('defects-filter-check').selectOption('');
  await page.getByTestId('defects-search').fill('Ã');
  await expect(page.getByTestId('defects-matching')).toHaveText('4 flags');
  await page.getByTestId('defects-search').fill('');
  // Severity filter: errors only.
  await page.getByTestId('defects-sev-warning').uncheck();
  await expect(page.getByTestId('defects-matching')).toHaveText('179 flags');

  // Detail panel and marks (kept in local storage).
  await page.getByTestId('defects-filter-check').selectOption('lost_context');
  await page.getByTestId('flag-row').first().click();
  await expect(page.getByTestId('item-question')).not.toBeEmpty();
  await page.getByTestId('mark-broken').click();
  await expect(page.getByTestId('flag-row').first().getByTestId('mark-badge')).toHaveText('confirmed broken');
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('benchlens.defects.marks')));
  expect(Object.values(stored)).toEqual(['confirmed_broken']);
  expect(Object.keys(stored)[0]).toMatch(/^business_ethics_test\.csv:\d+:[0-9a-f]{16}$/);

  // Exports: the cleaned business_ethics file drops its 15 error rows (CLI --export: 85 kept).
  await page.getByTestId('export-file').selectOption({ label: 'business_ethics_test.csv (100 rows)' });
  await page.getByTestId('export-prepare').click();
  await expect(page.getByTestId('export-cleaned')).toContainText('85 rows kept of 100');
  const cleaned = await download(page, 'export-cleaned');
  expect(cleaned.name).toBe('business_ethics_test.cleaned.csv');
  const records = csvRecords(cleaned.text);
  expect(records).toHaveLength(85);
  expect(records.every((r) => r.length === 6)).toBe(true);
  const report = await download(page, 'export-report-csv');
  const rows = csvRecords(report.text);
  expect(rows[0]).toEqual(['file', 'row', 'subject', 'check', 'severity', 'reason', 'score']);
  expect(rows).toHaveLength(1224);
  expect(rows.filter((r) => r[3] === 'lost_context')).toHaveLength(19);
  const json = JSON.parse((await download(page, 'export-report-json')).text);
  expect(json).toHaveLength(1223);
  const marks = JSON.parse((await download(page, 'export-marks')).text);
  expect(marks).toHaveLength(1);
  expect(marks[0].mark).toBe('confirmed_broken');
  // Flag-column mode keeps every row and adds the column.
  await page.getByTestId('export-mode').selectOption('flag_column');
  await page.getByTestId('export-prepare').click();
  const flagged = csvRecords((await download(page, 'export-cleaned')).text);
  expect(flagged).toHaveLength(100);
  expect(flagged.filter((r) => r[6] && r[6].includes('lost_context'))).toHaveLength(14);

  await page.getByTestId('defects-filter-check').selectOption('');
  await page.getByTestId('defects-sev-warning').check();
  await page.screenshot({ path: 'test-results/defects.png', fullPage: true });

  // Turning a check off re-runs without it.
  await page.getByTestId('defects-check-lost_context').uncheck();
  await expect(headline).toContainText('1,204 flags');
  await expect(page.getByTestId('count-check-lost_context')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('MMLU-Redux with 14 models: disagreement flags by default when no model chose the key, and by k-of-m on request', async ({ page }) => {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto('./');
  await page.getByTestId('sample-menu').selectOption('mmlu-redux');
  await expect(page.getByTestId('dataset-card')).toHaveCount(58, { timeout: 90_000 });
  await page.getByTestId('tab-defects').click();
  await expect(page.getByTestId('defects-headline')).toContainText('2,900 items in 29 files');
  await expect(page.getByTestId('defects-predictions')).toContainText('14 models');
  await expect(page.getByTestId('count-suspect')).toHaveText('93 suspect');
  await expect(page.getByTestId('count-error')).toHaveText('27 error');
  // The files' error_type column is found and the checks are scored against it, with the
  // numbers `benchlens defects --evaluate error_type` prints (BENCHMARKS.md).
  await expect(page.getByTestId('defects-labels-summary')).toContainText('2,900 labelled items, 162 not ok');
  const combination = page.locator('[data-testid="label-score-row"][data-name="combination: error or suspect"]');
  await expect(combination.locator('td').nth(1)).toHaveText('113');
  await expect(combination.locator('td').nth(2)).toHaveText('45');
  await expect(combination.getByTestId('label-score-f1')).toHaveText('0.327');
  await page.getByTestId('defects-label-column').selectOption('off');
  await expect(page.getByTestId('defects-label-scores')).toHaveCount(0);
  await page.getByTestId('defects-label-column').selectOption('column:error_type');
  await expect(combination.getByTestId('label-score-f1')).toHaveText('0.327');
  await page.getByTestId('defects-min-agree').fill('10');
  await page.getByTestId('defects-min-agree').blur();
  await expect(page.getByTestId('count-suspect')).toHaveText('161 suspect');
  await page.getByTestId('defects-filter-check').selectOption('model_disagreement');
  await page.getByTestId('flag-row').first().click();
  await expect(page.getByTestId('item-votes')).toContainText('14 models answered');
  expect((await canvasInk(page, 'chart-defects-subjects')).ink).toBeGreaterThan(2000);
  await page.screenshot({ path: 'test-results/defects-redux.png', fullPage: true });
  expect(errors).toEqual([]);
});

// Prediction files as their authors publish them (issue #17 item 1, issue #14): the numbers are
// those of `benchlens defects <labels> --predictions <folder>` (crates/cli/tests/defects_cli.rs).
const path = require('path');
const FIXTURES = path.join(__dirname, '../../crates/engine/tests/fixtures/defects');
const REDUX = path.join(__dirname, '../../samples/mmlu-redux-dev');

function filesUnder(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]).sort();
}

test('MMLU-Redux with its upstream HELM files: the 14 models only, the other columns named as left out', async ({ page }) => {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto('./');
  const subjects = ['abstract_algebra', 'college_chemistry', 'college_physics'];
  await page.getByTestId('file-input').setInputFiles([
    ...subjects.map((s) => path.join(REDUX, `labels/mmlu_${s}.csv`)),
    ...subjects.map((s) => path.join(FIXTURES, `helm-upstream/${s}.csv`)),
  ]);
  await expect(page.getByTestId('dataset-card')).toHaveCount(6, { timeout: 60_000 });
  await page.getByTestId('tab-defects').click();
  await expect(page.getByTestId('defects-headline')).toContainText('300 items in 3 files');
  const models = page.getByTestId('defects-predictions');
  await expect(models).toContainText('Model disagreement from 14 models');
  await expect(models).not.toContainText('groundtruth_answer');
  await expect(models).not.toContainText('majority_llm_pred');
  const leftOut = page.getByTestId('defects-left-out');
  await expect(leftOut).toContainText('22 columns were not counted as models: groundtruth_answer (copies the answer key)');
  await expect(leftOut).toContainText('binary_error_type (holds no answer letters)');
  // The cleaned sample's flags for these subjects: 6 + 12 + 9 items no model answered with the key.
  await expect(page.getByTestId('count-suspect')).toHaveText('27 suspect');
  expect(errors).toEqual([]);
});

test('lm-evaluation-harness output folders: answers attributed to the model of each run', async ({ page }) => {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto('./');
  const runs = filesUnder(path.join(FIXTURES, 'lm-eval-runs'));
  expect(runs.length).toBe(9);
  await page.getByTestId('file-input').setInputFiles([
    path.join(REDUX, 'labels/mmlu_abstract_algebra.csv'),
    path.join(REDUX, 'labels/mmlu_college_chemistry.csv'),
    ...runs,
  ]);
  await expect(page.getByTestId('dataset-card')).toHaveCount(11, { timeout: 60_000 });
  await page.getByTestId('tab-defects').click();
  await expect(page.getByTestId('defects-predictions')).toContainText(
    'Model disagreement from 3 models (Qwen/Qwen2-72B-Instruct, meta-llama/Meta-Llama-3.1-70B-Instruct, mistralai/Mistral-Large-Instruct-2407), matched to 200 items;');
  await expect(page.getByTestId('defects-summary')).not.toContainText('matched no item');
  await expect(page.getByTestId('count-suspect')).toHaveText('42 suspect');
  expect(errors).toEqual([]);
});
