// Narrow screens: no view may push the page wider than a phone's screen. Wide tables scroll
// inside their panel, the header wraps, the tabs scroll sideways.
const { test, expect } = require('@playwright/test');

const VIEWS = [
  // sample, tab, an element that shows the view is drawn
  ['synthetic-arena', 'tab-data', 'dataset-card'],
  ['synthetic-arena', 'tab-ratings', 'leaderboard'],
  ['synthetic-runs', 'tab-scaling', 'scaling-params'],
  ['mmlu-test', 'tab-defects', 'defects-table'],
  ['alpaca-eval', 'tab-judge', 'judge-leaderboard'],
];

for (const [sample, tab, ready] of VIEWS) {
  test(`${tab} fits a 390 px wide screen`, async ({ page }) => {
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('./');
    await page.getByTestId('sample-menu').selectOption(sample);
    await expect(page.getByTestId('dataset-card').first()).toBeVisible({ timeout: 60_000 });
    await page.getByTestId(tab).click();
    await expect(page.getByTestId(ready).first()).toBeVisible({ timeout: 60_000 });
    // Charts and tables settle after the first paint.
    await page.waitForTimeout(500);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, 'page is wider than the screen by this many px').toBeLessThanOrEqual(0);
    expect(errors).toEqual([]);
  });
}
