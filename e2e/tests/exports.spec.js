// Exports: every table as CSV and JSON (full precision, same rows as on screen), every chart as
// PNG (2× its CSS size, whatever the screen) and well-formed SVG, and a one-file HTML report of
// the view that opens offline with no request but its own file.
const { test, expect } = require('@playwright/test');
const fs = require('fs');
const { pathToFileURL } = require('url');

/**
 * Clicks the button with this test id and returns the download: file name and bytes. Chromium
 * drops a download now and then when a page starts many in a burst (here: the 11th within a
 * second or two), so a click with no download is tried again.
 */
async function grab(page, testid) {
  for (let attempt = 1; ; attempt++) {
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: attempt < 3 ? 8_000 : 30_000 }).catch((e) => {
        if (attempt >= 3) throw e;
        return null;
      }),
      page.getByTestId(testid).click(),
    ]);
    if (download) {
      const file = await download.path();
      return { name: download.suggestedFilename(), bytes: fs.readFileSync(file), file };
    }
  }
}

/** RFC 4180: quoted fields may hold commas, doubled quotes and line breaks; CRLF rows. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; }
    else field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

/** Rows in a table's body(ies), as on screen. */
async function bodyRows(page, testid) {
  return page.getByTestId(testid).locator(':scope > tbody > tr').count();
}

/** CSV and JSON of one table: header, one record per on-screen row, numbers as numbers. An empty
 *  table fails: an export of nothing proves nothing. */
async function checkTable(page, testid) {
  const rows = await bodyRows(page, testid);
  expect(rows, `${testid}: rows on screen`).toBeGreaterThan(0);
  const csv = await grab(page, `${testid}-csv`);
  expect(csv.name).toMatch(/^benchlens-[a-z0-9-]+\.csv$/);
  const text = csv.bytes.toString('utf8');
  expect(text.endsWith('\r\n')).toBe(true);
  const parsed = parseCsv(text);
  const header = parsed[0];
  expect(header.length).toBeGreaterThan(1);
  expect(header.every((h) => h.length > 0)).toBe(true);
  expect(parsed.length - 1).toBe(rows);
  for (const r of parsed) expect(r.length).toBe(header.length);
  for (const r of parsed.slice(1)) expect(r.some((cell) => cell.trim().length > 0), `${testid}: a blank CSV row`).toBe(true);

  const json = await grab(page, `${testid}-json`);
  expect(json.name).toBe(csv.name.replace(/\.csv$/, '.json'));
  const records = JSON.parse(json.bytes.toString('utf8'));
  expect(Array.isArray(records)).toBe(true);
  expect(records.length).toBe(rows);
  for (const r of records) expect(Object.keys(r)).toEqual(header);
  return { header, rows: parsed.slice(1), records };
}

function pngSize(bytes) {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  expect([...bytes.subarray(0, 8)]).toEqual(signature);
  expect(bytes.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/**
 * The PNG's rows under the chart hold its caption: dark text pixels on white, on the left, in
 * the caption's colour (the muted ink #5d6675), and nothing but white in the last rows.
 */
async function checkCaption(page, bytes, chartHeight) {
  const rows = await page.evaluate(async ({ b64, top }) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const ctx = c.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const band = ctx.getImageData(0, top, img.width, img.height - top).data;
    let ink = 0;
    let inkLeft = 0;
    for (let i = 0; i < band.length; i += 4) {
      const dark = band[i] < 160 && band[i + 1] < 160 && band[i + 2] < 170;
      if (dark) {
        ink += 1;
        if ((i / 4) % img.width < img.width / 2) inkLeft += 1;
      }
    }
    return { ink, inkLeft, height: img.height - top };
  }, { b64: Buffer.from(bytes).toString('base64'), top: chartHeight });
  expect(rows.height).toBeGreaterThan(30);
  expect(rows.ink, 'caption text under the chart').toBeGreaterThan(200);
  expect(rows.inkLeft, 'caption starts on the left').toBeGreaterThan(100);
}

/** PNG at twice the canvas's CSS size plus a caption, and a well-formed, non-empty SVG of one chart. */
async function checkChart(page, testid) {
  const css = await page.getByTestId(testid).evaluate((c) => ({
    width: parseFloat(c.style.width), height: parseFloat(c.style.height),
  }));
  expect(css.width).toBeGreaterThan(50);
  const png = await grab(page, `${testid}-png`);
  expect(png.name).toMatch(/^benchlens-[a-z0-9-]+\.png$/);
  // The chart at 2×, then a caption band under it (issue #17, item 10).
  const size = pngSize(png.bytes);
  expect(size.width).toBe(2 * css.width);
  expect(size.height).toBeGreaterThan(2 * css.height + 2 * 16);
  await checkCaption(page, png.bytes, 2 * css.height);

  const svg = await grab(page, `${testid}-svg`);
  expect(svg.name).toBe(png.name.replace(/\.png$/, '.svg'));
  const shape = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    const root = doc.documentElement;
    return {
      errors: doc.getElementsByTagName('parsererror').length,
      root: root.nodeName,
      width: Number(root.getAttribute('width')),
      height: Number(root.getAttribute('height')),
      shapes: root.querySelectorAll('rect, line, polyline, path, circle, polygon').length,
      texts: root.querySelectorAll('text').length,
    };
  }, svg.bytes.toString('utf8'));
  expect(shape.errors).toBe(0);
  expect(shape.root).toBe('svg');
  expect({ width: shape.width, height: shape.height }).toEqual(css);
  expect(shape.shapes).toBeGreaterThan(10);
  expect(shape.texts).toBeGreaterThan(3);
}

