// Judge view: AlpacaEval leaderboard from the eight real annotation files, next to the published
// leaderboard; notes recomputed from the table; alpaca_eval's adversarial NullModel flagged;
// what length buys; drill-down to one judgment's answers; Arena-Hard and MT-Bench
// from the engine's small fixtures. Expected numbers come from `benchlens judge` on the same files:
//   benchlens judge samples/alpaca-eval/annotations/*.json
//   benchlens judge crates/engine/tests/fixtures/judge/arena_hard_small.jsonl [--bootstrap 500 --seed 7 --ci-level 0.95]
//   benchlens judge crates/engine/tests/fixtures/judge/mt_bench_small.jsonl [--ci-level 0.9]
const { test, expect } = require('@playwright/test');
const path = require('path');

const FIXTURES = path.resolve(__dirname, '../../crates/engine/tests/fixtures/judge');

const { canvasInk } = require('../support/charts');

function row(page, model) {
  return page.locator(`[data-testid="judge-row"][data-model="${model}"]`);
}

// Ours and the published LC of every row that has both, read from the table's cells.
async function lcOnScreen(page) {
  return page.getByTestId('judge-row').evaluateAll((rows) => rows.map((r) => {
    const value = (id) => r.querySelector(`[data-testid="${id}"]`)?.dataset.value ?? '';
    return { model: r.dataset.model, ours: value('cell-lc'), pub: value('cell-pub-lc') };
  }).filter((x) => x.ours !== '' && x.pub !== '').map((x) => ({ ...x, ours: Number(x.ours), pub: Number(x.pub) })));
}

// The LC notes must state what the table shows: recompute range, counts and swapped pairs here.
async function expectLcNotesFromTable(page) {
  const rows = await lcOnScreen(page);
  const d = rows.map((r) => r.ours - r.pub);
  const signed = (v) => (v < 0 ? '-' : '+') + Math.abs(v).toFixed(1);
  const above = d.filter((x) => x >= 0.005).length;
  const below = d.filter((x) => x <= -0.005).length;
  const notes = page.getByTestId('judge-notes');
  await expect(notes).toContainText(`Our LC win rates differ from the published ones by ${signed(Math.min(...d))} to ${signed(Math.max(...d))} points (${above} of ${d.length} models above, ${below} below).`);
  const byOurs = [...rows].sort((a, b) => b.ours - a.ours);
  let pairs = 0;
  let swaps = 0;
  for (let i = 0; i < byOurs.length; i++) {
    for (let j = i + 1; j < byOurs.length; j++) {
      pairs += 1;
      if (byOurs[i].ours > byOurs[j].ours && byOurs[i].pub < byOurs[j].pub) swaps += 1;
    }
  }
  if (swaps === 0) {
    await expect(notes).toContainText(`Our LC order of the ${rows.length} published models is the published order.`);
  } else {
    await expect(notes).toContainText(`Our LC order differs from the published order in ${swaps} of ${pairs} pairs of models`);
  }
  return { rows, swaps };
}

function watchErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  return errors;
}

