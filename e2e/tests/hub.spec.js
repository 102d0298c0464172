// Open from the Hugging Face hub, against a local stand-in (e2e/support/hub-server.js) named with
// `?hub=` (honoured on loopback pages only): the listing is paged, the files are read through the
// resolve redirect by range requests, never whole; the shards of a split load as one dataset that
// rates exactly as the same battles in clean_battle JSON; `?data=hf://…` share links reproduce the
// view; 404, a gated dataset (401), a glob that matches nothing, an unreachable hub and a slow one
// (Cancel) each say what happened, and the page keeps working.
// The page switches to its Parquet worker (worker-parquet) for hub datasets.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { test, expect } = require('@playwright/test');

const { leaderboard } = require('../support/leaderboard');
const { startHub } = require('../support/hub-server');

const PARQUET = path.join(__dirname, '../../crates/engine/tests/fixtures/parquet');
// The 140k-shaped shards: the first is snappy, the second zstd (the Parquet worker reads both).
const SHARDS = [path.join(PARQUET, 'arena-140k/data/train-00000-of-00002.parquet'),
  path.join(PARQUET, 'arena-140k/data/train-00001-of-00002.parquet')];
const SHARD = (i) => SHARDS[i];
// A shard whose first data page is junk (as the engine's damaged-page test makes it).
const DAMAGED = path.join(os.tmpdir(), `benchlens-hub-damaged-${process.pid}.parquet`);
const MINI = 'hf://datasets/lmarena-ai/arena-mini';

let hub;

test.beforeAll(async () => {
  const damaged = fs.readFileSync(path.join(PARQUET, 'codecs/battles-snappy.parquet'));
  damaged.fill(0xff, 30, 70);
  fs.writeFileSync(DAMAGED, damaged);
  const readme = path.join(PARQUET, 'arena-140k/pair_counts.duckdb.csv');
  const main = {
    'README.md': readme,
    'data/train-00000-of-00002.parquet': SHARD(0),
    'data/train-00001-of-00002.parquet': SHARD(1),
  };
  hub = await startHub({
    'lmarena-ai/arena-mini': { revisions: { main, 'refs/convert/parquet': { 'default/train/0000.parquet': SHARD(0) } } },
    'lmarena-ai/two-splits': { revisions: { main: { 'data/train-00000-of-00001.parquet': SHARD(0), 'data/test-00000-of-00001.parquet': SHARD(1) } } },
    'lmarena-ai/gated': { gated: true, revisions: { main } },
    'lmarena-ai/damaged': { revisions: { main: { 'data/train-00000-of-00001.parquet': DAMAGED } } },
  }, { pageSize: 2 });
});

test.afterAll(async () => {
  await hub.close();
});

test.beforeEach(() => {
  hub.requests.length = 0;
  hub.slowMs = 0;
});

async function open(page, query = `?hub=${encodeURIComponent(hub.origin)}`) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`./${query}`);
  await expect(page.getByTestId('dataset-panel')).toBeVisible();
  return errors;
}

async function openFromBox(page, spec) {
  if (!(await page.getByTestId('hub-input').isVisible())) await page.getByTestId('hub-toggle').click();
  await page.getByTestId('hub-input').fill(spec);
  await page.getByTestId('hub-open').click();
}

async function ratings(page) {
  await page.getByTestId('tab-ratings').click();
  await expect(page.getByTestId('leaderboard-row').first()).toBeVisible({ timeout: 90_000 });
  return leaderboard(page);
}

