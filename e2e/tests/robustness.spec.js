// Robustness: a worker that dies (a wasm trap, as an out-of-memory is in the release build) is
// noticed, explained and replaced, with the loaded file re-sent, and the next analysis works;
// reviewer marks in local storage are never overwritten when unreadable, storage errors show, and
// marks move in and out as a file.
const fs = require('fs');
const { test, expect } = require('@playwright/test');

const KEY = 'benchlens.defects.marks';

/** The leaderboard as [model, rating] pairs, in rank order. */
function board(page) {
  return page.getByTestId('leaderboard-row').evaluateAll((rows) => rows.map((r) => {
    const td = [...r.querySelectorAll('td')].map((c) => c.innerText.trim());
    return [r.querySelector('td.model').childNodes[0].textContent.trim(), td[2]];
  }));
}

test('a worker that traps mid-analysis is replaced: the page says what to try and the next analysis works', async ({ page }) => {
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.goto('./');
  await page.getByTestId('sample-menu').selectOption('genai-arena');
  await expect(page.getByTestId('dataset-card')).toHaveCount(1);
  await page.getByTestId('tab-ratings').click();
  await expect(page.getByTestId('leaderboard-row')).toHaveCount(13);
  const before = await board(page);

  // The worker traps (wasm `unreachable`) on the next analysis: the settings change below.
  await page.evaluate(() => window.benchlensDebug.trapNextAnalysis());
  await page.getByTestId('ratings-ci').selectOption('none');

  const notice = page.getByTestId('worker-stopped');
  await expect(notice).toBeVisible({ timeout: 15_000 });
  await expect(notice).toContainText('The analysis worker stopped (');
  await expect(notice).toContainText('1 loaded file is being reloaded');
  await expect(notice).toContainText('1 running analysis stopped');
  await expect(notice).toContainText('try a smaller file, or narrow the analysis with a filter');
  await expect(page.getByTestId('ratings-error')).toContainText('The analysis worker stopped before answering');
  await expect(page.getByTestId('ratings-busy')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/robustness-worker-stopped.png', fullPage: false });

  // The fresh worker has the file again: Run again gives the same point ratings as before.
  await page.getByTestId('ratings-retry').click();
  await expect(page.getByTestId('ratings-error')).toHaveCount(0);
  // Computed now, without intervals (the setting that was asked for when the worker died).
  await expect.poll(() => page.getByTestId('leaderboard-row').first().locator('td').nth(3).innerText()).not.toMatch(/\d/);
  await expect(page.getByTestId('leaderboard-row')).toHaveCount(13);
  expect(await board(page)).toEqual(before);
  // And later analyses too (another setting), with the dataset still loaded once.
  await page.getByTestId('ratings-anony').selectOption('true');
  await expect.poll(() => board(page)).not.toEqual(before);
  await expect(page.getByTestId('leaderboard-row')).toHaveCount(13);
  await page.getByTestId('tab-data').click();
  await expect(page.getByTestId('dataset-card')).toHaveCount(1);
  await expect(page.getByTestId('progress-row')).toHaveCount(0);
  await page.getByTestId('worker-stopped-dismiss').click();
  await expect(notice).toHaveCount(0);
  expect(pageErrors).toEqual([]);
});

test('unreadable stored marks are never overwritten; import, export and replacing are the user\'s choice', async ({ page }) => {
  const garbage = '{"business_ethics_test.csv:3:0123456789abcdef": "confirmed_broken",';
  await page.addInitScript(([key, text]) => {
    if (!sessionStorage.getItem('seeded')) {
      localStorage.setItem(key, text);
      sessionStorage.setItem('seeded', '1');
    }
  }, [KEY, garbage]);
  await page.goto('./');
  await page.getByTestId('tab-defects').click();
  const alert = page.getByTestId('marks-store-error');
  await expect(alert).toContainText('Saved marks could not be read');
  await expect(alert).toContainText(`local storage key \`${KEY}\`, line 1`);

  // Importing marks changes the page, not the unreadable storage.
  const file = {
    name: 'team-marks.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify([
      { file: 'a.csv', row: '4', question_hash: '00000000000000aa', mark: 'fine' },
      { file: 'b.csv', row: '9', question_hash: '00000000000000bb', mark: 'confirmed_broken' },
    ])),
  };
  await page.getByTestId('marks-import').setInputFiles(file);
  await expect(page.getByTestId('marks-status')).toContainText('team-marks.json: 2 marks read — 2 new');
  await expect(page.getByTestId('marks-count')).toHaveText('2 marks');
  expect(await page.evaluate((k) => localStorage.getItem(k), KEY)).toBe(garbage);

  // The stored text can be downloaded as it is, to repair it by hand.
  const [raw] = await Promise.all([page.waitForEvent('download'), page.getByTestId('marks-download-unreadable').click()]);
  expect(fs.readFileSync(await raw.path(), 'utf8')).toBe(garbage);

  // Replacing is explicit; afterwards every change is saved again.
  await page.getByTestId('marks-overwrite').click();
  await expect(alert).toHaveCount(0);
  const stored = await page.evaluate((k) => JSON.parse(localStorage.getItem(k)), KEY);
  expect(stored).toEqual({ 'a.csv:4:00000000000000aa': 'fine', 'b.csv:9:00000000000000bb': 'confirmed_broken' });

  // A broken file is named with its line; nothing changes.
  await page.getByTestId('marks-import').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('[\n{"file": ') });
  await expect(page.getByTestId('marks-status')).toContainText('broken.json: line 2');
  await expect(page.getByTestId('marks-count')).toHaveText('2 marks');

  // Export gives the records back.
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('marks-export').click()]);
  expect(dl.suggestedFilename()).toBe('benchlens-marks.json');
  const records = JSON.parse(fs.readFileSync(await dl.path(), 'utf8'));
  expect(records).toEqual([
    { file: 'a.csv', row: '4', question_hash: '00000000000000aa', mark: 'fine' },
    { file: 'b.csv', row: '9', question_hash: '00000000000000bb', mark: 'confirmed_broken' },
  ]);
});

test('a storage that refuses to save is shown, not ignored', async ({ page }) => {
  await page.addInitScript(() => {
    Storage.prototype.setItem = function setItem() {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
  });
  await page.goto('./');
  await page.evaluate((k) => localStorage.removeItem(k), KEY);
  await page.getByTestId('tab-defects').click();
  await expect(page.getByTestId('marks-store-error')).toHaveCount(0);
  await page.getByTestId('marks-import').setInputFiles({
    name: 'm.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify({ 'a.csv:1:00000000000000aa': 'fine' })),
  });
  await expect(page.getByTestId('marks-count')).toHaveText('1 mark');
  await expect(page.getByTestId('marks-store-error')).toContainText('Marks are not being saved');
  await expect(page.getByTestId('marks-store-error')).toContainText('export them');
});
