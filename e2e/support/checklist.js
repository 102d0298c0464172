// Ticks values in one of the ratings view's checklist filters (a <details> with a search box and
// one checkbox per value), the way a user does: open it, narrow by search, tick, close.
async function tick(page, testid, values) {
  const box = page.getByTestId(testid);
  if (!(await box.evaluate((el) => el.open))) {
    await page.getByTestId(`${testid}-summary`).click();
  }
  for (const v of values) {
    await page.getByTestId(`${testid}-search`).fill(v);
    await box.locator(`input[type=checkbox][value="${v}"]`).check();
  }
  await page.getByTestId(`${testid}-search`).fill('');
  await page.getByTestId(`${testid}-summary`).click();
}

module.exports = { tick };