test('a paged listing, the resolve redirect and range requests load the shards as one dataset that rates as its JSON; the share link reproduces it', async ({ page, context }) => {
  const errors = await open(page);
  await openFromBox(page, `${MINI}/data/train-*.parquet`);
  const card = page.getByTestId('dataset-card');
  await expect(card).toHaveCount(1, { timeout: 60_000 });
  await expect(card.getByTestId('dataset-name')).toHaveText('lmarena-ai/arena-mini/data/train-*.parquet');
  await expect(card).toHaveAttribute('data-kind', 'battle_log');
  await expect(card.getByTestId('dataset-facts')).toContainText('parquet (snappy)');
  const warnings = await card.getByTestId('dataset-warning').allInnerTexts();
  expect(warnings.filter((w) => /error|cannot/i.test(w))).toEqual([]);

  // Listing: two pages of two entries (data, README.md | the two shards), followed by Link.
  const tree = hub.requests.filter((r) => r.server === 'hub' && r.url.includes('/tree/'));
  expect(tree.map((r) => new URL(r.url, hub.origin).searchParams.get('cursor'))).toEqual([null, '2']);
  // Each shard: one resolve (302 to the CDN), then only ranges straight at the CDN, none whole.
  const resolves = hub.requests.filter((r) => r.url.includes('/resolve/') && r.method === 'GET');
  expect(resolves.map((r) => r.url.split('/').pop()).sort()).toEqual(['train-00000-of-00002.parquet', 'train-00001-of-00002.parquet']);
  expect(resolves.every((r) => r.status === 302 && /^bytes=\d+-\d+$/.test(r.range))).toBe(true);
  const cdn = hub.requests.filter((r) => r.server === 'cdn' && r.method === 'GET');
  expect(cdn.length).toBeGreaterThan(2);
  expect(cdn.every((r) => r.status === 206 && /^bytes=\d+-\d+$/.test(r.range))).toBe(true);
  // No request asks for a whole file.
  const sizes = { 'train-00000-of-00002.parquet': fs.statSync(SHARD(0)).size, 'train-00001-of-00002.parquet': fs.statSync(SHARD(1)).size };
  const spans = cdn.map((r) => {
    const [first, last] = r.range.slice(6).split('-').map(Number);
    const file = r.url.split('/').pop();
    expect(last - first + 1, `${file} ${r.range}`).toBeLessThan(sizes[file]);
    return last - first + 1;
  });
  // Footer, then blocks of column chunks: each byte about once.
  const total = sizes['train-00000-of-00002.parquet'] + sizes['train-00001-of-00002.parquet'];
  expect(spans.reduce((n, s) => n + s, 0)).toBeLessThanOrEqual(1.05 * total);

  const fromHub = await ratings(page);
  expect(fromHub.length).toBeGreaterThan(5);

  // The share link says `data=hf://…` and reproduces the view.
  await page.getByTestId('copy-link').click();
  const link = await page.getByTestId('share-link').inputValue();
  expect(decodeURIComponent(link)).toContain(`data=${MINI}/data/train-*.parquet`);
  const other = await context.newPage();
  const u = new URL(link);
  u.searchParams.set('hub', hub.origin);
  await other.goto(u.toString());
  await expect(other.getByTestId('leaderboard-row').first()).toBeVisible({ timeout: 90_000 });
  expect(await leaderboard(other)).toEqual(fromHub);

  // The same battles as clean_battle JSONL: the very same leaderboard.
  const json = await context.newPage();
  await json.goto('./');
  await json.getByTestId('file-input').setInputFiles(path.join(PARQUET, 'arena-140k/clean_battle.jsonl'));
  await expect(json.getByTestId('dataset-card')).toHaveCount(1, { timeout: 60_000 });
  expect(await ratings(json)).toEqual(fromHub);

  // A ?data=hf:// link written by hand, with an encoded revision, loads too.
  const byHand = await context.newPage();
  await byHand.goto(`./?hub=${encodeURIComponent(hub.origin)}&data=${encodeURIComponent(`${MINI}@refs%2Fconvert%2Fparquet/default/train/*.parquet`)}`);
  await expect(byHand.getByTestId('dataset-card')).toHaveCount(1, { timeout: 60_000 });
  expect(hub.requests.some((r) => r.url.includes('/tree/refs%2Fconvert%2Fparquet?'))).toBe(true);
  expect(errors).toEqual([]);
});

test('404, a gated dataset, no matching file, several splits, a bad link and an unreachable hub each say what to do', async ({ page }) => {
  const errors = await open(page);
  const status = page.getByTestId('progress-status');
  const cases = [
    ['hf://datasets/nobody/nothing', /HTTP 404: no such dataset, revision “main” or file/],
    [`${MINI}@v9/data/*.parquet`, /HTTP 404: no such dataset, revision “v9”/],
    ['hf://datasets/lmarena-ai/gated', /HTTP 401: the dataset is gated or private.*sends no token.*accept the dataset's terms at http:\/\/127\.0\.0\.1:\d+\/datasets\/lmarena-ai\/gated/],
    [`${MINI}/data/validation-*.parquet`, /no Parquet file matches “data\/validation-\*.parquet”; the dataset has 2/],
    ['hf://datasets/lmarena-ai/two-splits', /2 splits \(data\/test, data\/train\); a link loads one/],
  ];
  for (const [spec, message] of cases) {
    await openFromBox(page, spec);
    await expect(status.last()).toHaveText(message, { timeout: 30_000 });
  }
  await expect(page.getByTestId('dataset-card')).toHaveCount(0);

  await openFromBox(page, 'hf://datasets/a b/c');
  await expect(page.getByTestId('hub-error')).toContainText('owner “a b” is not a hub name');

  // A hub that does not answer at all.
  const gone = await startHub({});
  const goneOrigin = gone.origin;
  await gone.close();
  const page2 = await page.context().newPage();
  await page2.goto(`./?hub=${encodeURIComponent(goneOrigin)}`);
  await openFromBox(page2, `${MINI}/data/*.parquet`);
  await expect(page2.getByTestId('progress-status').last()).toHaveText(/the request could not be made or timed out/, { timeout: 30_000 });

  // The page still works: a good link after all that loads.
  await openFromBox(page, `${MINI}/data/train-*.parquet`);
  await expect(page.getByTestId('dataset-card')).toHaveCount(1, { timeout: 60_000 });

  // A file that cannot be decoded is named, with its row group and column.
  await openFromBox(page, 'hf://datasets/lmarena-ai/damaged');
  const damaged = page.getByTestId('dataset-card').filter({ hasText: 'lmarena-ai/damaged' });
  await expect(damaged.getByTestId('dataset-warning').first()).toContainText(/data\/train-00000-of-00001\.parquet: row group 1 of 3.*column `model_a`/, { timeout: 30_000 });
  expect(errors).toEqual([]);
});

test('a slow hub: Cancel stops the load, and the page stays usable meanwhile', async ({ page }) => {
  const errors = await open(page);
  hub.slowMs = 1500;
  await openFromBox(page, `${MINI}/data/train-*.parquet`);
  const row = page.getByTestId('progress-row');
  await expect(row).toHaveCount(1);
  // The page answers while the worker waits on the network.
  await page.getByTestId('tab-ratings').click();
  await page.getByTestId('tab-data').click();
  await expect(page.getByTestId('hub-toggle')).toBeEnabled();
  await expect.poll(() => hub.requests.filter((r) => r.server === 'cdn').length, { timeout: 30_000 }).toBeGreaterThan(0);
  const before = Date.now();
  await row.getByTestId('cancel').click();
  await expect(page.getByTestId('progress-status')).toHaveText('cancelled', { timeout: 15_000 });
  expect(Date.now() - before).toBeLessThan(15_000);
  const asked = hub.requests.length;
  await page.waitForTimeout(3 * hub.slowMs);
  // Nothing more is fetched after the Cancel was heard (one request may have been in flight).
  expect(hub.requests.length).toBeLessThanOrEqual(asked + 1);
  await expect(page.getByTestId('dataset-card')).toHaveCount(0);
  hub.slowMs = 0;
  await openFromBox(page, `${MINI}/data/train-*.parquet`);
  await expect(page.getByTestId('dataset-card')).toHaveCount(1, { timeout: 60_000 });
  expect(errors).toEqual([]);
});
