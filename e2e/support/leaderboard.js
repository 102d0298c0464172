// The ratings leaderboard as the specs read it, and the rule that it equals the CLI's CSV.
const fs = require('fs');
const path = require('path');
const { expect } = require('@playwright/test');

/** The CLI's CSV as rows {model, rating, lower, upper, battles}. */
function cli(name) {
  const lines = fs.readFileSync(path.join(__dirname, '..', 'fixtures', name), 'utf8').trim().split('\n');
  return lines.slice(1).map((l) => {
    const [model, rating, lower, upper, , battles] = l.split(',');
    return { model, rating: Number(rating), lower: lower ? Number(lower) : null, upper: upper ? Number(upper) : null, battles: Number(battles) };
  });
}

/** The leaderboard as rows {model, rating, minus, plus, battles} (sorted by rank, as shown),
 *  once it is current: a result kept on screen while the next computes is marked stale. */
async function leaderboard(page) {
  await expect(page.getByTestId('ratings-stale')).toHaveCount(0);
  return leaderboardCells(page);
}

/** The rows as they are on screen now, current or not. */
async function leaderboardCells(page) {
  return page.getByTestId('leaderboard-row').evaluateAll((rows) => rows.map((r) => {
    const td = [...r.querySelectorAll('td')].map((c) => c.innerText.trim());
    return {
      model: r.querySelector('td.model').childNodes[0].textContent.trim(),
      rating: td[2], minus: td[3], plus: td[4], battles: td[5].replace(/[^0-9]/g, ''),
    };
  }));
}

/** Same models in the same order, same battles, and numbers equal at the one decimal shown (the
 *  CSV has four decimals, so a value on a rounding edge may show either neighbour). `intervals`
 *  says whether this run has bootstrap intervals: then every row of the fixture and of the page
 *  must have both bounds (a missing one fails), else neither may show a number. */
function expectSameAsCli(shown, expected, { intervals }) {
  expect(shown.length).toBeGreaterThan(0);
  expect(shown.map((r) => r.model)).toEqual(expected.map((r) => r.model));
  const close = (text, value, what) => {
    expect(Math.abs(Number(text.replace('+', '')) - value), `${what}: ${text} vs ${value}`).toBeLessThan(0.0501);
  };
  for (const [s, e] of shown.map((r, i) => [r, expected[i]])) {
    close(s.rating, e.rating, `${s.model} rating`);
    expect(Number(s.battles), s.model).toBe(e.battles);
    if (intervals) {
      expect(Number.isFinite(e.lower) && Number.isFinite(e.upper), `${s.model}: fixture interval`).toBe(true);
      expect(s.minus, `${s.model} -CI on the page`).toMatch(/\d/);
      expect(s.plus, `${s.model} +CI on the page`).toMatch(/\d/);
      close(s.minus, -(e.rating - e.lower), `${s.model} -CI`);
      close(s.plus, e.upper - e.rating, `${s.model} +CI`);
    } else {
      expect(e.lower, `${s.model}: fixture has no interval`).toBeNull();
      expect(s.minus + s.plus, `${s.model}: no interval on the page`).not.toMatch(/\d/);
    }
  }
}

module.exports = { cli, expectSameAsCli, leaderboard, leaderboardCells };
