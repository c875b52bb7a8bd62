#!/usr/bin/env node
// What a page of the static site (out/) loads, chunk by chunk, with each chunk's gzipped size
// and — when the site was built with source maps (NETLAB_ANALYZE=1 npm run build) — the
// modules that make it up, largest first. For finding what to cut from a page's first load.
//
//   node scripts/chunks.mjs [page …] [--chunk FILE …] [--top N]
//
// page: a path under out/ (`/`, `/lessons/10-welcome/`, `/playground/`); default all three.
// The page's own <script src> (not `nomodule`: a modern browser never fetches the
// polyfills) are listed; --chunk adds chunks the page imports later (by file name, as the
// e2e test first-load measurement names them). Sizes: gzip level 9, in kB of 1024 bytes.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'out');
const args = process.argv.slice(2);
const pages = [];
const extra = [];
let top = 12;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--chunk') extra.push(args[++i]);
  else if (args[i] === '--top') top = Number(args[++i]);
  else pages.push(args[i]);
}
if (!pages.length && !extra.length) pages.push('/', '/lessons/10-welcome/', '/playground/');

const kb = (n) => `${(n / 1024).toFixed(1)} kB`;
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64I = Object.fromEntries([...B64].map((c, i) => [c, i]));

/** Decodes one source map's `mappings`: [line][] of [column, sourceIndex]. */
function decodeMappings(mappings) {
  const lines = [];
  let src = 0;
  for (const line of mappings.split(';')) {
    const segs = [];
    let col = 0;
    if (line) {
      for (const seg of line.split(',')) {
        const vals = [];
        let v = 0;
        let shift = 0;
        for (const ch of seg) {
          const d = B64I[ch];
          v += (d & 31) << shift;
          if (d & 32) shift += 5;
          else {
            vals.push(v & 1 ? -(v >>> 1) : v >>> 1);
            v = 0;
            shift = 0;
          }
        }
        col += vals[0];
        if (vals.length > 1) {
          src += vals[1];
          segs.push([col, src]);
        } else segs.push([col, -1]);
        // the original line and column (vals[2], vals[3]) do not matter here
      }
    }
    lines.push(segs);
  }
  return lines;
}

/** Bytes of generated code per original source, from a (possibly sectioned) source map. */
function bytesBySource(code, map) {
  const codeLines = code.split('\n');
  const totals = new Map();
  const add = (name, n) => totals.set(name, (totals.get(name) ?? 0) + n);
  const sections = map.sections ?? [{ offset: { line: 0, column: 0 }, map }];
  sections.forEach((s, k) => {
    const m = s.map;
    const next = sections[k + 1]?.offset;
    const lines = decodeMappings(m.mappings ?? '');
    lines.forEach((segs, li) => {
      const gl = s.offset.line + li;
      const text = codeLines[gl] ?? '';
      segs.forEach(([col, src], si) => {
        const c0 = (li === 0 ? s.offset.column : 0) + col;
        let c1 = si + 1 < segs.length ? (li === 0 ? s.offset.column : 0) + segs[si + 1][0] : text.length;
        if (next && gl === next.line && si + 1 === segs.length) c1 = Math.min(c1, next.column);
        add(src >= 0 ? m.sources[src] : '(generated)', Math.max(0, c1 - c0));
      });
    });
  });
  return totals;
}

/** `[project]/node_modules/x/y.js` → `x`, our files stay as they are. */
function moduleName(src) {
  const s = src.replace(/^.*?\[project\]\//, '').replace(/^turbopack:\/\/\//, '').replace(/ \[.*\]$/, '');
  const m = s.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)/);
  return m ? `${m[1]}: ${m[2]}` : s;
}

function chunkReport(rel) {
  const file = path.join(out, rel.replace(/^\//, ''));
  const code = readFileSync(file);
  const gz = gzipSync(code, { level: 9 }).length;
  const lines = [`  ${path.basename(rel).padEnd(34)} ${kb(code.length).padStart(10)} raw ${kb(gz).padStart(9)} gz`];
  const named = code.toString('utf8').match(/\/\/# sourceMappingURL=(\S+)\s*$/);
  const mapFile = named ? path.join(path.dirname(file), named[1]) : `${file}.map`;
  if (existsSync(mapFile)) {
    const totals = bytesBySource(code.toString('utf8'), JSON.parse(readFileSync(mapFile, 'utf8')));
    const byModule = new Map();
    for (const [src, n] of totals) {
      const name = moduleName(src);
      byModule.set(name, (byModule.get(name) ?? 0) + n);
    }
    const sorted = [...byModule].sort((a, b) => b[1] - a[1]);
    for (const [name, n] of sorted.slice(0, top)) lines.push(`      ${kb(n).padStart(9)} raw  ${name}`);
    if (sorted.length > top) lines.push(`      … ${sorted.length - top} more modules, ${kb(sorted.slice(top).reduce((a, [, n]) => a + n, 0))} raw`);
  }
  return { gz, text: lines.join('\n') };
}

for (const p of pages) {
  const htmlFile = path.join(out, p.replace(/^\//, ''), p.endsWith('.html') ? '' : 'index.html');
  const html = readFileSync(htmlFile, 'utf8');
  const srcs = [...new Set([...html.matchAll(/<script([^>]*)\bsrc="([^"]+\.js)"[^>]*>/g)].filter((m) => !/nomodule/i.test(m[1] + m[0])).map((m) => m[2]))];
  let total = 0;
  const parts = srcs.map((s) => {
    const r = chunkReport(s);
    total += r.gz;
    return r.text;
  });
  console.log(`${p}: ${srcs.length} scripts in the HTML, ${kb(total)} gzipped\n${parts.join('\n')}\n`);
}
if (extra.length) {
  let total = 0;
  const parts = extra.map((c) => {
    const r = chunkReport(c.includes('/') ? c : `_next/static/chunks/${c}`);
    total += r.gz;
    return r.text;
  });
  console.log(`further chunks: ${kb(total)} gzipped\n${parts.join('\n')}`);
}
