// Hostile and broken input: each case gets a clear message (file, line and field where there is
// one), nothing is thrown in the page, and the page is still usable afterwards: a good file loads
// and rates. One test per case, as the hardening issue lists them.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { test, expect } = require('@playwright/test');

const GOOD = 'model_a,model_b,winner\na,b,model_a\nb,c,model_a\nc,a,model_a\na,c,model_b\nb,a,tie\n';

function card(page, name) {
  return page.getByTestId('dataset-card').filter({ has: page.getByTestId('dataset-name').getByText(name, { exact: true }) });
}

async function open(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto('./');
  await expect(page.getByTestId('dataset-panel')).toBeVisible();
  return errors;
}

async function drop(page, name, content) {
  // `{ path }` for a file on disk, else the content itself.
  const file = content && content.path
    ? content.path
    : { name, mimeType: 'application/octet-stream', buffer: Buffer.from(content) };
  await page.getByTestId('file-input').setInputFiles(file);
  await expect(card(page, name)).toBeVisible({ timeout: 90_000 });
  return card(page, name);
}

// The page still works: a good battle log loads and gives a leaderboard.
async function stillUsable(page, errors) {
  await page.getByTestId('tab-data').click();
  while (await page.getByTestId('remove-dataset').count() > 0) {
    await page.getByTestId('remove-dataset').first().click();
  }
  await drop(page, 'good.csv', GOOD);
  await page.getByTestId('tab-ratings').click();
  await expect(page.getByTestId('leaderboard-row').first()).toBeVisible();
  await page.getByTestId('tab-data').click();
  expect(errors).toEqual([]);
}

test('empty file', async ({ page }) => {
  const errors = await open(page);
  const c = await drop(page, 'empty.csv', '');
  await expect(c.getByTestId('dataset-warning')).toContainText('empty.csv: the file is empty');
  await stillUsable(page, errors);
});

test('binary file', async ({ page }) => {
  const errors = await open(page);
  const bytes = Buffer.alloc(4096);
  for (let i = 0; i < bytes.length; i += 1) bytes[i] = (i * 7919) % 256;
  const c = await drop(page, 'blob.bin', bytes);
  await expect(c.getByTestId('dataset-warning').first()).toContainText('binary file');
  await stillUsable(page, errors);
});

test('a 100 MB single line', async ({ page }) => {
  test.setTimeout(240_000);
  const errors = await open(page);
  const file = path.join(os.tmpdir(), 'benchlens-one-line.csv');
  const fd = fs.openSync(file, 'w');
  const chunk = Buffer.alloc(1 << 20, 'x');
  for (let i = 0; i < 100; i += 1) fs.writeSync(fd, chunk);
  fs.closeSync(fd);
  try {
    const c = await drop(page, 'benchlens-one-line.csv', { path: file });
    await expect(c.getByTestId('dataset-warning').first()).toContainText('benchlens-one-line.csv:1: one row of 105 MB');
  } finally {
    fs.unlinkSync(file);
  }
  await stillUsable(page, errors);
});

test('deeply nested JSON', async ({ page }) => {
  const errors = await open(page);
  const c = await drop(page, 'deep.json', `${'['.repeat(5000)}${']'.repeat(5000)}`);
  await expect(c.getByTestId('dataset-warning').first()).toContainText('deep.json: line 1: JSON nested deeper than 128 levels');
  await stillUsable(page, errors);
});

test('a CSV with 10,000 columns', async ({ page }) => {
  const errors = await open(page);
  const header = Array.from({ length: 10_000 }, (_, i) => `c${i}`).join(',');
  const row = Array.from({ length: 10_000 }, (_, i) => String(i)).join(',');
  const c = await drop(page, 'wide.csv', `${header}\n${row}\n${row}\n`);
  await expect(c.getByTestId('dataset-facts')).toContainText('10,000 columns');
  // The preview scrolls inside its card: the page does not grow sideways.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await stillUsable(page, errors);
});

