// TEMPORARY (h-pageparse): long tasks on the page's main thread from the drop to the intervals.
const { withBrowser } = require('./harness');
const PORT = Number(process.env.BENCHLENS_BENCH_PORT || 8143);
async function main() {
  const files = process.argv.slice(2);
  await withBrowser(PORT, async (browser, base) => {
    const page = await browser.newPage();
    await page.goto(base);
    await page.getByTestId('dataset-panel').waitFor();
    await page.evaluate(() => {
      globalThis.__long = [];
      new PerformanceObserver((l) => { for (const e of l.getEntries()) globalThis.__long.push([Math.round(e.startTime), Math.round(e.duration)]); }).observe({ entryTypes: ['longtask'] });
      globalThis.__t0 = performance.now();
    });
    await page.getByTestId('file-input').setInputFiles(files);
    await page.getByTestId('tab-ratings').click();
    await page.getByTestId('leaderboard-row').first().waitFor({ timeout: 600000 });
    const first = await page.evaluate(() => Math.round(performance.now() - globalThis.__t0));
    console.log('first row (page clock) ms', first);
    await page.getByTestId('language-ranks').waitFor({ timeout: 600000 });
    const long = await page.evaluate(() => globalThis.__long.map(([s, d]) => [s - Math.round(globalThis.__t0), d]));
    console.log('long tasks [start since drop, ms]:', JSON.stringify(long));
    if (process.env.SHOT) {
      const el = page.getByTestId('chart-win-fraction');
      await el.scrollIntoViewIfNeeded();
      await page.waitForTimeout(500);
      await page.screenshot({ path: process.env.SHOT });
    }
    await page.close();
  });
}
main().catch((e) => { console.error(e); process.exit(1); });
