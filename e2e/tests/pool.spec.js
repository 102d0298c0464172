// The worker pool (#15): a battle log large enough to be cut into segments gives the same
// dataset, leaderboard and intervals with one worker (?workers=1) as with two, and Cancel stops a
// pooled parse. A bootstrap long enough to spread its rounds over the pool's helpers gives the
// very same intervals as one worker computing every round.
const { test, expect } = require('@playwright/test');
const fs = require('fs');
const os = require('os');
const path = require('path');

// ~40 MB of clean_battle JSON: above the pool's 2 × 16 MB threshold, a few seconds to parse.
function writeLog(file) {
  if (fs.existsSync(file)) return;
  const models = Array.from({ length: 12 }, (_, i) => `model-${String.fromCharCode(97 + i)}`);
  const winners = ['model_a', 'model_b', 'tie', 'tie (bothbad)'];
  const parts = ['['];
  for (let i = 0; i < 60_000; i += 1) {
    // Every 5,000th record is unusable: a warning whose line the merge must keep.
    const record = i % 5000 === 17
      ? { model_a: 7, model_b: models[1], winner: 'tie' }
      : {
        model_a: models[i % 12], model_b: models[(i + 1 + (Math.floor(i / 12) % 11)) % 12],
        winner: winners[(i * 31 + Math.floor(i / 7)) % 4], judge: `judge-${i % 5}`, turn: 1 + (i % 3), anony: i % 3 !== 0,
        language: ['English', 'German', 'Chinese'][i % 3], tstamp: 1.7e9 + i,
        conv_metadata: { sum_assistant_a_tokens: 100 + (i % 90), sum_assistant_b_tokens: 120 + (i % 70),
          header_count_a: { h1: i % 2, h2: 0 }, header_count_b: { h1: 0, h2: i % 3 },
          list_count_a: { ordered: 1, unordered: 0 }, list_count_b: { ordered: 0, unordered: 2 },
          bold_count_a: { '**': i % 4, '__': 0 }, bold_count_b: { '**': 1, '__': 0 } },
        note: 'x'.repeat(400 + (i % 200)),
      };
    parts.push(`${i ? ',' : ''}\n  ${JSON.stringify(record)}`);
  }
  parts.push('\n]\n');
  fs.writeFileSync(file, parts.join(''));
}

// 100 models, 30,000 battles (a small file, read by one worker): each bootstrap round refits
// 100 ratings over ~5,000 pairs, long enough that the helper computes rounds.
function writeManyModels(file) {
  if (fs.existsSync(file)) return;
  const lines = ['model_a,model_b,winner'];
  let seed = 7;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  for (let i = 0; i < 30_000; i += 1) {
    const a = Math.floor(next() * 100);
    const b = (a + 1 + Math.floor(next() * 99)) % 100;
    const pa = 1 / (1 + 10 ** ((b - a) / 100));
    const u = next();
    const winner = u < 0.1 ? 'tie' : (u - 0.1) / 0.9 < pa ? 'model_a' : 'model_b';
    lines.push(`m${String(a).padStart(3, '0')},m${String(b).padStart(3, '0')},${winner}`);
  }
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
}

const file = path.join(os.tmpdir(), `benchlens-e2e-pool-${process.pid}.json`);
const manyModels = path.join(os.tmpdir(), `benchlens-e2e-pool-models-${process.pid}.csv`);
test.afterAll(() => {
  fs.rmSync(file, { force: true });
  fs.rmSync(manyModels, { force: true });
});

// Console lines of the page and its workers that match `pattern` (the coordinator reports the
// pool's work at the console's verbose level), as their captured groups in numbers.
function consoleReports(page, pattern) {
  const found = [];
  page.on('console', (m) => {
    const hit = pattern.exec(m.text());
    if (hit) found.push(hit.slice(1).map(Number));
  });
  return found;
}

