// Where a Parquet drop's time goes in the page (not a test: prints lines, asserts nothing).
// Usage: node e2e/bench/parquet-profile.js FILE [FILE...]   (after `trunk build --release --offline`)
// Drops the files as ratings-browser.js does, opens Ratings, and prints every console line of the
// page and its workers with the milliseconds since the drop when it arrived (the Parquet worker
// logs its start, its reads and its load time), then the time of the first leaderboard row.
const { withBrowser } = require('./harness');

const PORT = Number(process.env.BENCHLENS_BENCH_PORT || 8142);

async function main() {
  const files = process.argv.slice(2);
  if (!files.length) throw new Error('usage: node e2e/bench/parquet-profile.js FILE [FILE...]');
  await withBrowser(PORT, async (browser, base) => {
    const page = await browser.newPage();
    let t0 = Date.now();
    const stamp = (where, msg) => console.log(`${String(Date.now() - t0).padStart(6)} ms  ${where}: ${msg.text()}`);
    page.on('console', (msg) => stamp('page', msg));
    page.on('worker', (worker) => {
      console.log(`${String(Date.now() - t0).padStart(6)} ms  worker started: ${worker.url()}`);
      if (worker.on) worker.on('console', (msg) => stamp('worker', msg));
    });
    await page.goto(base);
    await page.getByTestId('dataset-panel').waitFor();
    t0 = Date.now();
    await page.getByTestId('file-input').setInputFiles(files);
    await page.getByTestId('tab-ratings').click();
    await page.getByTestId('leaderboard-row').first().waitFor({ timeout: 600_000 });
    console.log(`${String(Date.now() - t0).padStart(6)} ms  first leaderboard row`);
    await page.close();
  });
}

main().catch((e) => { console.error(e); process.exit(1); });