/** The report: one offline file; tables, SVG charts, settings, data, link; no script. */
async function checkReport(page, context, view, files, expectTables) {
  const link = page.url();
  const report = await grab(page, `report-${view}`);
  expect(report.name).toBe(`benchlens-${view}-report.html`);
  const html = report.bytes.toString('utf8');
  expect(html.startsWith('<!doctype html>')).toBe(true);
  expect(html.toLowerCase()).not.toContain('<script');
  expect(html).not.toMatch(/\s(src|srcset|action|formaction)\s*=/i);
  expect(html).not.toMatch(/url\s*\(/i);
  expect(html).toContain(`href="${link.replace(/&/g, '&amp;')}"`);

  const shape = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'text/html');
    const tables = {};
    for (const t of doc.querySelectorAll('[data-table]')) {
      tables[t.getAttribute('data-table')] = t.querySelectorAll('tbody > tr').length;
    }
    return {
      tables,
      svgs: doc.querySelectorAll('figure > svg').length,
      svgText: doc.querySelectorAll('figure > svg text').length,
      settings: doc.getElementById('settings')?.textContent ?? '',
      provenance: doc.querySelectorAll('#provenance tbody tr').length,
      links: [...doc.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')),
      // Every attribute that names an address (user text may mention one: that is text).
      addresses: [...doc.querySelectorAll('*')].flatMap((e) => [...e.attributes])
        .filter((a) => /^(https?:|\/\/|file:|data:)/i.test(a.value.trim()) || /https?:/i.test(a.value))
        .map((a) => `${a.name}=${a.value}`),
    };
  }, html);
  for (const t of expectTables) expect(shape.tables[t]).toBe(await bodyRows(page, t));
  expect(shape.svgs).toBeGreaterThan(0);
  expect(shape.svgText).toBeGreaterThan(3);
  expect(() => JSON.parse(shape.settings)).not.toThrow();
  expect(shape.provenance).toBe(files);
  expect(shape.links).toEqual([link]);
  expect(shape.addresses).toEqual([`href=${link}`]);

  // Offline, from disk: it renders, and asks for nothing but itself.
  const copy = test.info().outputPath(report.name);
  fs.copyFileSync(report.file, copy);
  const offline = await context.newPage();
  await context.setOffline(true);
  const requests = [];
  offline.on('request', (r) => requests.push(r.url()));
  const address = pathToFileURL(copy).href;
  await offline.goto(address);
  await expect(offline.locator('figure > svg').first()).toBeVisible();
  await expect(offline.locator('h1')).toContainText('benchlens');
  expect(requests).toEqual([address]);
  await offline.screenshot({ path: `test-results/report-${view}.png`, fullPage: true });
  await offline.close();
  await context.setOffline(false);
  return { html, shape };
}

function watchErrors(page) {
  const errors = [];

  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  return errors;
}

