// The site's Content-Security-Policy. `next build` writes out/ (a static export); this
// stamps every HTML page in it with a <meta http-equiv="Content-Security-Policy"> whose
// script-src lists the SHA-256 of each inline script on that page (Next's payload
// scripts and the theme script) — no 'unsafe-inline' and no 'unsafe-eval' for scripts:
// lesson MDX is rendered at build time (components/lesson/Mdx.tsx), nothing is eval'd.
// scripts/build.mjs runs this after `next build`; scripts/start.mjs runs it again before
// serving (idempotent) and sends the page's policy as a header too.
//
//   node scripts/csp.mjs [OUT_DIR]     stamp a built site
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Everything but scripts comes from the site itself. Styles allow 'unsafe-inline':
 * Monaco and xterm create <style> elements and the pages carry style="" attributes
 * (style injection cannot run code). Images may be data: URLs (Monaco's CSS
 * icons); workers are the bundled Monaco workers (same origin); no form is ever
 * submitted (the dialogs' method="dialog" forms do not navigate) and no <base> used;
 * nothing may embed plugins.
 */
export const BASE_DIRECTIVES = [
  ["default-src", "'self'"],
  ["style-src", "'self' 'unsafe-inline'"],
  ["img-src", "'self' data:"],
  ["font-src", "'self'"],
  ["connect-src", "'self'"],
  ["worker-src", "'self'"],
  ["object-src", "'none'"],
  ["base-uri", "'none'"],
  ["form-action", "'none'"],
];

const META = /<meta http-equiv="Content-Security-Policy" content="([^"]*)"\/?>/i;
const INLINE_SCRIPT = /<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi;

/** The policy for a page whose inline scripts are `scripts` (their exact text). */
export function policyFor(scripts) {
  const hashes = [...new Set(scripts.map((s) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`))];
  return [["script-src", ["'self'", ...hashes].join(' ')], ...BASE_DIRECTIVES].map(([k, v]) => `${k} ${v}`).join('; ');
}

/** The inline scripts of a page (what the browser would hash). */
export function inlineScripts(html) {
  return [...html.replace(META, '').matchAll(INLINE_SCRIPT)].map((m) => m[1]);
}

/** The page with its policy as the first thing in <head> (after the charset), replacing an older stamp. */
export function stampHtml(html) {
  const policy = policyFor(inlineScripts(html));
  const tag = `<meta http-equiv="Content-Security-Policy" content="${policy}"/>`;
  if (META.test(html)) return html.replace(META, tag);
  const charset = /<meta charSet="utf-8"\/>/i.exec(html);
  if (charset) return html.slice(0, charset.index + charset[0].length) + tag + html.slice(charset.index + charset[0].length);
  const head = /<head[^>]*>/i.exec(html);
  if (!head) throw new Error('no <head> to put the Content-Security-Policy in');
  return html.slice(0, head.index + head[0].length) + tag + html.slice(head.index + head[0].length);
}

/** The policy a stamped page carries, or null. */
export function policyOf(html) {
  return META.exec(html)?.[1] ?? null;
}

/** Stamps every .html file under `outDir`; returns how many pages were changed. */
export function stampSite(outDir) {
  let changed = 0;
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.name.endsWith('.html')) {
        const html = readFileSync(full, 'utf8');
        let next;
        try {
          next = stampHtml(html);
        } catch (err) {
          throw new Error(`${path.relative(process.cwd(), full)}: ${err.message}`);
        }
        if (next !== html) {
          writeFileSync(full, next);
          changed += 1;
        }
      }
    }
  };
  walk(outDir);
  return changed;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const out = path.resolve(process.argv[2] ?? 'out');
  const n = stampSite(out);
  console.log(`csp: ${n} page${n === 1 ? '' : 's'} stamped with a Content-Security-Policy in ${path.relative(process.cwd(), out) || '.'}/`);
}