test('AlpacaEval: leaderboard matches the CLI and the published raw numbers', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('./');
  await page.getByTestId('sample-menu').selectOption('alpaca-eval');
  await expect(page.getByTestId('dataset-card')).toHaveCount(9);
  await page.getByTestId('tab-judge').click();
  await expect(page.getByTestId('judge-row')).toHaveCount(8);
  await expect(page.getByTestId('judge-kind')).toHaveText('AlpacaEval (detected)');
  await expect(page.getByTestId('judge-baseline-found')).toHaveText('gpt4_1106_preview');

  // CLI: claude-2.1,15.7335…,1.1203…,14.4099…,31.9426…,0.8118…,1096,805; published LC 25.2519.
  const claude = row(page, 'claude-2.1');
  await expect(claude.getByTestId('cell-wr')).toHaveText('15.73');
  await expect(claude.getByTestId('cell-se')).toHaveText('1.12');
  await expect(claude.getByTestId('cell-discrete')).toHaveText('14.41');
  await expect(claude.getByTestId('cell-lc')).toHaveText('31.94');
  await expect(claude.getByTestId('cell-lc-se')).toHaveText('0.81');
  await expect(claude.getByTestId('cell-len')).toHaveText('1096');
  await expect(claude.getByTestId('cell-n')).toHaveText('805');
  await expect(claude.getByTestId('cell-pub-wr')).toHaveText('15.73');
  await expect(claude.getByTestId('cell-delta-wr')).toHaveText('✓ 0');
  await expect(claude.getByTestId('cell-delta-discrete')).toHaveText('✓ 0');
  await expect(claude.getByTestId('cell-delta-len')).toHaveText('✓ 0');
  await expect(claude.getByTestId('cell-pub-lc')).toHaveText('25.25');
  await expect(claude.getByTestId('cell-delta-lc')).toHaveText('+6.69');
  // CLI: gpt4_gamed,3.7383…,…,4.0994…,23.0744…,…,68,805; published LC 12.1888.
  const gamed = row(page, 'gpt4_gamed');
  await expect(gamed.getByTestId('cell-wr')).toHaveText('3.74');
  await expect(gamed.getByTestId('cell-discrete')).toHaveText('4.10');
  await expect(gamed.getByTestId('cell-lc')).toHaveText('23.07');
  await expect(gamed.getByTestId('cell-len')).toHaveText('68');
  await expect(gamed.getByTestId('cell-delta-lc')).toHaveText('+10.89');
  // Every raw difference is a match; the LC note is honest about the gap.
  await expect(page.locator('[data-testid="cell-delta-wr"].match')).toHaveCount(8);
  await expect(page.getByTestId('judge-notes')).toContainText('raw win rates match the published ones');
  await expect(page.getByTestId('judge-notes')).toContainText('Our LC win rates differ from the published ones by +4.3 to +11.4 points');
  // The notes' numbers are the table's: one swapped pair on the sample, named with its values.
  expect((await expectLcNotesFromTable(page)).swaps).toBe(1);
  await expect(page.getByTestId('judge-notes')).toContainText('Mixtral-8x7B-Instruct-v0.1_concise is above claude-2.1 here (32.73 vs 31.94) but below it in the published table (22.96 vs 25.25)');
  await expect(page.getByTestId('judge-notes')).not.toContainText('ordering is preserved');
  // gpt4_gamed's answers are cut to ten characters: flagged with the evidence; no other row is.
  await expect(page.getByTestId('answer-flag')).toHaveCount(1);
  await expect(gamed.getByTestId('answer-flag-evidence')).toHaveText('506 of 778 answers share no word with their instruction');
  // Sorted by LC like the CLI: Mixtral concise first, alpaca-7b last.
  await expect(page.getByTestId('judge-row').first()).toHaveAttribute('data-model', 'Mixtral-8x7B-Instruct-v0.1_concise');
  await expect(page.getByTestId('judge-row').last()).toHaveAttribute('data-model', 'alpaca-7b');

  // What length buys: families side by side, the length coefficient from the CLI's JSON.
  await expect(page.getByTestId('length-row')).toHaveCount(8);
  await expect(page.locator('[data-testid="length-row"][data-model="gpt4_gamed"]').getByTestId('cell-length-coef')).toHaveText('-5.908');
  const family = await page.locator('tbody.family', { has: page.locator('[data-model="gpt-3.5-turbo-1106_verbose"]') }).locator('[data-testid="length-row"]').evaluateAll((rows) => rows.map((r) => r.dataset.model));
  expect(family).toEqual(['gpt-3.5-turbo-1106_concise', 'gpt-3.5-turbo-1106', 'gpt-3.5-turbo-1106_verbose']);
  expect((await canvasInk(page, 'chart-raw-vs-lc')).ink).toBeGreaterThan(2000);
  expect((await canvasInk(page, 'chart-judge-forest')).ink).toBeGreaterThan(1000);
  await page.screenshot({ path: 'test-results/judge-alpaca.png', fullPage: true });

  // A control: more regularisation moves the LC numbers (raw ones stay).
  await page.getByTestId('judge-lambda').fill('1');
  await page.getByTestId('judge-lambda').press('Enter');
  await expect(gamed.getByTestId('cell-lc')).not.toHaveText('23.07');
  await expect(gamed.getByTestId('cell-wr')).toHaveText('3.74');
  await expect(page.getByTestId('judge-notes')).toContainText('λ = 1');
  // Without the difficulty term, the notes say so.
  await page.getByTestId('judge-difficulty').uncheck();
  await expect(page.getByTestId('judge-notes')).toContainText('left out (switched off)');

  // Drill-down: gpt4_gamed's 805 instructions, longest model answer relative to the baseline first.
  await page.getByTestId('drill-model').selectOption('gpt4_gamed');
  await expect(page.getByTestId('drill-row')).toHaveCount(805);
  await page.getByTestId('drill-sort-dlen').click();
  const first = page.getByTestId('drill-row').first();
  const dlen = Number((await first.getByTestId('drill-dlen').innerText()).replace(/[+,]/g, ''));
  const last = Number((await page.getByTestId('drill-row').last().getByTestId('drill-dlen').innerText()).replace(/[+,]/g, ''));
  expect(dlen).toBeGreaterThanOrEqual(last);
  await first.click();
  await expect(page.getByTestId('drill-answers')).toBeVisible();
  await expect(page.getByTestId('drill-output-1')).not.toBeEmpty();
  await expect(page.getByTestId('drill-answer-pref')).toContainText('Judge: ');
  await expect(page.getByTestId('drill-answer-pred')).toContainText('LC-predicted: ');
  // Answers are text: no element children inside the answer boxes.
  expect(await page.getByTestId('drill-output-2').evaluate((e) => e.children.length)).toBe(0);
  // Judge preference sort: highest first.
  await page.getByTestId('drill-sort-pref').click();
  const prefs = await page.getByTestId('drill-pref').evaluateAll((cells) => cells.slice(0, 20).map((c) => Number(c.textContent)));
  for (let i = 1; i < prefs.length; i++) expect(prefs[i - 1]).toBeGreaterThanOrEqual(prefs[i]);
  await page.getByTestId('drill-answers').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/judge-alpaca-drill.png', fullPage: true });
  expect(errors).toEqual([]);
});

