// Browser-worker intake benchmark (not a test: prints numbers, asserts nothing).
// Usage: node e2e/bench/intake-browser.js [--view ratings|defects|judge] [--together] FILE [FILE...]
// (this script serves dist/ itself). For each file: time from handing it to the page until its
// dataset card appears, the worker's throughput, then (with --view) the time until that view's
// first result (leaderboard row / flagged item / judge row with its LC win rate). With
// --together every file is handed over at once (one multi-file pick), and timed as one input. Memory, sampled every 100 ms: the JS heap of the page and
// of its worker (Chromium's Runtime.getHeapUsage over CDP), the wasm linear memory of both
// (exposed by the app as globalThis.__benchlensWasmMemory), and, as an upper bound, the
// resident memory of every Chromium process.
const { chromium } = require('playwright-core');
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');

const PORT = 8139;
const DIST = path.resolve(__dirname, '../../dist');

function browserRss() {
  // Sum VmRSS over every process of the Playwright-launched Chromium (its profile dir marks them).
  let total = 0;
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes('playwright_chromiumdev_profile')) continue;
      const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
      if (m) total += Number(m[1]) * 1024;
    } catch { /* process ended */ }
  }
  return total;
}

// JS heap + wasm memory of the page and of each of its workers, in bytes.
async function appMemory(page, cdp) {
  let total = 0;
  try { total += (await cdp.send('Runtime.getHeapUsage')).usedSize; } catch { /* closed */ }
  try { total += await page.evaluate(() => globalThis.__benchlensWasmMemory?.buffer.byteLength || 0); } catch { /* navigating */ }
  for (const worker of page.workers()) {
    try {
      total += await worker.evaluate(() => globalThis.__benchlensWasmMemory?.buffer.byteLength || 0);
      // A worker's JS heap, as the page's: the worker's own `performance.memory` when exposed.
      total += await worker.evaluate(() => (self.performance && self.performance.memory ? self.performance.memory.usedJSHeapSize : 0));
    } catch { /* worker busy or gone */ }
  }
  return total;
}

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
  const server = spawn('python3', ['-m', 'http.server', String(PORT), '--bind', '127.0.0.1', '--directory', DIST], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 800));
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    for (const file of files) {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${PORT}/`);
      await page.getByTestId('dataset-panel').waitFor();
      const cdp = await page.context().newCDPSession(page);
      const base = browserRss();
      const appBase = await appMemory(page, cdp);
      let peak = base;
      let appPeak = appBase;
      let sampling = false;
      const timer = setInterval(async () => {
        peak = Math.max(peak, browserRss());
        if (sampling) return;
        sampling = true;
        appPeak = Math.max(appPeak, await appMemory(page, cdp));
        sampling = false;
      }, 100);
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
      clearInterval(timer);
      peak = Math.max(peak, browserRss());
      appPeak = Math.max(appPeak, await appMemory(page, cdp));
      await page.getByTestId('tab-data').click();
      const facts = await page.getByTestId('dataset-facts').first().innerText();
      console.log(JSON.stringify({
        file: picked.length === 1 ? path.basename(picked[0]) : `${picked.length} files`, bytes, seconds, mb_per_s: +(bytes / 1e6 / seconds).toFixed(1),
        first_result_s: resultSeconds,
        app_memory_peak_mb: Math.round(appPeak / 1e6),
        browser_rss_before_mb: Math.round(base / 1e6), browser_rss_peak_mb: Math.round(peak / 1e6), facts,
      }));
      await page.close();
    }
  } finally {
    await browser.close();
    server.kill();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
