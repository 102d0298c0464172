// Where the ratings view's time goes in the page (not a test: prints lines, asserts nothing).
// Usage: node e2e/bench/ratings-profile.js FILE [FILE...]   (after `trunk build --release --offline`;
// BENCHLENS_DIST=DIR serves another build, BENCHLENS_WORKERS=N sets the pool size)
// Drops the files as ratings-browser.js does, opens Ratings, and prints every console line of the
// page and its workers with the milliseconds since the drop when it arrived, then the times of
// the first leaderboard row, of the intervals and of the per-language ranks.
const { withBrowser } = require('./harness');

const PORT = Number(process.env.BENCHLENS_BENCH_PORT || 8143);
const LIMIT_MS = 1_800_000;

async function main() {
  const files = process.argv.slice(2);
  if (!files.length) throw new Error('usage: node e2e/bench/ratings-profile.js FILE [FILE...]');
  await withBrowser(PORT, async (browser, base) => {
    const page = await browser.newPage();
    let t0 = Date.now();
    const at = () => String(Date.now() - t0).padStart(6);
    page.on('console', (msg) => console.log(`${at()} ms  page: ${msg.text()}`));
    page.on('worker', (worker) => {
      console.log(`${at()} ms  worker started: ${worker.url()}`);
      worker.on('console', (msg) => console.log(`${at()} ms  worker: ${msg.text()}`));
    });
    await page.goto(base + (process.env.BENCHLENS_WORKERS ? `?workers=${process.env.BENCHLENS_WORKERS}` : ''));
    await page.getByTestId('dataset-panel').waitFor();
    t0 = Date.now();
    await page.getByTestId('file-input').setInputFiles(files);
    await page.getByTestId('tab-ratings').click();
    await page.getByTestId('leaderboard-row').first().waitFor({ timeout: LIMIT_MS });
    console.log(`${at()} ms  first leaderboard row`);
    await page.waitForFunction(() => {
      if (document.querySelector('[data-testid="ratings-busy"], [data-testid="ratings-stale"]')) return false;
      const rows = [...document.querySelectorAll('[data-testid="leaderboard-row"]')];
      return rows.length > 0 && rows.every((tr) => tr.children[3]?.textContent.trim() && tr.children[4]?.textContent.trim());
    }, null, { timeout: LIMIT_MS, polling: 50 });
    console.log(`${at()} ms  intervals done`);
    await page.getByTestId('language-ranks').waitFor({ timeout: LIMIT_MS });
    console.log(`${at()} ms  ranks per language`);
    if (process.env.BENCHLENS_SCREENSHOT) {
      await page.screenshot({ path: process.env.BENCHLENS_SCREENSHOT, fullPage: true });
    }
    await page.close();
  });
}

main().catch((e) => { console.error(e); process.exit(1); });
