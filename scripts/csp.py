#!/usr/bin/env python3
"""Trunk post-build hook: writes a strict Content-Security-Policy into the built index.html.

Trunk injects an inline module script (the wasm loader) whose text changes with every build's
hashed file names, so the policy allows exactly that script by its SHA-256, computed here, rather
than 'unsafe-inline'. `connect-src` stays open to http(s) because `?data=URL` fetches from hosts
the user names; nothing else may be loaded from elsewhere.
"""
import base64
import hashlib
import os
import re
import sys

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
    "connect-src 'self' http: https:",
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