test('ratings: leaderboard CSV/JSON at full precision, charts as 2× PNG and SVG, report', async ({ page, context }) => {
  const errors = watchErrors(page);
  await page.goto('./');
  await page.getByTestId('sample-menu').selectOption('genai-arena');
  await expect(page.getByTestId('dataset-card')).toHaveCount(1);
  await page.getByTestId('tab-ratings').click();
  await expect(page.getByTestId('leaderboard-row')).toHaveCount(13);

  const { header, rows, records } = await checkTable(page, 'leaderboard');
  // The interval as the CLI gives it (lower, upper), the offsets shown on screen after it, all
  // with ASCII names (issue #17, item 10).
  expect(header).toEqual(['Rank (UB)', 'Model', 'Rating', 'lower', 'upper', 'lower_offset', 'upper_offset', 'Battles']);
  expect(records.filter((r) => r.lower !== null).length).toBeGreaterThan(0);
  for (const r of records.filter((x) => x.lower !== null)) {
    expect(r.lower).toBeLessThanOrEqual(r.Rating);
    expect(r.upper).toBeGreaterThanOrEqual(r.Rating);
    expect(r.lower_offset).toBeCloseTo(r.lower - r.Rating, 6);
    expect(r.upper_offset).toBeCloseTo(r.upper - r.Rating, 6);
  }
  // The model cell holds the name only (no group badge); ratings keep every digit and round to
  // what the screen shows; battles are plain integers.
  const shown = await page.getByTestId('leaderboard-row').first().locator('td').allInnerTexts();
  expect(rows[0][1]).toBe(records[0].Model);
  expect(shown[1].startsWith(rows[0][1])).toBe(true);
  expect(rows[0][2].replace(/^-/, '').split('.')[1].length).toBeGreaterThan(3);
  expect(Number(rows[0][2]).toFixed(1)).toBe(shown[2]);
  expect(typeof records[0].Rating).toBe('number');
  expect(records[0].Rating).toBe(Number(rows[0][2]));
  expect(Number.isInteger(records[0].Battles)).toBe(true);
  expect(records[0]['Rank (UB)']).toBe(Number(shown[0]));

  for (const chart of ['chart-forest', 'chart-win-fraction', 'chart-predicted', 'chart-battle-counts']) {
    await checkChart(page, chart);
  }
  const { shape } = await checkReport(page, context, 'ratings', 1, ['leaderboard']);
  expect(shape.svgs).toBeGreaterThanOrEqual(4);
  expect(JSON.parse(shape.settings).settings.bootstrap_rounds).toBe(1000);
  await page.screenshot({ path: 'test-results/exports-ratings.png', fullPage: true });
  expect(errors).toEqual([]);
});

test('judge: two-row headers flatten, rowspans repeat, every table and chart exports, report', async ({ page, context }) => {
  const errors = watchErrors(page);
  await page.goto('./');
  await page.getByTestId('sample-menu').selectOption('alpaca-eval');
  await expect(page.getByTestId('dataset-card')).toHaveCount(9);
  await page.getByTestId('tab-judge').click();
  await expect(page.getByTestId('judge-row')).toHaveCount(8);
  await expect(page.getByTestId('drill-row').first()).toBeVisible();

  const board = await checkTable(page, 'judge-leaderboard');
  expect(board.header).toContain('Win rate (%) / win rate');
  expect(board.header).toContain('Length-controlled (%) / LC win rate');
  expect(board.header).toContain('Win rate (%) / published');
  const claude = board.records.find((r) => r.Model === 'claude-2.1');
  expect(claude['Win rate (%) / win rate']).toBeCloseTo(15.7335, 3);
  expect(String(claude['Win rate (%) / win rate']).length).toBeGreaterThan(6);
  expect(claude['Length-controlled (%) / LC win rate']).toBeCloseTo(31.9426, 3);

  const length = await checkTable(page, 'judge-length-table');
  expect(length.records.every((r) => r['Base model'] !== '')).toBe(true);
  const drill = await checkTable(page, 'drill-table');
  // The whole instruction, not the snippet on screen.
  expect(drill.records.some((r) => r.Instruction.length > 110)).toBe(true);

  for (const chart of ['chart-raw-vs-lc', 'chart-judge-forest']) await checkChart(page, chart);
  await checkReport(page, context, 'judge', 9, ['judge-leaderboard', 'judge-length-table', 'drill-table']);
  expect(errors).toEqual([]);
});

