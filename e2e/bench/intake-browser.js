// Browser-worker intake benchmark (not a test: prints numbers, asserts nothing).
// Usage: node e2e/bench/intake-browser.js FILE [FILE...]   (serve dist/ first is not needed: this
// script serves it). For each file: time from handing it to the page until its dataset card
// appears, the worker's throughput, and the peak resident memory of all Chromium processes.
const { chromium } = require('playwright-core');
const { spawn, execSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const PORT = 8139;
const DIST = path.resolve(__dirname, '../../dist');

function rssOfTree(rootPid) {
  // Sum VmRSS over the browser process and all its descendants.
  const children = {};
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      (children[ppid] ||= []).push(Number(pid));
    } catch { /* process ended */ }
  }
  let total = 0;
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop();
    try {
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      const m = status.match(/VmRSS:\s+(\d+) kB/);
      if (m) total += Number(m[1]) * 1024;
    } catch { /* gone */ }
    stack.push(...(children[pid] || []));
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
  const browserPid = Number(execSync(`pgrep -n -f -- "--remote-debugging-pipe"`).toString().trim());
  try {
    for (const file of files) {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${PORT}/`);
      await page.getByTestId('dataset-panel').waitFor();
      const base = rssOfTree(browserPid);
      let peak = base;
      const timer = setInterval(() => { peak = Math.max(peak, rssOfTree(browserPid)); }, 100);
      const bytes = fs.statSync(file).size;
      const t0 = Date.now();
      await page.getByTestId('file-input').setInputFiles(file);
      await page.getByTestId('dataset-card').first().waitFor({ timeout: 600_000 });
      const seconds = (Date.now() - t0) / 1000;
      clearInterval(timer);
      peak = Math.max(peak, rssOfTree(browserPid));
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
