// Share links: a link reproduces the exact view in a fresh browser, `?data=` fetches from a
// static host (and says why when it cannot), small files ride inside the link, back/forward move
// between views, the page works offline once loaded and under a sub-path, and it requests
// nothing but its own assets and the data URLs it is given.
const path = require('path');
const { test, expect } = require('@playwright/test');

const { dataHost, staticUnder, recordRequests, foreign } = require('../support/servers');

const BATTLES = 'model_a,model_b,winner\n'
  + ['a,b,model_a', 'b,c,model_a', 'c,a,model_a', 'a,c,model_a', 'b,a,tie', 'c,b,model_b', 'a,b,model_b', 'b,c,model_a']
    .join('\n') + '\n';

async function leaderboardCells(page) {
  return page.getByTestId('leaderboard-row').evaluateAll((rows) =>
    rows.map((r) => Array.from(r.querySelectorAll('td')).map((td) => td.textContent.trim())));
}

async function copyLink(page) {
  await page.getByTestId('copy-link').click();
  const link = await page.getByTestId('share-link').inputValue();
  expect(link).toMatch(/^http/);
  return link;
}

test('a copied link reproduces the ratings view cell for cell in a fresh browser', async ({ page, browser, baseURL }) => {
  const requests = recordRequests(page);
  await page.goto('./');
  await page.getByTestId('sample-menu').selectOption('genai-arena');
  await expect(page.getByTestId('dataset-card')).toHaveCount(1);
  await page.getByTestId('tab-ratings').click();
  await expect(page.getByTestId('leaderboard-row')).toHaveCount(13);
  const first = await page.getByTestId('leaderboard').innerText();
  await page.getByTestId('ratings-anony').selectOption('true');
  await page.getByTestId('ratings-ties').selectOption('drop');
  await expect(page.getByTestId('leaderboard')).not.toHaveText(first);
  await expect(page.getByTestId('ratings-busy')).toHaveCount(0);
  const sender = await leaderboardCells(page);
  expect(sender.length).toBeGreaterThan(3);
  const link = await copyLink(page);
  expect(link).toContain('view=ratings');
  expect(link).toContain('sample=genai-arena');
  expect(link).toContain('ties=drop');
  expect(link).toContain('#s=');

  const fresh = await browser.newContext();
  const receiver = await fresh.newPage();
  const receiverRequests = recordRequests(receiver);
  await receiver.goto(link);
  await expect(receiver.getByTestId('ratings-view')).toBeVisible();
  await expect(receiver.getByTestId('leaderboard-row')).toHaveCount(sender.length);
  await expect(receiver.getByTestId('ratings-anony')).toHaveValue('true');
  await expect(receiver.getByTestId('ratings-ties')).toHaveValue('drop');
  expect(await leaderboardCells(receiver)).toEqual(sender);
  // The receiver's address is the sender's link (nothing lost or rewritten on the way).
  await expect.poll(() => receiver.url()).toBe(link);
  await fresh.close();

  // Back and forward move between views without reloading.
  await page.evaluate(() => { window.__notReloaded = true; });
  await page.goBack();
  await expect(page.getByTestId('dataset-panel')).toBeVisible();
  await page.goForward();
  await expect(page.getByTestId('leaderboard-row')).toHaveCount(sender.length);
  expect(await page.evaluate(() => window.__notReloaded)).toBe(true);
  expect(foreign(requests, [baseURL])).toEqual([]);
  expect(foreign(receiverRequests, [baseURL])).toEqual([]);
});

test('?data= loads from a CORS-enabled host and says why a blocked address fails', async ({ page, baseURL }) => {
  const host = await dataHost({
    '/battles.csv': { body: BATTLES },
    '/nocors.csv': { body: BATTLES, cors: false },
    '/page.csv': { body: '<!DOCTYPE html><html><body>Sign in</body></html>', type: 'text/html' },
  });
  try {
    const requests = recordRequests(page);
    await page.goto(`./?view=ratings&data=${encodeURIComponent(`${host.origin}/battles.csv`)}&kind=battle_log`);
    await expect(page.getByTestId('leaderboard-row')).toHaveCount(3);
    await page.getByTestId('tab-data').click();
    await expect(page.getByTestId('dataset-origin')).toContainText(`${host.origin}/battles.csv`);
    expect(foreign(requests, [baseURL, host.origin])).toEqual([]);
    // The link keeps the data reference, readable.
    const link = await copyLink(page);
    expect(decodeURIComponent(link)).toContain(`data=${host.origin}/battles.csv`);

    const cases = [
      ['nocors.csv', /CORS/],
      ['missing.csv', /HTTP 404/],
      ['page.csv', /web page, not a data file/],
    ];
    for (const [file, message] of cases) {
      await page.goto(`./?data=${encodeURIComponent(`${host.origin}/${file}`)}`);
      await expect(page.getByTestId('progress-status')).toContainText(message);
      await expect(page.getByTestId('progress-status')).toContainText(`${host.origin}/${file}`);
      // Still usable: a sample loads.
      await page.getByTestId('sample-menu').selectOption('genai-arena');
      await expect(page.getByTestId('dataset-card')).toHaveCount(1);
    }
    await page.goto('./?data=javascript:alert(1)');
    await expect(page.getByTestId('share-notes')).toContainText('only http and https');
  } finally {
    await host.close();
  }
});