test('unbalanced quotes', async ({ page }) => {
  const errors = await open(page);
  const c = await drop(page, 'quotes.csv', 'model_a,model_b,winner\nx,"y,model_a\nx,y,model_b\nx,y,tie\n');
  await expect(c.getByTestId('dataset-warning').filter({ hasText: 'quotes.csv:2:' })).toContainText('never closed');
  await stillUsable(page, errors);
});

test('NaN, inf, zero and negative parameters or tokens', async ({ page }) => {
  const errors = await open(page);
  await drop(page, 'badnums.csv', 'params,tokens,loss\n7e9,1e12,2.1\nNaN,1e12,2.0\ninf,2e12,1.9\n0,1e12,2.0\n-5,1e12,2.0\n1e9,-1,2.2\n3e9,5e11,2.3\n1e10,2e12,2.0\n2e10,4e11,2.05\n');
  await page.getByTestId('tab-scaling').click();
  const view = page.getByTestId('scaling-view');
  await expect(view).toContainText('badnums.csv');
  await expect(view).toContainText('line 3, column `params`: value "NaN" is not finite');
  await expect(view).toContainText('value "0" must be positive');
  await expect(view).toContainText('column `tokens`: value "-1" must be positive');
  await page.getByTestId('tab-data').click();
  await stillUsable(page, errors);
});

test('duplicate headers', async ({ page }) => {
  const errors = await open(page);
  const c = await drop(page, 'duphead.csv', 'model_a,model_a,winner\nx,y,model_a\n');
  await expect(c.getByTestId('dataset-warning').first()).toContainText('header repeated; later copy renamed `model_a.1`');
  await stillUsable(page, errors);
});

test('a BOM with the wrong encoding behind it', async ({ page }) => {
  const errors = await open(page);
  const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('model_a,model_b,winner\ncaf'), Buffer.from([0xe9]), Buffer.from(',y,model_a\n')]);
  const c = await drop(page, 'bom.csv', bytes);
  await expect(c.getByTestId('dataset-warning').first()).toContainText('not valid UTF-8 (first at line 2)');
  await stillUsable(page, errors);
});

test('a battle log where one model never loses', async ({ page }) => {
  const errors = await open(page);
  await drop(page, 'unbeaten.csv', 'model_a,model_b,winner\nx,y,model_a\ny,z,model_a\nz,y,tie\nx,z,model_a\n');
  await page.getByTestId('tab-ratings').click();
  await expect(page.getByTestId('ratings-error')).toContainText('never lost');
  await page.getByTestId('tab-data').click();
  await page.getByTestId('remove-dataset').click();
  await stillUsable(page, errors);
});

test('a disconnected comparison graph', async ({ page }) => {
  const errors = await open(page);
  await drop(page, 'islands.csv', 'model_a,model_b,winner\na,b,model_a\nb,a,model_a\na,b,tie\nc,d,model_a\nd,c,model_a\nc,d,tie\n');
  await page.getByTestId('tab-ratings').click();
  await expect(page.getByTestId('ratings-notes')).toContainText('2 disconnected parts');
  await expect(page.getByTestId('leaderboard-row')).toHaveCount(4);
  await page.getByTestId('tab-data').click();
  expect(errors).toEqual([]);
});

test('a two-row scaling table', async ({ page }) => {
  const errors = await open(page);
  await drop(page, 'two.csv', 'params,tokens,loss\n1e9,2e10,3.0\n2e9,4e10,2.8\n');
  await page.getByTestId('tab-scaling').click();
  await expect(page.getByTestId('scaling-view')).toContainText('rows with parameters, tokens and a loss: 2; at least 5 are needed');
  await page.getByTestId('tab-data').click();
  await stillUsable(page, errors);
});

test('an item whose options are all identical', async ({ page }) => {
  const errors = await open(page);
  await drop(page, 'ident.csv', 'question,A,B,C,D,answer\nWhich is right?,same,same,same,same,A\nWhat is 2+2?,3,4,5,6,B\n');
  await page.getByTestId('tab-defects').click();
  const row = page.getByTestId('flag-row').first();
  await expect(row).toContainText('duplicate');
  await expect(row).toContainText('same');
  await page.getByTestId('tab-data').click();
  await stillUsable(page, errors);
});
