// Browser-worker intake benchmark (not a test: prints numbers, asserts nothing).
// Usage: node e2e/bench/intake-browser.js FILE [FILE...]   (serve dist/ first is not needed: this
// script serves it). For each file: time from handing it to the page until its dataset card
// appears, the worker's throughput, and the peak resident memory of all Chromium processes.
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

async function main() {
  const files = process.argv.slice(2);
  if (!files.length) throw new Error('usage: node e2e/bench/intake-browser.js FILE...');
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
      const base = browserRss();
      let peak = base;
      const timer = setInterval(() => { peak = Math.max(peak, browserRss()); }, 100);
      const bytes = fs.statSync(file).size;
      const t0 = Date.now();
      await page.getByTestId('file-input').setInputFiles(file);
      await page.getByTestId('dataset-card').first().waitFor({ timeout: 600_000 });
      const seconds = (Date.now() - t0) / 1000;
      clearInterval(timer);
      peak = Math.max(peak, browserRss());
      const facts = await page.getByTestId('dataset-facts').first().innerText();
      console.log(JSON.stringify({
        file: path.basename(file), bytes, seconds, mb_per_s: +(bytes / 1e6 / seconds).toFixed(1),
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
