// A stand-in for the Hugging Face hub on 127.0.0.1, answering the endpoints benchlens uses, so
// the "open from the hub" tests run without internet:
// - GET /api/datasets/<owner>/<name>/tree/<rev>?recursive=true: the JSON listing
//   ({type, oid, size, path, lfs}), `pageSize` entries a page, the next page in a `Link` header;
// - GET /datasets/<owner>/<name>/resolve/<rev>/<path>: a 302 redirect to a second server on
//   another port, standing in for the CDN, which answers Range requests with 206 + Content-Range;
// - 404 for an unknown dataset, revision or file; 401 for a gated dataset;
// - a slow mode (`hub.slowMs = …`): every answer of both servers waits that long.
// CORS is answered as the hub does (any origin, Range allowed, Link and Content-Range exposed).
// Every request is recorded in `hub.requests`.
const fs = require('fs');
const http = require('http');

const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers': 'Range',
  'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
  'Access-Control-Expose-Headers': 'Link, Content-Range, Content-Length, Accept-Ranges',
};

function listen(handler) {
  return new Promise((resolve) => {
    const server = http.createServer(handler);
    server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${server.address().port}` }));
  });
}

// The folders and files of a revision, sorted by path, as the hub lists them recursively.
function treeEntries(files) {
  const dirs = new Set();
  for (const p of Object.keys(files)) {
    const parts = p.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  const entries = [...dirs].map((p) => ({ type: 'directory', oid: `d-${p}`, size: 0, path: p }));
  for (const [p, file] of Object.entries(files)) {
    const size = fs.statSync(file).size;
    const entry = { type: 'file', oid: `f-${p}`, size, path: p };
    if (p.endsWith('.parquet')) {
      // As the hub does for LFS files: `size` is the file's, `lfs` says it is stored by LFS.
      entry.lfs = { oid: `lfs-${p}`, size, pointerSize: 134 };
    }
    entries.push(entry);
  }
  return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * datasets: { 'owner/name': { gated?: true, revisions: { main: { 'data/x.parquet': '/abs/path' } } } }
 * Returns { origin, cdnOrigin, requests, slowMs, close() }.
 */
async function startHub(datasets, { pageSize = 1000 } = {}) {
  const hub = { requests: [], slowMs: 0 };
  const later = (fn) => (hub.slowMs > 0 ? setTimeout(fn, hub.slowMs) : fn());
  const send = (res, status, headers, body) => later(() => {
    res.writeHead(status, { ...CORS, ...headers });
    res.end(body);
  });
  const error = (res, status, message) => send(res, status, { 'Content-Type': 'application/json' }, JSON.stringify({ error: message }));

  // Finds the dataset and revision, or answers the error the hub would.
  const lookup = (res, owner, name, rev) => {
    const dataset = datasets[`${owner}/${name}`];
    if (!dataset) return error(res, 404, 'Repository not found');
    if (dataset.gated) return error(res, 401, 'Access to dataset is restricted. You must have access to it and be authenticated to access it.');
    const files = dataset.revisions[rev];
    if (!files) return error(res, 404, 'Revision Not Found');
    return files;
  };

  const cdn = await listen((req, res) => {
    const range = req.headers.range || null;
    const record = { server: 'cdn', method: req.method, url: req.url, range };
    hub.requests.push(record);
    if (req.method === 'OPTIONS') return send(res, 204, {}, '');
    // /blob/<owner>/<name>/<encoded rev>/<path>
    const m = req.url.split('?')[0].match(/^\/blob\/([^/]+)\/([^/]+)\/([^/]+)\/(.+)$/);
    const files = m && lookup(res, m[1], m[2], decodeURIComponent(m[3]));
    if (!files) return record.status = 404;
    const file = files[decodeURIComponent(m[4])];
    if (!file) return error(res, 404, 'Entry not found');
    const bytes = fs.readFileSync(file);
    const r = range && range.match(/^bytes=(\d+)-(\d*)$/);
    if (!r) {
      record.status = 200;
      return send(res, 200, { 'Content-Type': 'application/octet-stream', 'Accept-Ranges': 'bytes' }, bytes);
    }
    const start = Number(r[1]);
    const end = Math.min(r[2] === '' ? bytes.length - 1 : Number(r[2]), bytes.length - 1);
    if (start >= bytes.length || end < start) {
      record.status = 416;
      return send(res, 416, { 'Content-Range': `bytes */${bytes.length}` }, '');
    }
    record.status = 206;
    return send(res, 206, {
      'Content-Type': 'application/octet-stream',
      'Content-Range': `bytes ${start}-${end}/${bytes.length}`,
      'Accept-Ranges': 'bytes',
    }, bytes.subarray(start, end + 1));
  });

  const api = await listen((req, res) => {
    const record = { server: 'hub', method: req.method, url: req.url, range: req.headers.range || null };
    hub.requests.push(record);
    if (req.method === 'OPTIONS') return send(res, 204, {}, '');
    const url = new URL(req.url, 'http://hub');
    let m = url.pathname.match(/^\/api\/datasets\/([^/]+)\/([^/]+)\/tree\/([^/]+)$/);
    if (m) {
      const files = lookup(res, m[1], m[2], decodeURIComponent(m[3]));
      if (!files) return record.status = 'error';
      const entries = treeEntries(files);
      const from = Number(url.searchParams.get('cursor') || 0);
      const page = entries.slice(from, from + pageSize);
      const headers = { 'Content-Type': 'application/json' };
      if (from + pageSize < entries.length) {
        const next = new URL(url);
        next.searchParams.set('cursor', String(from + pageSize));
        headers.Link = `<${api.origin}${next.pathname}${next.search}>; rel="next"`;
      }
      record.status = 200;
      return send(res, 200, headers, JSON.stringify(page));
    }
    m = url.pathname.match(/^\/datasets\/([^/]+)\/([^/]+)\/resolve\/([^/]+)\/(.+)$/);
    if (m) {
      const files = lookup(res, m[1], m[2], decodeURIComponent(m[3]));
      if (!files) return record.status = 'error';
      if (!files[decodeURIComponent(m[4])]) return error(res, 404, 'Entry not found');
      record.status = 302;
      return send(res, 302, { Location: `${cdn.origin}/blob/${m[1]}/${m[2]}/${m[3]}/${m[4]}` }, '');
    }
    return error(res, 404, 'Not found');
  });

  hub.origin = api.origin;
  hub.cdnOrigin = cdn.origin;
  hub.close = () => Promise.all([api, cdn].map((s) => new Promise((r) => {
    s.server.closeAllConnections();
    s.server.close(r);
  })));
  return hub;
}

module.exports = { startHub };
