/**
 * The Content-Security-Policy stamp (scripts/csp.mjs): each page's inline scripts are
 * allowed by their SHA-256 and nothing else inline; the meta tag goes right after the
 * charset; stamping again changes nothing; a changed page gets a new policy.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BASE_DIRECTIVES, inlineScripts, policyFor, policyOf, stampHtml } from '../../../scripts/csp.mjs';

const sha = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;
const page = (body: string) => `<!DOCTYPE html><html><head><meta charSet="utf-8"/><script src="/_next/static/a.js" async=""></script><script>theme()</script></head><body>${body}<script>self.__next_f.push([1,"é"])</script></body></html>`;

describe('scripts/csp.mjs', () => {
  it('allows exactly the page’s inline scripts by hash, and no eval', () => {
    const html = page('<p>hi</p>');
    expect(inlineScripts(html)).toEqual(['theme()', 'self.__next_f.push([1,"é"])']);
    const policy = policyFor(inlineScripts(html));
    expect(policy).toBe(
      `script-src 'self' ${sha('theme()')} ${sha('self.__next_f.push([1,"é"])')}; ` + BASE_DIRECTIVES.map(([k, v]) => `${k} ${v}`).join('; '),
    );
    expect(policy).not.toMatch(/unsafe-eval/);
    expect(policy.split('; ')[0]).not.toMatch(/unsafe-inline/);
    expect(policy).toContain("object-src 'none'; base-uri 'none'");
  });

  it('puts the meta tag right after the charset, and stamping twice changes nothing', () => {
    const once = stampHtml(page(''));
    expect(once.startsWith(`<!DOCTYPE html><html><head><meta charSet="utf-8"/><meta http-equiv="Content-Security-Policy" content="script-src 'self' ${sha('theme()')} `)).toBe(true);
    expect(stampHtml(once)).toBe(once);
    expect(policyOf(once)).toBe(policyFor(['theme()', 'self.__next_f.push([1,"é"])']));
  });

  it('restamps a page whose scripts changed', () => {
    const stale = stampHtml(page(''));
    const changed = stale.replace('theme()', 'theme(1)');
    expect(policyOf(stampHtml(changed))).toContain(sha('theme(1)'));
    expect(policyOf(stampHtml(changed))).not.toContain(sha('theme()'));
  });
});
