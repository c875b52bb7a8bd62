#!/usr/bin/env node
// `npm start`: builds the static site if out/ is missing or older than the sources
// (scripts/build.mjs: lesson checker, next build, Content-Security-Policy), then serves
// out/ on http://localhost:$PORT (default 3000) with a small static file server. Pages go
// out with their Content-Security-Policy as a header too (plus what only a header can
// say: frame-ancestors).
// No dependencies beyond Node: the built site needs no server logic at all, so any
// static host or CDN can serve out/ the same way.
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { policyOf, stampSite } from './csp.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'out');
const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || '0.0.0.0';

/** Newest modification time under the given paths (files and folders, recursively). */
function newest(paths) {
  let max = 0;
  const walk = (p) => {
    let st;
    try {
      st = statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      for (const e of readdirSync(p)) if (e !== 'node_modules' && !e.startsWith('.')) walk(path.join(p, e));
    } else if (st.mtimeMs > max) max = st.mtimeMs;
  };
  for (const p of paths) walk(path.join(root, p));
  return max;
}

const SOURCES = ['app', 'components', 'lib', 'engine', 'lessons', 'docs/authoring.md', 'public', 'scripts/build.mjs', 'scripts/csp.mjs', 'next.config.mjs', 'postcss.config.mjs', 'package.json', 'tsconfig.json'];

function needsBuild() {
  if (process.env.NETLAB_SKIP_BUILD === '1') return false;
  const marker = path.join(outDir, 'index.html');
  if (!existsSync(marker)) return true;
  return newest(SOURCES) > statSync(marker).mtimeMs;
}

if (needsBuild()) {
  console.log('netlab: building the static site (scripts/build.mjs)…');
  const r = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (r.status !== 0) {
    console.error('netlab: the build failed');
    process.exit(r.status ?? 1);
  }
}
// A site built with plain `next build` gets its policy here (a no-op when already stamped).
if (existsSync(outDir)) stampSite(outDir);

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.map': 'application/json; charset=utf-8',
  '.yaml': 'text/yaml; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** Maps a URL path to a file in out/: exact file, then `.html`, then `index.html` in a folder. */
function resolveFile(urlPath) {
  let p;
  try {
    p = decodeURIComponent(urlPath.split('?')[0]);
  } catch {
    return null;
  }
  const full = path.normalize(path.join(outDir, p));
  if (full !== outDir && !full.startsWith(outDir + path.sep)) return null;
  const candidates = [full, `${full}.html`, path.join(full, 'index.html')];
  for (const c of candidates) {
    try {
      if (statSync(c).isFile()) return c;
    } catch {
      /* next */
    }
  }
  return null;
}

const server = createServer((req, res) => {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  const url = req.url || '/';
  // Folder URLs without the trailing slash redirect, as static hosts do (trailingSlash: true).
  const noQuery = url.split('?')[0];
  if (!noQuery.endsWith('/') && !path.extname(noQuery)) {
    const dirIndex = resolveFile(noQuery + '/');
    if (dirIndex && dirIndex.endsWith('index.html')) {
      res.writeHead(308, { Location: noQuery + '/' + (url.includes('?') ? url.slice(url.indexOf('?')) : '') }).end();
      return;
    }
  }
  let file = resolveFile(url);
  let status = 200;
  if (!file) {
    file = path.join(outDir, '404.html');
    status = 404;
    if (!existsSync(file)) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
      return;
    }
  }
  const ext = path.extname(file);
  const headers = {
    'Content-Type': TYPES[ext] || 'application/octet-stream',
    'Content-Length': statSync(file).size,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': url.startsWith('/_next/static/') ? 'public, max-age=31536000, immutable' : 'no-cache',
  };
  if (ext === '.html') {
    const policy = policyOf(readFileSync(file, 'utf8'));
    if (policy) headers['Content-Security-Policy'] = `${policy}; frame-ancestors 'none'`;
  }
  res.writeHead(status, headers);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file).pipe(res);
});

server.listen(port, host, () => {
  console.log(`netlab: serving ${path.relative(root, outDir)}/ on http://localhost:${port}`);
});

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    server.close();
    process.exit(0);
  });
}
