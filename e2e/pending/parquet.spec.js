// PENDING (not run by the test command): needs a page built with `--features page-parquet`, which
// the served build is not until Parquet is its own wasm module (issue #14, Cargo.toml [features]).
// Against such a build on 2026-12-03 the second test passed up to its last step, whose expectation
// was then corrected (the codec files have no finite MLE); the first needs its CLI fixture.
// Parquet in the page: hub shards dropped together rate exactly as their clean_battle JSON and as
// the CLI (e2e/fixtures/ratings-arena-140k-parquet.csv, command in e2e/fixtures/README.md); every
// codec the worker build decodes loads; zstd, a cut-off file and a wrong magic number say what is
// wrong, naming the file.
const fs = require('fs');
const path = require('path');
const { test, expect } = require('@playwright/test');

const { cli, expectSameAsCli, leaderboard } = require('../support/leaderboard');

const PARQUET = path.join(__dirname, '../../crates/engine/tests/fixtures/parquet');
const SHARDS = ['train-00000-of-00002.parquet', 'train-00001-of-00002.parquet']
  .map((f) => path.join(PARQUET, 'arena-140k/data', f));

async function open(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto('./');
  await expect(page.getByTestId('dataset-panel')).toBeVisible();
  return errors;
}

function card(page, name) {
  return page.getByTestId('dataset-card').filter({ hasText: name });
}

test('140k-shaped shards dropped together rate as their clean_battle JSON and the CLI', async ({ page }) => {
  const errors = await open(page);
  await page.getByTestId('file-input').setInputFiles(SHARDS);
  await expect(page.getByTestId('dataset-card')).toHaveCount(2, { timeout: 60_000 });
  for (const shard of SHARDS) {
    const facts = card(page, path.basename(shard)).getByTestId('dataset-facts');
    await expect(facts).toContainText('parquet (snappy)');
    await expect(card(page, path.basename(shard))).toHaveAttribute('data-kind', 'battle_log');
  }
  await expect(page.getByTestId('dataset-warning').filter({ hasText: /error|cannot/i })).toHaveCount(0);
  await page.getByTestId('tab-ratings').click();
  await expect(page.getByTestId('leaderboard-row').first()).toBeVisible({ timeout: 90_000 });
  const expected = cli('ratings-arena-140k-parquet.csv');
  expect(expected.length).toBeGreaterThan(5);
  const fromParquet = await leaderboard(page);
  expectSameAsCli(fromParquet, expected, { intervals: true });

  // The same battles as clean_battle JSONL, on their own: the very same leaderboard.
  await page.getByTestId('tab-data').click();
  while (await page.getByTestId('remove-dataset').count() > 0) {
    await page.getByTestId('remove-dataset').first().click();
  }
  await page.getByTestId('file-input').setInputFiles(path.join(PARQUET, 'arena-140k/clean_battle.jsonl'));
  await expect(page.getByTestId('dataset-card')).toHaveCount(1, { timeout: 60_000 });
  await page.getByTestId('tab-ratings').click();
  await expect(page.getByTestId('leaderboard-row').first()).toBeVisible({ timeout: 90_000 });
  expect(await leaderboard(page)).toEqual(fromParquet);
  expect(errors).toEqual([]);
});

test('every codec the page decodes loads; zstd, a cut-off file and a wrong magic number are named', async ({ page }) => {
  const errors = await open(page);
  const readable = ['none', 'snappy', 'gzip', 'lz4', 'brotli'];
  await page.getByTestId('file-input').setInputFiles(readable.map((c) => path.join(PARQUET, `codecs/battles-${c}.parquet`)));
  await expect(page.getByTestId('dataset-card')).toHaveCount(readable.length, { timeout: 60_000 });
  for (const c of readable) {
    await expect(card(page, `battles-${c}.parquet`)).toHaveAttribute('data-kind', 'battle_log');
    await expect(card(page, `battles-${c}.parquet`).getByTestId('dataset-facts')).toContainText(c === 'none' ? 'uncompressed' : c);
  }
  await page.getByTestId('file-input').setInputFiles(path.join(PARQUET, 'codecs/battles-zstd.parquet'));
  await expect(card(page, 'battles-zstd.parquet').getByTestId('dataset-warning').first())
    .toContainText('compressed with zstd');
  const shard = fs.readFileSync(SHARDS[0]);
  await page.getByTestId('file-input').setInputFiles({ name: 'cut.parquet', mimeType: 'application/octet-stream', buffer: shard.subarray(0, 5000) });
  await expect(card(page, 'cut.parquet').getByTestId('dataset-warning').first()).toContainText('truncated Parquet file');
  const wrong = Buffer.from(shard);
  wrong.write('PAR9', 0);
  await page.getByTestId('file-input').setInputFiles({ name: 'wrong-magic.parquet', mimeType: 'application/octet-stream', buffer: wrong });
  await expect(card(page, 'wrong-magic.parquet').getByTestId('dataset-warning').first()).toContainText('wrong magic number');
  // The readable ones rate together: six models, the same 8 battles five times over, where one
  // model never wins, so the page says which models have no finite rating (the MLE's rule).
  await page.getByTestId('tab-ratings').click();
  await expect(page.getByTestId('ratings-error')).toContainText('never won against the rest: mistral-large', { timeout: 90_000 });
  expect(errors).toEqual([]);
});
