// How fast the page can read a dropped file, with no parsing (not a test: prints lines).
// Usage: node e2e/bench/blob-read.js FILE [MODES]   MODES: comma-separated, default async3x2,stream2
//   async3xN: N workers, each reading its share as 4 MB `slice().arrayBuffer()` with 3 in flight
//   (what the pool does); streamN: `slice().stream()`; syncN: FileReaderSync; suffix -16MB: slices.
// Wrap it in a per-thread CPU sampler to see the browser process's share of the reading.
const { withBrowser } = require('./harness');
const file = process.argv[2];
(async () => {
  await withBrowser(8150, async (browser, base) => {
    const page = await browser.newPage();
    await page.goto(base);
    await page.evaluate(() => { const i = document.createElement('input'); i.type = 'file'; i.id = 'rb'; document.body.appendChild(i); });
    await page.setInputFiles('#rb', file);
    for (const mode of (process.argv[3]||'async3x2,stream2').split(',')) {
      const r = await page.evaluate(async (mode) => {
        const f = document.getElementById('rb').files[0];
        const workers = mode.endsWith('1') ? 1 : 2;
        const slice = mode.includes('16MB') ? 16 << 20 : 4 << 20;
        const code = `onmessage = async (e) => { const {f, from, to, sync, slice} = e.data; const t0 = performance.now(); let n = 0;
          if (e.data.stream) { const rd = f.slice(from, to).stream().getReader(); for (;;) { const {value, done} = await rd.read(); if (done) break; n += value.byteLength; } } else if (sync) { const r = new FileReaderSync(); for (let p = from; p < to; p += slice) { const b = r.readAsArrayBuffer(f.slice(p, Math.min(to, p + slice))); n += b.byteLength; } }
          else { const q = []; let p = from; const start = () => { if (p < to) { q.push(f.slice(p, Math.min(to, p + slice)).arrayBuffer()); p += slice; } };
            start(); start(); start(); while (q.length) { const b = await q.shift(); start(); n += b.byteLength; } }
          postMessage({ms: performance.now() - t0, n}); }`;
        const url = URL.createObjectURL(new Blob([code], {type: 'text/javascript'}));
        const t0 = performance.now();
        const half = Math.floor(f.size / workers);
        const res = await Promise.all([...Array(workers).keys()].map((i) => new Promise((ok) => {
          const w = new Worker(url); w.onmessage = (e) => { ok(e.data); w.terminate(); };
          w.postMessage({f, from: i * half, to: i === workers - 1 ? f.size : (i + 1) * half, sync: mode.startsWith('sync'), stream: mode.startsWith('stream'), slice});
        })));
        return { mode, wall: performance.now() - t0, each: res.map((r) => Math.round(r.ms)), mbps: Math.round(f.size / 1e3 / (performance.now() - t0)) };
      }, mode);
      console.log(JSON.stringify(r));
    }
  });
})();
