// Intake: samples, every kind of file, malformed input with its line number, cancelling a long parse.
const { test, expect } = require('@playwright/test');
const fs = require('fs');
const os = require('os');
const path = require('path');

// The repo's own copies: a clone anywhere runs these tests.
const SAMPLES = path.resolve(__dirname, '../../samples');

function dataPath(rel) {
  return path.join(SAMPLES, rel);
}

async function openApp(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto('./');
  await expect(page.getByTestId('dataset-panel')).toBeVisible();
  return errors;
}

function card(page, name) {
  return page.getByTestId('dataset-card').filter({ has: page.getByTestId('dataset-name').getByText(name, { exact: true }) });
}

test('open the page and load a sample', async ({ page }) => {
  const errors = await openApp(page);
  await page.getByTestId('sample-menu').selectOption('genai-arena');
  const c = card(page, 'genai-arena-clean-battle-20240220.json');
  await expect(c).toBeVisible();
  await expect(c).toHaveAttribute('data-kind', 'battle_log');
  await expect(c.getByTestId('dataset-facts')).toContainText('2,061 rows');
  await page.screenshot({ path: 'test-results/sample-loaded.png', fullPage: true });
  expect(errors).toEqual([]);
});

test('drop each kind of file and see it in the dataset panel', async ({ page }) => {
  const errors = await openApp(page);
  const files = [
    ['battles/genai-arena-clean-battle-20240220.json', 'battle_log'],
    ['models/models.csv', 'scaling_table'],
    ['mmlu/test/anatomy_test.csv', 'benchmark_items'],
    ['mmlu-redux-dev/predictions/astronomy.csv', 'model_predictions'],
    ['truthfulqa/TruthfulQA.csv', 'benchmark_items'],
    ['alpaca-eval/annotations/alpaca-7b.json', 'judge_annotations'],
    ['battles/genai_arena_t2i_generation_leaderboard_20240220.csv', 'leaderboard'],
  ];
  // A real drop: build a DataTransfer in the page and dispatch dragover + drop on the app root.
  const payload = files.map(([rel]) => ({
    name: path.basename(rel),
    text: fs.readFileSync(dataPath(rel), 'utf8'),
  }));
  payload.push({ name: 'pairs.csv', text: 'model_a,model_b,wins_a,wins_b,ties\nx,y,10,5,2\ny,z,3,4,0\n' });
  await page.evaluate((items) => {
    const dt = new DataTransfer();
    for (const it of items) dt.items.add(new File([it.text], it.name));
    const target = document.querySelector('.app');
    target.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, payload);
  for (const [rel, kind] of files) {
    const c = card(page, path.basename(rel));
    await expect(c).toHaveAttribute('data-kind', kind);
  }
  await expect(card(page, 'pairs.csv')).toHaveAttribute('data-kind', 'pair_counts');
  await expect(card(page, 'anatomy_test.csv').getByTestId('dataset-facts')).toContainText('135 rows');
  // Removing a file takes it off the panel.
  await card(page, 'pairs.csv').getByTestId('remove-dataset').click();
  await expect(card(page, 'pairs.csv')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/all-kinds.png', fullPage: true });
  expect(errors).toEqual([]);
});

test('a malformed file shows its error with the line number', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('file-input').setInputFiles({
    name: 'broken.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('model_a,model_b,winner,tstamp\nx,y,model_a,1\nx,y,model_b,not-a-time\nx,y,tie,3\n'),
  });
  const c = card(page, 'broken.csv');
  await expect(c.getByTestId('dataset-warning').filter({ hasText: 'broken.csv:3: field `tstamp`' })).toBeVisible();
  await expect(c.getByTestId('dataset-facts')).toContainText('2 rows');
  // Pasted garbage too: the page keeps working.
  await page.getByTestId('paste-toggle').click();
  await page.getByTestId('paste-name').fill('garbage.json');
  await page.getByTestId('paste-text').fill('[{"model_a": "x", "model_b": "y", "winner": "model_a"}, {"model_a": ');
  await page.getByTestId('paste-submit').click();
  await expect(card(page, 'garbage.json').getByTestId('dataset-warning').first()).toContainText('truncated');
});

test('cancel a long parse', async ({ page }) => {
  await openApp(page);
  // ~400 MB of battle JSONL written to a temp file: long enough to cancel mid-way.
  const file = path.join(os.tmpdir(), `benchlens-e2e-big-${process.pid}.jsonl`);
  if (!fs.existsSync(file)) {
    const line = JSON.stringify({ model_a: 'model-one', model_b: 'model-two', winner: 'model_a', judge: 'j', turn: 1,
      anony: true, language: 'English', tstamp: 1700000000.5, conv_metadata: { sum_assistant_a_tokens: 321, sum_assistant_b_tokens: 123,
        header_count_a: { h1: 0, h2: 1, h3: 0, h4: 0, h5: 0, h6: 0 }, header_count_b: { h1: 0, h2: 0, h3: 0, h4: 0, h5: 0, h6: 0 },
        list_count_a: { ordered: 1, unordered: 2 }, list_count_b: { ordered: 0, unordered: 0 },
        bold_count_a: { '**': 3, '__': 0 }, bold_count_b: { '**': 0, '__': 0 } } }) + '\n';
    const block = line.repeat(10_000);
    const fd = fs.openSync(file, 'w');
    while (fs.fstatSync(fd).size < 400e6) fs.writeSync(fd, block);
    fs.closeSync(fd);
  }
  try {
    await page.getByTestId('file-input').setInputFiles(file);
    const row = page.getByTestId('progress-row');
    await expect(row).toBeVisible();
    await expect(row.getByTestId('progress-status')).toContainText('rows');
    await row.getByTestId('cancel').click();
    await expect(row.getByTestId('progress-status')).toHaveText('cancelled');
    await expect(page.getByTestId('dataset-card')).toHaveCount(0);
    // Still usable afterwards.
    await page.getByTestId('sample-menu').selectOption('models');
    await expect(card(page, 'models.csv')).toHaveAttribute('data-kind', 'scaling_table');
  } finally {
    fs.rmSync(file, { force: true });
  }
});

test('an unrecognised file becomes a battle log once its columns are mapped', async ({ page }) => {
  const errors = await openApp(page);
  await page.getByTestId('file-input').setInputFiles({
    name: 'games.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('player_1,player_2,result\nx,y,model_a\ny,z,model_a\nz,x,model_a\n'),
  });
  const c = card(page, 'games.csv');
  await expect(c).toHaveAttribute('data-kind', 'unknown');
  const mapper = c.getByTestId('map-columns');
  await mapper.getByTestId('map-kind').selectOption('battle_log');
  await mapper.getByTestId('map-model_a').selectOption('player_1');
  await mapper.getByTestId('map-model_b').selectOption('player_2');
  await mapper.getByTestId('map-winner').selectOption('result');
  await mapper.getByTestId('map-apply').click();
  await expect(card(page, 'games.csv')).toHaveAttribute('data-kind', 'battle_log');
  await expect(card(page, 'games.csv').getByTestId('dataset-facts')).toContainText('3 rows');
  await page.getByTestId('tab-ratings').click();
  await expect(page.getByTestId('leaderboard-row')).toHaveCount(3);
  expect(errors).toEqual([]);
});
