// Browser-worker intake benchmark (not a test: prints numbers, asserts nothing).
// Usage: node e2e/bench/intake-browser.js [--view ratings|defects|judge] [--together] FILE [FILE...]
// (this script serves dist/ itself). For each file: time from handing it to the page until its
// dataset card appears, the worker's throughput, then (with --view) the time until that view's
// first result (leaderboard row / flagged item / judge row with its LC win rate). With
// --together every file is handed over at once (one multi-file pick), and timed as one input. Memory, sampled every 100 ms: the JS heap of the page and
// of its worker (Chromium's Runtime.getHeapUsage over CDP), the wasm linear memory of both
// (exposed by the app as globalThis.__benchlensWasmMemory), and, as an upper bound, the
// resident memory of every Chromium process.
const fs = require('fs');
const path = require('path');
const { browserRss, memorySampler, withBrowser } = require('./harness');

const PORT = 8139;

const RESULT = {
  ratings: { tab: 'tab-ratings', ready: 'leaderboard-row' },
  defects: { tab: 'tab-defects', ready: 'flag-row' },
  judge: { tab: 'tab-judge', ready: 'cell-lc' },
};

async function main() {
  const args = process.argv.slice(2);
  let view = null;
  if (args[0] === '--view') { view = RESULT[args[1]]; args.splice(0, 2); if (!view) throw new Error('--view ratings|defects|judge'); }
  let together = false;
  if (args[0] === '--together') { together = true; args.shift(); }
  const files = together ? [args] : args;
  if (!files.length) throw new Error('usage: node e2e/bench/intake-browser.js [--view ratings|defects] FILE...');
  await withBrowser(PORT, async (browser, base) => {
    for (const file of files) {
      const page = await browser.newPage();
      await page.goto(base);
      await page.getByTestId('dataset-panel').waitFor();
      const cdp = await page.context().newCDPSession(page);
      const memory = memorySampler(page, cdp);
      const rssBefore = browserRss();
      const picked = [].concat(file);
      const bytes = picked.reduce((sum, f) => sum + fs.statSync(f).size, 0);
      const t0 = Date.now();
      await page.getByTestId('file-input').setInputFiles(picked);
      await page.getByTestId('dataset-card').nth(picked.length - 1).waitFor({ timeout: 900_000 });
      const seconds = (Date.now() - t0) / 1000;
      let resultSeconds = null;
      if (view) {
        await page.getByTestId(view.tab).click();
        await page.getByTestId(view.ready).first().waitFor({ timeout: 900_000 });
        resultSeconds = (Date.now() - t0) / 1000;
      }
      const peak = await memory.stop();
      await page.getByTestId('tab-data').click();
      const facts = await page.getByTestId('dataset-facts').first().innerText();
      console.log(JSON.stringify({
        file: picked.length === 1 ? path.basename(picked[0]) : `${picked.length} files`, bytes, seconds, mb_per_s: +(bytes / 1e6 / seconds).toFixed(1),
        first_result_s: resultSeconds,
        app_memory_peak_mb: Math.round(peak.app / 1e6),
        browser_rss_before_mb: Math.round(rssBefore / 1e6), browser_rss_peak_mb: Math.round(peak.rss / 1e6), facts,
      }));
      await page.close();
    }
  });
}

main().catch((e) => { console.error(e); process.exit(1); });