test('AlpacaEval: a constant adversarial answer is flagged, named by its file, and the notes follow', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('./');
  await page.getByTestId('sample-menu').selectOption('alpaca-eval');
  await expect(page.getByTestId('dataset-card')).toHaveCount(9);
  await page.getByTestId('tab-judge').click();
  await expect(page.getByTestId('judge-row')).toHaveCount(8);
  const before = await page.getByTestId('judge-notes').innerText();
  // Change the inputs: add alpaca_eval's NullModel (generator_2 `example`, one string 805 times).
  await page.getByTestId('file-input').setInputFiles(path.resolve(__dirname, '../../samples/alpaca-eval/adversarial/NullModel.json'));
  await expect(page.getByTestId('judge-row')).toHaveCount(9);
  const nullModel = row(page, 'NullModel');
  await expect(page.locator('[data-testid="judge-row"][data-model="example"]')).toHaveCount(0);
  // No setting changed: it is flagged with its evidence and meets its published row (LC 86.46).
  await expect(nullModel.getByTestId('answer-flag')).toBeVisible();
  await expect(nullModel.getByTestId('answer-flag-evidence')).toHaveText('805 of 805 answers are identical; 583 of 778 answers share no word with their instruction');
  await expect(nullModel.getByTestId('cell-pub-lc')).toHaveText('86.46');
  await expect(nullModel.getByTestId('cell-delta-wr')).toHaveText('✓ 0');
  const notes = page.getByTestId('judge-notes');
  await expect(notes).toContainText('NullModel.json: generator_2 is `example`, a placeholder rather than a model name, so the model is named `NullModel` after the file');
  await expect(notes).toContainText('NullModel: degenerate answers (805 of 805 answers are identical');
  await expect(notes).toContainText('(9 of our models found): raw win rates match the published ones');
  await expect(notes).toContainText('7,245 judgments of 9 models on 805 instructions from 9 files.');
  // The LC notes were recomputed from the new table, and they changed.
  await expectLcNotesFromTable(page);
  expect(await notes.innerText()).not.toEqual(before);
  await nullModel.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/judge-alpaca-null-model.png', fullPage: true });
  expect(errors).toEqual([]);
});