async function rate(page, workers, log = file) {
  await page.goto(`./?workers=${workers}`);
  await page.getByTestId('file-input').setInputFiles(log);
  const card = page.getByTestId('dataset-card');
  await expect(card).toHaveCount(1, { timeout: 60_000 });
  const facts = await card.getByTestId('dataset-facts').innerText();
  const warnings = await card.getByTestId('dataset-warning').allInnerTexts();
  await page.getByTestId('tab-ratings').click();
  await page.waitForFunction(() => {
    if (document.querySelector('[data-testid="ratings-busy"], [data-testid="ratings-stale"]')) return false;
    const rows = [...document.querySelectorAll('[data-testid="leaderboard-row"]')];
    return rows.length > 0 && rows.every((tr) => tr.children[3]?.textContent.trim() && tr.children[4]?.textContent.trim());
  }, null, { timeout: 60_000, polling: 100 });
  const board = await page.getByTestId('leaderboard').innerText();
  expect(await page.evaluate(() => globalThis.__benchlensPoolSize)).toBe(workers);
  return { facts, warnings, board };
}

test('one worker and a pool of two give the same dataset, leaderboard and intervals', async ({ page }) => {
  test.setTimeout(120_000);
  writeLog(file);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const alone = await rate(page, 1);
  const pooled = await rate(page, 2);
  expect(alone.facts).toMatch(/row/);
  expect(alone.warnings.join('\n')).toMatch(/:\d+/);
  expect(pooled).toEqual(alone);
  expect(errors).toEqual([]);
});

test('bootstrap rounds spread over the pool give the intervals of one worker', async ({ page }) => {
  test.setTimeout(180_000);
  writeManyModels(manyModels);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const shares = consoleReports(page, /(\d+) of (\d+) bootstrap rounds came from (\d+) pool helpers/);
  const alone = await rate(page, 1, manyModels);
  expect(shares).toEqual([]);
  const pooled = await rate(page, 2, manyModels);
  expect(alone.board.split('\n').length).toBeGreaterThan(100);
  expect(pooled).toEqual(alone);
  expect(shares.length).toBe(1);
  const [fromHelpers, rounds, helpers] = shares[0];
  console.log(`bootstrap: ${fromHelpers} of ${rounds} rounds from ${helpers} helper`);
  expect(rounds).toBe(1000);
  expect(helpers).toBe(1);
  expect(fromHelpers).toBeGreaterThan(0);
  expect(errors).toEqual([]);
});

test('Cancel stops a pooled parse, and the page still loads files', async ({ page }) => {
  test.setTimeout(60_000);
  writeLog(file);
  await page.goto('./?workers=2');
  await page.getByTestId('file-input').setInputFiles(file);
  const row = page.getByTestId('progress-row');
  await expect(row).toBeVisible();
  await row.getByTestId('cancel').click();
  await expect(row.getByTestId('progress-status')).toHaveText('cancelled');
  await expect(page.getByTestId('dataset-card')).toHaveCount(0);
  await page.getByTestId('file-input').setInputFiles(file);
  await expect(page.getByTestId('dataset-card')).toHaveCount(1, { timeout: 60_000 });
});

test("a second file is parsed in segments too: the parse's helpers are replaced by spares", async ({ page }) => {
  test.setTimeout(120_000);
  writeLog(file);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const pooled = consoleReports(page, /was parsed in (\d+) segments/);
  await page.goto('./?workers=2');
  await page.getByTestId('file-input').setInputFiles(file);
  await expect(page.getByTestId('dataset-card')).toHaveCount(1, { timeout: 60_000 });
  await page.getByTestId('file-input').setInputFiles(file);
  await expect(page.getByTestId('dataset-card')).toHaveCount(2, { timeout: 60_000 });
  await expect.poll(() => pooled.length).toBe(2);
  expect(pooled).toEqual([[2], [2]]);
  const facts = await page.getByTestId('dataset-facts').allInnerTexts();
  expect(facts[0]).toMatch(/row/);
  expect(facts[1]).toBe(facts[0]);
  expect(errors).toEqual([]);
});
