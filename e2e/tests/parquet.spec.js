// Parquet in the page, read by a second worker module the page fetches only when a Parquet file
// arrives (src/intake/parquet_worker.rs): hub shards dropped together rate exactly as their
// clean_battle JSON and as the CLI (e2e/fixtures/ratings-arena-140k-parquet.csv, command in
// e2e/fixtures/README.md); a file loaded before the switch stays loaded; a link to shards on a host
// reproduces the view; every codec the hub uses loads (zstd too); a cut-off file and a wrong magic
// number say what is wrong, naming the file, and the page keeps working.
const fs = require('fs');
const path = require('path');
const { test, expect } = require('@playwright/test');

const { cli, expectSameAsCli, leaderboard } = require('../support/leaderboard');
const { dataHost, staticUnder, recordRequests, foreign } = require('../support/servers');

const PARQUET = path.join(__dirname, '../../crates/engine/tests/fixtures/parquet');
const SHARD_NAMES = ['train-00000-of-00002.parquet', 'train-00001-of-00002.parquet'];
// As the fixture script writes them: the first shard snappy, the second zstd.
const SHARDS = SHARD_NAMES.map((f) => path.join(PARQUET, 'arena-140k/data', f));
const CLEAN_BATTLE = path.join(PARQUET, 'arena-140k/clean_battle.jsonl');

/** Uncaught errors of the page, collected from now on. */
function pageErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}

async function open(page) {
  const errors = pageErrors(page);
  await page.goto('./');
  await expect(page.getByTestId('dataset-panel')).toBeVisible();
  return errors;
}

function card(page, name) {
  return page.getByTestId('dataset-card').filter({ hasText: name });
}

const parquetWorker = (urls) => urls.filter((u) => /worker-parquet/.test(u));

async function ratings(page) {
  await page.getByTestId('tab-ratings').click();
  await expect(page.getByTestId('leaderboard-row').first()).toBeVisible({ timeout: 90_000 });
  return leaderboard(page);
}

test('shards dropped together rate as their clean_battle JSON and the CLI; the Parquet worker comes only then', async ({ page }) => {
  const requests = recordRequests(page);
  const errors = await open(page);
  const expected = cli('ratings-arena-140k-parquet.csv');
  expect(expected.length).toBeGreaterThan(5);

  // The same battles as clean_battle JSONL first: the small worker reads it.
  await page.getByTestId('file-input').setInputFiles(CLEAN_BATTLE);
  await expect(page.getByTestId('dataset-card')).toHaveCount(1, { timeout: 60_000 });
  const fromJson = await ratings(page);
  expectSameAsCli(fromJson, expected, { intervals: true });
  expect(parquetWorker(requests)).toEqual([]);

  // The shards switch the page to the Parquet worker; the JSON file is reloaded into it.
  await page.getByTestId('tab-data').click();
  await page.getByTestId('file-input').setInputFiles(SHARDS);
  await expect(page.getByTestId('dataset-card')).toHaveCount(3, { timeout: 60_000 });
  await expect(page.getByTestId('parquet-reader-status')).toHaveCount(0, { timeout: 60_000 });
  expect(parquetWorker(requests).length).toBeGreaterThan(0);
  for (const [shard, codec] of [[SHARD_NAMES[0], 'snappy'], [SHARD_NAMES[1], 'zstd']]) {
    await expect(card(page, shard).getByTestId('dataset-facts')).toContainText(`parquet (${codec})`);
    await expect(card(page, shard)).toHaveAttribute('data-kind', 'battle_log');
  }
  await expect(card(page, 'clean_battle.jsonl')).toHaveAttribute('data-kind', 'battle_log');
  await expect(page.getByTestId('dataset-warning').filter({ hasText: /error|cannot/i })).toHaveCount(0);

  // The shards alone are one dataset of the same battles: the very same leaderboard.
  await card(page, 'clean_battle.jsonl').getByTestId('remove-dataset').click();
  await expect(page.getByTestId('dataset-card')).toHaveCount(2);
  const fromParquet = await ratings(page);
  expectSameAsCli(fromParquet, expected, { intervals: true });
  expect(fromParquet).toEqual(fromJson);

  // Every analysis now runs in the Parquet worker, and a later text file still loads there.
  await page.getByTestId('tab-data').click();
  await page.getByTestId('sample-menu').selectOption('genai-arena');
  await expect(page.getByTestId('dataset-card')).toHaveCount(3, { timeout: 60_000 });
  expect(errors).toEqual([]);
});