test('Arena-Hard and MT-Bench: leaderboards with intervals, benchmark picker', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('./');
  await page.getByTestId('file-input').setInputFiles([
    path.join(FIXTURES, 'arena_hard_small.jsonl'),
    path.join(FIXTURES, 'mt_bench_small.jsonl'),
  ]);
  await expect(page.getByTestId('dataset-card')).toHaveCount(2);
  await page.getByTestId('tab-judge').click();
  // Arena-Hard first (CLI: m1,75,55.0,95,0.9,…; m2,20,4.75,35; gpt-4-0314 at 50).
  await expect(page.getByTestId('judge-kind-picker')).toHaveValue('arena-hard');
  await expect(page.getByTestId('judge-row')).toHaveCount(3);
  await expect(page.getByTestId('judge-interval-level')).toHaveText('90 % interval');
  await expect(row(page, 'm1').getByTestId('cell-score')).toHaveText('75.0');
  await expect(row(page, 'm1').getByTestId('cell-lower')).toHaveText('55.0');
  await expect(row(page, 'm1').getByTestId('cell-upper')).toHaveText('95.0');
  await expect(row(page, 'm2').getByTestId('cell-lower')).toHaveText('4.7');
  await expect(row(page, 'gpt-4-0314').getByTestId('cell-score')).toHaveText('50.0');
  expect((await canvasInk(page, 'chart-judge-forest')).ink).toBeGreaterThan(300);
  // CLI --bootstrap 500 --seed 7 --ci-level 0.95: m1 50–100, m2 5–45.
  await page.getByTestId('judge-rounds').fill('500');
  await page.getByTestId('judge-rounds').press('Enter');
  await page.getByTestId('judge-seed').fill('7');
  await page.getByTestId('judge-seed').press('Enter');
  await page.getByTestId('judge-arena-level').selectOption('0.95');
  await expect(page.getByTestId('judge-interval-level')).toHaveText('95 % interval');
  await expect(row(page, 'm1').getByTestId('cell-lower')).toHaveText('50.0');
  await expect(row(page, 'm1').getByTestId('cell-upper')).toHaveText('100.0');
  await expect(row(page, 'm2').getByTestId('cell-upper')).toHaveText('45.0');
  await page.screenshot({ path: 'test-results/judge-arena.png', fullPage: true });

  // MT-Bench (CLI: m1 all 7, 5.614–8.386 at 95 %; 5.837–8.163 at 90 %).
  await page.getByTestId('judge-kind-picker').selectOption('mt-bench');
  await expect(page.getByTestId('judge-row')).toHaveCount(2);
  await expect(row(page, 'm1')).toContainText('7.00');
  await expect(row(page, 'm1')).toContainText('5.61 – 8.39');
  await page.getByTestId('judge-mt-level').selectOption('0.9');
  await expect(row(page, 'm1')).toContainText('5.84 – 8.16');
  await expect(page.getByTestId('judge-notes')).toContainText('grades of −1 are dropped');
  expect((await canvasInk(page, 'chart-judge-forest')).ink).toBeGreaterThan(300);
  await page.screenshot({ path: 'test-results/judge-mt-bench.png', fullPage: true });
  expect(errors).toEqual([]);
});
