// Small static HTTP servers on 127.0.0.1 for the share-link tests: a data host with or without
// CORS, and the dashboard served under a sub-path. Each picks a free port.
const fs = require('fs');
const http = require('http');
const path = require('path');

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.json': 'application/json', '.csv': 'text/csv', '.jsonl': 'application/x-ndjson',
};

function listen(handler) {
  return new Promise((resolve) => {
    const server = http.createServer(handler);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ server, origin: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

// routes: { '/path': { body, type, cors, status } }
function dataHost(routes) {
  return listen((req, res) => {
    const route = routes[req.url.split('?')[0]];
    if (!route) {
      res.writeHead(404, { 'Access-Control-Allow-Origin': '*', 'Content-Type': 'text/plain' });
      res.end('not found');
      return;
    }
    const headers = { 'Content-Type': route.type || 'text/csv' };
    if (route.cors !== false) headers['Access-Control-Allow-Origin'] = '*';
    res.writeHead(route.status || 200, headers);
    res.end(route.body);
  });
}

// Serves `dir` under `prefix` (e.g. '/benchlens/'), as GitHub Pages serves a project site.
function staticUnder(dir, prefix) {
  return listen((req, res) => {
    const url = req.url.split('?')[0].split('#')[0];
    if (!url.startsWith(prefix)) {
      res.writeHead(404);
      res.end();
      return;
    }
    let rel = decodeURIComponent(url.slice(prefix.length)) || 'index.html';
    if (rel.endsWith('/')) rel += 'index.html';
    const file = path.join(dir, rel);
    if (!file.startsWith(path.resolve(dir)) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
}

// Records every request a page makes, to assert it talks to no one it should not.
function recordRequests(page) {
  const urls = [];
  page.on('request', (r) => urls.push(r.url()));
  return urls;
}

function foreign(urls, allowedOrigins) {
  return urls.filter((u) => !u.startsWith('data:') && !u.startsWith('blob:')
    && !allowedOrigins.some((o) => u.startsWith(o)));
}

module.exports = { dataHost, staticUnder, recordRequests, foreign };
