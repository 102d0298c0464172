#!/usr/bin/env python3
"""Trunk post-build hook: writes a strict Content-Security-Policy into the built index.html.

Trunk injects an inline module script (the wasm loader) whose text changes with every build's
hashed file names, so the policy allows exactly that script by its SHA-256, computed here, rather
than 'unsafe-inline'. Nothing but data may be loaded from elsewhere.

`connect-src`, the only way out, names two things apart:
- HUB_HOSTS, for "Open from the hub" (src/intake/hub.rs; the worker's range requests inherit this
  policy, being started from a blob: URL): the hub's API and the CDN hosts its `resolve` redirects
  go to. CSP checks every redirect hop, and the hub has moved files between CDNs (cdn-lfs*.
  huggingface.co, cdn-lfs*.hf.co, cas-bridge.xethub.hf.co, regional *.cdn.hf.co), so the two
  domains are allowed with their subdomains rather than host by host; nothing else of theirs is.
- `http: https:`, because `?data=URL` fetches from any host the user names (a gist, a bucket). This
  covers the hub too; the hub is still listed so that narrowing `?data=` (e.g. to https only, or
  dropping it) cannot break the hub. The tests' loopback hub (`?hub=`, honoured only on a loopback
  page) also rides on `http:`.
"""
import base64
import hashlib
import os
import re
import sys

HUB_HOSTS = ["https://huggingface.co", "https://*.huggingface.co", "https://*.hf.co"]
DATA_URL_SCHEMES = ["http:", "https:"]

path = os.path.join(os.environ.get("TRUNK_STAGING_DIR", sys.argv[1] if len(sys.argv) > 1 else "dist"), "index.html")
with open(path, encoding="utf-8") as f:
    html = f.read()

scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, flags=re.S)
hashes = " ".join(
    "'sha256-%s'" % base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode("ascii")
    for s in scripts
)
policy = "; ".join([
    "default-src 'self'",
    f"script-src 'self' 'wasm-unsafe-eval' {hashes}".strip(),
    "worker-src 'self' blob:",
    # Leptos sets a few style attributes (heat shading in the drill-down table).
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    " ".join(["connect-src 'self'", *HUB_HOSTS, *DATA_URL_SCHEMES]),
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
])
meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
html = re.sub(r'\s*<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
html = html.replace('<meta charset="utf-8">', '<meta charset="utf-8">\n  ' + meta, 1)
if meta not in html:
    sys.exit("csp.py: no <meta charset=\"utf-8\"> in index.html to put the policy after")
with open(path, "w", encoding="utf-8") as f:
    f.write(html)
print(f"csp.py: policy with {len(scripts)} inline script hash(es) written to {path}")
