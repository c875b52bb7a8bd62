#!/usr/bin/env node
// `npm start`: builds the static site if out/ is missing or older than the sources
// (scripts/build.mjs: lesson checker, next build, Content-Security-Policy), then serves
// out/ on http://localhost:$PORT (default 3000) with a small static file server. Pages go
// out with their Content-Security-Policy as a header too (plus what only a header can
// say: frame-ancestors).
// Text (HTML, scripts, styles, JSON, source maps) goes out compressed — Brotli or gzip, as
// the browser's Accept-Encoding asks — each file compressed once and kept in memory.
// No dependencies beyond Node: the built site needs no server logic at all, so any
// static host or CDN can serve out/ the same way.
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip as gzipCb } from 'node:zlib';
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

/** Types worth compressing (images other than SVG, fonts and wasm are compressed already or barely shrink). */
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.txt', '.svg', '.map', '.yaml', '.md']);
/** Files under this size go out as they are: the encoding would cost more than it saves. */
const MIN_COMPRESS = 1024;
/** Compressed bodies by encoding, file and modification time (out/ is rebuilt in place). */
const compressed = new Map();
const brotli = promisify(brotliCompress);
const gzip = promisify(gzipCb);

/** The encoding to send `file` in for this Accept-Encoding: `br`, `gzip` or none. */
function encodingFor(acceptEncoding, ext, size) {
  if (!COMPRESSIBLE.has(ext) || size < MIN_COMPRESS) return null;
  const accepted = new Map();
  for (const part of String(acceptEncoding || '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    accepted.set(name, q ? Number(q.slice(2)) : 1);
  }
  for (const enc of ['br', 'gzip']) if ((accepted.get(enc) ?? accepted.get('*') ?? 0) > 0) return enc;
  return null;
}

/**
 * `file`'s body in `encoding`, compressed on first use — off the event loop (zlib's thread
 * pool), so a large chunk being compressed holds up no other request. Brotli at quality 5,
 * the usual setting for compressing on the fly (11 takes seconds on the editor's chunk).
 */
function compressedBody(file, st, encoding) {
  const key = `${encoding}:${file}`;
  const hit = compressed.get(key);
  if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.body;
  const body = readFile(file).then((raw) =>
    encoding === 'br'
      ? brotli(raw, { params: { [zlib.BROTLI_PARAM_QUALITY]: 5, [zlib.BROTLI_PARAM_SIZE_HINT]: raw.length } })
      : gzip(raw, { level: 9 }),
  );
  compressed.set(key, { mtimeMs: st.mtimeMs, size: st.size, body });
  body.catch(() => compressed.delete(key));
  return body;
}

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
  serve(req, res).catch((e) => {
    // A file that went away mid-request (out/ rebuilt) and the like: this request fails, the server stays up.
    console.error(`netlab: ${req.url}: ${e.message}`);
    if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
    res.end();
  });
});

async function serve(req, res) {
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
  const st = statSync(file);
  let encoding = encodingFor(req.headers['accept-encoding'], ext, st.size);
  let body = null;
  if (encoding) {
    try {
      body = await compressedBody(file, st, encoding);
    } catch {
      encoding = null;
    }
  }
  const headers = {
    'Content-Type': TYPES[ext] || 'application/octet-stream',
    'Content-Length': body ? body.length : st.size,
    ...(COMPRESSIBLE.has(ext) ? { Vary: 'Accept-Encoding' } : {}),
    ...(encoding ? { 'Content-Encoding': encoding } : {}),
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
  if (body) res.end(body);
  else {
    // A read error (the file went away as out/ was rebuilt) ends this response, not the server.
    const stream = createReadStream(file);
    stream.on('error', (e) => {
      console.error(`netlab: ${url}: ${e.message}`);
      res.destroy();
    });
    stream.pipe(res);
  }
}

server.listen(port, host, () => {
  console.log(`netlab: serving ${path.relative(root, outDir)}/ on http://localhost:${port}`);
  void prewarm();
});

/** Compresses the site's scripts and styles ahead of their first request, one at a time (a core stays free for requests). */
async function prewarm() {
  const dir = path.join(outDir, '_next/static/chunks');
  let names = [];
  try {
    names = readdirSync(dir).filter((n) => /\.(js|css)$/.test(n));
  } catch {
    return;
  }
  for (const n of names) {
    const file = path.join(dir, n);
    try {
      const st = statSync(file);
      if (encodingFor('br', path.extname(file), st.size)) await compressedBody(file, st, 'br');
    } catch {
      /* rebuilt meanwhile: compressed on request */
    }
  }
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    server.close();
    process.exit(0);
  });
}