test('a small dropped file can ride inside the link', async ({ page, browser }) => {
  await page.goto('./');
  await page.getByTestId('file-input').setInputFiles({
    name: 'mine.csv', mimeType: 'text/csv', buffer: Buffer.from(BATTLES),
  });
  await expect(page.getByTestId('dataset-card')).toHaveCount(1);
  await page.getByTestId('copy-link').click();
  await expect(page.getByTestId('share-local-files')).toContainText('mine.csv');
  const embed = page.locator('[data-testid^="embed-"][type=checkbox]');
  await embed.check();
  await expect(page.locator('[data-testid^="embed-status-"]')).toContainText('in the link');
  await page.getByTestId('tab-ratings').click();
  await expect(page.getByTestId('leaderboard-row')).toHaveCount(3);
  const sender = await leaderboardCells(page);
  const link = await copyLink(page);
  await expect(page.getByTestId('share-local-files')).toHaveCount(0);

  const fresh = await browser.newContext();
  const receiver = await fresh.newPage();
  await receiver.goto(link);
  await expect(receiver.getByTestId('leaderboard-row')).toHaveCount(3);
  expect(await leaderboardCells(receiver)).toEqual(sender);
  await receiver.getByTestId('tab-data').click();
  await expect(receiver.getByTestId('dataset-origin')).toContainText('inline in the link');
  await fresh.close();
});

test('a link to a local file tells the receiver what is missing', async ({ page, browser }) => {
  await page.goto('./');
  await page.getByTestId('file-input').setInputFiles({
    name: 'private.csv', mimeType: 'text/csv', buffer: Buffer.from(BATTLES),
  });
  await expect(page.getByTestId('dataset-card')).toHaveCount(1);
  const link = await copyLink(page);
  const fresh = await browser.newContext();
  const receiver = await fresh.newPage();
  await receiver.goto(link);
  await expect(receiver.getByTestId('share-notes')).toContainText('private.csv');
  await fresh.close();
});

test('once loaded, the page works with the network gone', async ({ page, context }) => {
  await page.goto('./');
  // "Loaded": the page, its worker and both wasm modules have arrived.
  await page.waitForLoadState('networkidle');
  await context.setOffline(true);
  await page.getByTestId('paste-toggle').click();
  await page.getByTestId('paste-text').fill(BATTLES);
  await page.getByTestId('paste-submit').click();
  await expect(page.getByTestId('dataset-card')).toHaveCount(1);
  await page.getByTestId('tab-ratings').click();
  await expect(page.getByTestId('leaderboard-row')).toHaveCount(3);
  await context.setOffline(false);
});

test('a build served under /benchlens/ loads its assets and samples from there', async ({ page }) => {
  const dir = path.resolve(__dirname, '../../dist-subpath');
  const site = await staticUnder(dir, '/benchlens/');
  try {
    const requests = recordRequests(page);
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${site.origin}/benchlens/?view=ratings&sample=genai-arena`);
    await expect(page.getByTestId('leaderboard-row')).toHaveCount(13);
    expect(foreign(requests, [`${site.origin}/benchlens/`])).toEqual([]);
    expect(errors).toEqual([]);
  } finally {
    await site.close();
  }
});

test('a strict Content-Security-Policy is in force and nothing on the page violates it', async ({ page }) => {
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  await page.goto('./');
  const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(policy).toContain("default-src 'self'");
  expect(policy).toContain("object-src 'none'");
  expect(policy).not.toContain("script-src 'self' 'unsafe-inline'");
  await page.getByTestId('sample-menu').selectOption('genai-arena');
  await page.getByTestId('tab-ratings').click();
  await expect(page.getByTestId('leaderboard-row').first()).toBeVisible();
  for (const tab of ['scaling', 'defects', 'judge', 'data']) {
    await page.getByTestId(`tab-${tab}`).click();
  }
  // An inline script injected by hostile data would be refused.
  const blocked = await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__injected = true';
    document.body.appendChild(s);
    return window.__injected === true;
  });
  expect(blocked).toBe(false);
  const violations = await page.evaluate(() => window.__cspViolations);
  expect(violations.filter((v) => !v.startsWith('script-src-elem inline'))).toEqual([]);
});
