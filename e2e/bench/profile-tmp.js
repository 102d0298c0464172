const { withBrowser } = require('./harness');
async function main() {
  const files = process.argv.slice(2);
  await withBrowser(8147, async (browser, base) => {
    const page = await browser.newPage();
    const t0 = Date.now();
    const log = (m) => console.log(((Date.now() - t0) / 1000).toFixed(2), m);
    page.on('console', (m) => { if (m.text().includes('PROFILE')) log('page ' + m.text()); });
    page.on('worker', (w) => { log('worker started ' + w.url()); w.on('console', (m) => log('w ' + m.text())); });
    await page.goto(base + (process.env.Q || ''));
    await page.getByTestId('dataset-panel').waitFor();
    log('drop');
    await page.getByTestId('file-input').setInputFiles(files);
    await page.getByTestId('tab-ratings').click();
    await page.getByTestId('leaderboard-row').first().waitFor({ timeout: 600000 });
    log('first row');
    await page.waitForFunction(() => {
      if (document.querySelector('[data-testid="ratings-busy"], [data-testid="ratings-stale"]')) return false;
      const rows = [...document.querySelectorAll('[data-testid="leaderboard-row"]')];
      return rows.length > 0 && rows.every((tr) => tr.children[3]?.textContent.trim() && tr.children[4]?.textContent.trim());
    }, null, { timeout: 600000, polling: 50 });
    log('intervals');
  });
}
main().catch((e) => { console.error(e); process.exit(1); });
