// What the browser benchmarks share: serve dist/, launch Debian's Chromium (never a downloaded
// one), and measure memory. Not a test: nothing here asserts.
const { chromium } = require('playwright-core');
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');

// BENCHLENS_DIST serves another build (say, main's, to measure it beside a branch's).
const DIST = path.resolve(process.env.BENCHLENS_DIST || path.resolve(__dirname, '../../dist'));

/// Sum of VmRSS over every process of the Playwright-launched Chromium (its profile dir marks
/// them): an upper bound on what the page costs the machine.
function browserRss() {
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

/// JS heap + wasm linear memory of the page and of each of its workers, in bytes (the app exposes
/// its memory as globalThis.__benchlensWasmMemory in both).
async function appMemory(page, cdp) {
  let total = 0;
  try { total += (await cdp.send('Runtime.getHeapUsage')).usedSize; } catch { /* closed */ }
  try { total += await page.evaluate(() => globalThis.__benchlensWasmMemory?.buffer.byteLength || 0); } catch { /* navigating */ }
  for (const worker of page.workers()) {
    try {
      total += await worker.evaluate(() => globalThis.__benchlensWasmMemory?.buffer.byteLength || 0);
      total += await worker.evaluate(() => (self.performance && self.performance.memory ? self.performance.memory.usedJSHeapSize : 0));
    } catch { /* worker busy or gone */ }
  }
  return total;
}

/// Samples browserRss and appMemory every 100 ms until stop(); peaks() gives the maxima in bytes.
function memorySampler(page, cdp) {
  const peak = { rss: browserRss(), app: 0 };
  let sampling = false;
  const timer = setInterval(async () => {
    peak.rss = Math.max(peak.rss, browserRss());
    if (sampling) return;
    sampling = true;
    peak.app = Math.max(peak.app, await appMemory(page, cdp));
    sampling = false;
  }, 100);
  return {
    async stop() {
      clearInterval(timer);
      peak.rss = Math.max(peak.rss, browserRss());
      peak.app = Math.max(peak.app, await appMemory(page, cdp));
      return peak;
    },
  };
}

/// Serves dist/ on `port`, launches Chromium, runs `body(browser, baseUrl)`, then cleans up.
async function withBrowser(port, body) {
  const server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', DIST], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 800));
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    return await body(browser, `http://127.0.0.1:${port}/`);
  } finally {
    await browser.close();
    server.kill();
  }
}

module.exports = { appMemory, browserRss, memorySampler, withBrowser };