test('a link to shards on a host loads them with the Parquet worker and reproduces the view', async ({ page, browser, baseURL }) => {
  const host = await dataHost(Object.fromEntries(SHARD_NAMES.map((name, i) => [
    `/data/${name}`, { body: fs.readFileSync(SHARDS[i]), type: 'application/octet-stream' },
  ])));
  try {
    const requests = recordRequests(page);
    const errors = pageErrors(page);
    const data = SHARD_NAMES.map((n) => `data=${encodeURIComponent(`${host.origin}/data/${n}`)}`).join('&');
    await page.goto(`./?view=ratings&${data}`);
    await expect(page.getByTestId('leaderboard-row').first()).toBeVisible({ timeout: 90_000 });
    const shown = await leaderboard(page);
    expectSameAsCli(shown, cli('ratings-arena-140k-parquet.csv'), { intervals: true });
    await page.getByTestId('ratings-ties').selectOption('drop');
    await expect(page.getByTestId('ratings-busy')).toHaveCount(0, { timeout: 90_000 });
    const sender = await leaderboard(page);
    expect(foreign(requests, [baseURL, host.origin])).toEqual([]);

    await page.getByTestId('copy-link').click();
    const link = await page.getByTestId('share-link').inputValue();
    expect(link).toContain('ties=drop');
    const fresh = await browser.newContext();
    const receiver = await fresh.newPage();
    await receiver.goto(link);
    await expect(receiver.getByTestId('leaderboard-row').first()).toBeVisible({ timeout: 90_000 });
    await expect(receiver.getByTestId('ratings-ties')).toHaveValue('drop');
    expect(await leaderboard(receiver)).toEqual(sender);
    await fresh.close();
    expect(errors).toEqual([]);
  } finally {
    await host.close();
  }
});

test('every codec the hub uses loads; a cut-off file and a wrong magic number are named', async ({ page }) => {
  const errors = await open(page);
  const readable = ['none', 'snappy', 'zstd', 'gzip', 'lz4', 'brotli'];
  await page.getByTestId('file-input').setInputFiles(readable.map((c) => path.join(PARQUET, `codecs/battles-${c}.parquet`)));
  await expect(page.getByTestId('dataset-card')).toHaveCount(readable.length, { timeout: 60_000 });
  for (const c of readable) {
    await expect(card(page, `battles-${c}.parquet`)).toHaveAttribute('data-kind', 'battle_log');
    await expect(card(page, `battles-${c}.parquet`).getByTestId('dataset-facts')).toContainText(c === 'none' ? 'uncompressed' : c);
  }
  const shard = fs.readFileSync(SHARDS[0]);
  await page.getByTestId('file-input').setInputFiles({ name: 'cut.parquet', mimeType: 'application/octet-stream', buffer: shard.subarray(0, 5000) });
  await expect(card(page, 'cut.parquet').getByTestId('dataset-warning').first()).toContainText('truncated Parquet file');
  const wrong = Buffer.from(shard);
  wrong.write('PAR9', 0);
  await page.getByTestId('file-input').setInputFiles({ name: 'wrong-magic.parquet', mimeType: 'application/octet-stream', buffer: wrong });
  await expect(card(page, 'wrong-magic.parquet').getByTestId('dataset-warning').first()).toContainText('wrong magic number');
  // The readable ones rate together: six models, the same 8 battles six times over, where one
  // model never wins, so the page says which models have no finite rating (the MLE's rule).
  await page.getByTestId('tab-ratings').click();
  await expect(page.getByTestId('ratings-error')).toContainText('never won against the rest: mistral-large', { timeout: 90_000 });
  expect(errors).toEqual([]);
});

