// The ratings view in the page, timed as a user meets it (not a test: prints one JSON line).
// Usage: node e2e/bench/ratings-browser.js FILE [FILE...]   (scripts/bench/browser.sh calls it)
// Serves dist/, drops the files on a fresh page, opens Ratings with the page's defaults
// (Bradley–Terry, bootstrap, 1000 rounds) and reports:
//   first_leaderboard_s  from the drop until the first leaderboard row is on screen: the frame
//                        after the row enters the page (a MutationObserver, then
//                        requestAnimationFrame), on the machine's clock; Playwright's waitFor
//                        polls with a back-off of up to 500 ms, too coarse for this figure;
//   intervals_done_s     until every row shows its interval and nothing is computing or stale;
//   peak_app_mb          peak JS heap + wasm memory of the page and its workers (harness.js);
//   workers              workers that parse and analyse: the page's pool size (the intake worker
//                        and its helpers, `?workers=N` or min(hardwareConcurrency, 8));
//   page_workers         the Web Workers Playwright sees on the page at the end;
//   bootstrap_s          from the first to the last "bootstrap d/1000" progress text on screen
//                        (polled every 20 ms; progress is posted every 100 ms): the bootstrap's
//                        wall time;
//   helper_rounds        bootstrap rounds the pool's helpers computed, of all (the intake
//                        worker's console.debug line; "0/0" when no bootstrap used the pool).
const fs = require('fs');
const { memorySampler, withBrowser } = require('./harness');

const PORT = Number(process.env.BENCHLENS_BENCH_PORT || 8141);
const LIMIT_MS = 1_800_000;

async function main() {
  const files = process.argv.slice(2);
  if (!files.length) throw new Error('usage: node e2e/bench/ratings-browser.js FILE [FILE...]');
  for (const f of files) fs.accessSync(f, fs.constants.R_OK);
  await withBrowser(PORT, async (browser, base) => {
    const page = await browser.newPage();
    await page.goto(base + (process.env.BENCHLENS_WORKERS ? `?workers=${process.env.BENCHLENS_WORKERS}` : ''));
    await page.getByTestId('dataset-panel').waitFor();
    let helperRounds = '0/0';
    page.on('console', (m) => {
      const hit = /(\d+) of (\d+) bootstrap rounds came from/.exec(m.text());
      if (hit) helperRounds = `${hit[1]}/${hit[2]}`;
    });
    const cdp = await page.context().newCDPSession(page);
    const memory = memorySampler(page, cdp);
    await page.evaluate(() => {
      const seen = { first: 0, last: 0 };
      globalThis.__benchBootstrap = seen;
      setInterval(() => {
        const text = document.querySelector('[data-testid="ratings-progress-text"]')?.textContent ?? '';
        if (!text.startsWith('bootstrap')) return;
        seen.last = performance.now();
        seen.first = seen.first || seen.last;
      }, 20);
      // The frame that first shows a leaderboard row, as epoch milliseconds (Date.now()'s clock).
      const rows = new MutationObserver(() => {
        if (!document.querySelector('[data-testid="leaderboard-row"]')) return;
        rows.disconnect();
        requestAnimationFrame(() => { globalThis.__benchFirstRowAt = performance.timeOrigin + performance.now(); });
      });
      rows.observe(document.body, { childList: true, subtree: true });
    });
    const t0 = Date.now();
    await page.getByTestId('file-input').setInputFiles(files);
    await page.getByTestId('tab-ratings').click();
    await page.getByTestId('leaderboard-row').first().waitFor({ timeout: LIMIT_MS });
    await page.waitForFunction(() => globalThis.__benchFirstRowAt, null, { timeout: LIMIT_MS });
    const firstLeaderboard = ((await page.evaluate(() => globalThis.__benchFirstRowAt)) - t0) / 1000;
    // Intervals are done when the view is idle and not stale and every row has both offsets
    // (columns 4 and 5: −CI and +CI).
    await page.waitForFunction(() => {
      if (document.querySelector('[data-testid="ratings-busy"], [data-testid="ratings-stale"]')) return false;
      const rows = [...document.querySelectorAll('[data-testid="leaderboard-row"]')];
      return rows.length > 0 && rows.every((tr) => tr.children[3]?.textContent.trim() && tr.children[4]?.textContent.trim());
    }, null, { timeout: LIMIT_MS, polling: 50 });
    const intervalsDone = (Date.now() - t0) / 1000;
    const peak = await memory.stop();
    const rows = await page.getByTestId('leaderboard-row').count();
    const boot = await page.evaluate(() => globalThis.__benchBootstrap);
    const pool = await page.evaluate(() => globalThis.__benchlensPoolSize || 0);
    console.log(JSON.stringify({
      first_leaderboard_s: +firstLeaderboard.toFixed(2),
      intervals_done_s: +intervalsDone.toFixed(2),
      peak_app_mb: Math.round(peak.app / 1e6),
      workers: pool || page.workers().length,
      page_workers: page.workers().length,
      models: rows,
      bootstrap_s: +((boot.last - boot.first) / 1000).toFixed(2),
      helper_rounds: helperRounds,
      browser_rss_peak_mb: Math.round(peak.rss / 1e6),
    }));
    await page.close();
  });
}

main().catch((e) => { console.error(e); process.exit(1); });
