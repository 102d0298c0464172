// Narrow screens: no view may push the page wider than a phone's screen. Wide tables scroll
// inside their panel, the header wraps, the tabs scroll sideways. Every control has a name.
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
    // Every visible control has a name a screen reader can say (a wrapping <label> names only
    // its first control; the rest need aria-label).
    const unnamed = await page.evaluate(() => [...document.querySelectorAll('input, select, textarea, button')]
      .filter((el) => el.type !== 'hidden' && el.offsetParent !== null)
      .filter((el) => !(el.getAttribute('aria-label') || el.getAttribute('title')
        || (el.labels && [...el.labels].some((l) => l.textContent.trim()))
        || (el.tagName === 'BUTTON' && el.textContent.trim()) || el.getAttribute('placeholder')))
      .map((el) => el.dataset.testid || el.outerHTML.slice(0, 80)));
    expect(unnamed, 'controls without an accessible name').toEqual([]);
    expect(errors).toEqual([]);
  });
}