test('a Parquet file without a .parquet name is recognised by its magic number', async ({ page }) => {
  const errors = await open(page);
  // A slow download of the Parquet worker: the page says what it is waiting for.
  await page.route('**/worker-parquet_bg.wasm', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await route.continue();
  });
  await page.getByTestId('file-input').setInputFiles({ name: 'votes', mimeType: 'application/octet-stream', buffer: fs.readFileSync(SHARDS[0]) });
  await expect(page.getByTestId('parquet-reader-status')).toContainText('Loading the Parquet reader');
  await expect(card(page, 'votes')).toHaveAttribute('data-kind', 'battle_log', { timeout: 60_000 });
  await expect(page.getByTestId('parquet-reader-status')).toHaveCount(0);
  await expect(card(page, 'votes').getByTestId('dataset-facts')).toContainText('parquet (snappy)');
  expect(errors).toEqual([]);
});

test('an analysis running during the switch is asked again, and a trap restarts the Parquet worker', async ({ page }) => {
  const requests = recordRequests(page);
  const errors = await open(page);
  await page.getByTestId('sample-menu').selectOption('genai-arena');
  await expect(page.getByTestId('dataset-card')).toHaveCount(1);
  await page.getByTestId('tab-ratings').click();
  // Dropped while the bootstrap runs (if it is still running): it is asked again, never failed.
  await page.getByTestId('file-input').setInputFiles(SHARDS);
  await expect(page.getByTestId('leaderboard-row').first()).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId('ratings-busy')).toHaveCount(0, { timeout: 90_000 });
  await expect(page.getByTestId('ratings-error')).toHaveCount(0);
  // 13 genai-arena models and the 6 of the shards.
  await expect(page.getByTestId('leaderboard-row')).toHaveCount(19);
  const before = await leaderboard(page);
  const fetched = parquetWorker(requests).length;
  expect(fetched).toBeGreaterThan(0);

  await page.evaluate(() => window.benchlensDebug.trapNextAnalysis());
  await page.getByTestId('ratings-ci').selectOption('none');
  await expect(page.getByTestId('worker-stopped')).toContainText('3 loaded files are being reloaded', { timeout: 15_000 });
  await page.getByTestId('ratings-retry').click();
  await expect(page.getByTestId('ratings-error')).toHaveCount(0);
  await expect.poll(() => page.getByTestId('leaderboard-row').first().locator('td').nth(3).innerText()).not.toMatch(/\d/);
  const after = await leaderboard(page);
  expect(after.map((r) => [r.model, r.rating, r.battles])).toEqual(before.map((r) => [r.model, r.rating, r.battles]));
  // The fresh worker is the Parquet one again (fetched anew), not the small one.
  expect(parquetWorker(requests).length).toBeGreaterThan(fetched);
  await page.getByTestId('tab-data').click();
  await expect(page.getByTestId('dataset-card')).toHaveCount(3);
  expect(errors).toEqual([]);
});

test('under the /benchlens/ sub-path the Parquet worker is fetched from there', async ({ page }) => {
  const site = await staticUnder(path.resolve(__dirname, '../../dist-subpath'), '/benchlens/');
  try {
    const requests = recordRequests(page);
    const errors = pageErrors(page);
    await page.goto(`${site.origin}/benchlens/`);
    await page.getByTestId('file-input').setInputFiles(SHARDS);
    await expect(page.getByTestId('dataset-card')).toHaveCount(2, { timeout: 60_000 });
    await expect(card(page, SHARD_NAMES[1])).toHaveAttribute('data-kind', 'battle_log');
    expect(parquetWorker(requests)).toContain(`${site.origin}/benchlens/worker-parquet.js`);
    expect(foreign(requests, [`${site.origin}/benchlens/`])).toEqual([]);
    expect(errors).toEqual([]);
  } finally {
    await site.close();
  }
});
