// Shared by the specs: how much of a chart canvas is painted (a blank chart is a failed feature).

/** Pixels darker than near-white on the canvas with this test id, and its size. A chart paints
 *  after the frame that shows its data, then marks its canvas `data-painted`: wait for that. */
async function canvasInk(page, testid) {
  await page.locator(`canvas[data-testid="${testid}"][data-painted]`).waitFor({ state: 'attached' });
  return page.getByTestId(testid).evaluate((c) => {
    const ctx = c.getContext('2d');
    const { data } = ctx.getImageData(0, 0, c.width, c.height);
    let ink = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] < 200 || data[i + 1] < 200 || data[i + 2] < 200) ink++;
    return { ink, width: c.width, height: c.height };
  });
}

module.exports = { canvasInk };