test('scaling: every table and chart on the view exports', async ({ page, context }) => {
  const errors = watchErrors(page);
  await page.goto('./');
  await page.getByTestId('sample-menu').selectOption('synthetic-runs');
  await expect(page.getByTestId('dataset-card')).toHaveCount(1);
  await page.getByTestId('tab-scaling').click();
  await expect(page.getByTestId('scaling-params')).toBeVisible();
  const tables = await page.locator('[data-export-table]').evaluateAll(
    (els) => els.map((e) => e.getAttribute('data-export-table')),
  );
  expect(tables).toEqual(expect.arrayContaining(['scaling-params', 'scaling-models', 'scaling-inference']));
  for (const t of tables) await checkTable(page, t);
  const params = (await checkTable(page, 'scaling-params')).records;
  expect(typeof params[0].estimate).toBe('number');
  // Charts that are drawn (a chart without data keeps an empty canvas and disabled buttons).
  const charts = await page.locator('[data-export-chart] canvas').evaluateAll(
    (els) => els.filter((e) => e.style.width).map((e) => e.getAttribute('data-testid')),
  );
  expect(charts.length).toBeGreaterThanOrEqual(4);
  for (const c of charts) await checkChart(page, c);
  const { shape } = await checkReport(page, context, 'scaling', 1, tables);
  expect(shape.svgs).toBe(charts.length);
  expect(JSON.parse(shape.settings).fit.bootstrap).toBeGreaterThan(0);
  await page.screenshot({ path: 'test-results/exports-scaling.png', fullPage: true });
  expect(errors).toEqual([]);
});

test('defects: flag table, statistics and duplicates export; report lists every file', async ({ page, context }) => {
  const errors = watchErrors(page);
  await page.goto('./');
  await page.getByTestId('sample-menu').selectOption('mmlu-dev');
  const files = 57;
  await expect(page.getByTestId('dataset-card')).toHaveCount(files, { timeout: 60_000 });
  await page.getByTestId('tab-defects').click();
  await expect(page.getByTestId('flag-row').first()).toBeVisible({ timeout: 60_000 });
  const tables = await page.locator('[data-export-table]').evaluateAll(
    (els) => els.map((e) => e.getAttribute('data-export-table')),
  );
  expect(tables).toEqual(['defects-table', 'positions-table', 'longest-table', 'dup-table']);
  for (const t of tables) await checkTable(page, t);
  const flags = (await checkTable(page, 'defects-table')).records;
  expect(typeof flags[0].Suspicion).toBe('number');
  // The question without its options and evidence marks; the reason without a mark badge.
  expect(flags[0]['Question and options (key ✓, evidence highlighted)']).not.toContain('✓ key');
  const positions = (await checkTable(page, 'positions-table')).records;
  expect(positions[0].File).toBe('all');
  expect(Number.isInteger(positions[0].Items)).toBe(true);
  await checkChart(page, 'chart-defects-subjects');
  await checkReport(page, context, 'defects', files, tables);
  expect(errors).toEqual([]);
});

// Issue #17, item 10: a model name a spreadsheet would run as a formula is exported as text
// (OWASP: a leading single quote); numbers, negative ones included, stay numbers.
test('CSV exports escape formula-like text and keep numbers', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('./');
  const evil = "=cmd|' /C calc'!A0";
  const log = ['model_a,model_b,winner',
    `"${evil}",-1+2,model_a`, `-1+2,plain,model_a`, `plain,"${evil}",model_b`,
    `"${evil}",plain,tie`, `-1+2,"${evil}",model_b`, `plain,-1+2,model_a`].join('\n') + '\n';
  await page.getByTestId('file-input').setInputFiles({ name: 'formulas.csv', mimeType: 'text/csv', buffer: Buffer.from(log) });
  await expect(page.getByTestId('dataset-card')).toHaveCount(1);
  await page.getByTestId('tab-ratings').click();
  await expect(page.getByTestId('leaderboard-row')).toHaveCount(3);
  const csv = (await grab(page, 'leaderboard-csv')).bytes.toString('utf8');
  const rows = parseCsv(csv);
  const models = rows.slice(1).map((r) => r[1]).sort();
  expect(models).toEqual(["'-1+2", `'${evil}`, 'plain']);
  // Ratings and offsets: plain numbers, negative offsets without a quote.
  for (const r of rows.slice(1)) {
    expect(Number.isFinite(Number(r[2]))).toBe(true);
    expect(r[5].startsWith("'"), `offset ${r[5]} stays a number`).toBe(false);
    expect(Number.isFinite(Number(r[5]))).toBe(true);
  }
  // JSON keeps the names exactly.
  const json = JSON.parse((await grab(page, 'leaderboard-json')).bytes.toString('utf8'));
  expect(json.map((r) => r.Model).sort()).toEqual(['-1+2', evil, 'plain']);
  expect(errors).toEqual([]);
});
