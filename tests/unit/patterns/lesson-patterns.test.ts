/**
 * Every pattern the lessons' checks use (history.pattern, field.matches) gives the same
 * answer through patterns/js.ts as through JavaScript's RegExp, over every solution command
 * of every lesson and variations of them (so a lesson cannot change meaning when its
 * patterns moved to the linear matcher), and over a 7.6 KB command it answers at once.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { compileJsPattern } from '../../../engine/patterns';

const root = join(__dirname, '../../../lessons');

function collect(x: unknown, patterns: Set<string>, commands: Set<string>): void {
  if (Array.isArray(x)) x.forEach((y) => collect(y, patterns, commands));
  else if (x && typeof x === 'object') {
    const o = x as Record<string, unknown>;
    if (o.history && typeof (o.history as { pattern?: unknown }).pattern === 'string') patterns.add((o.history as { pattern: string }).pattern);
    if (o.field && typeof (o.field as { matches?: unknown }).matches === 'string') patterns.add((o.field as { matches: string }).matches);
    if (Array.isArray(o.commands)) for (const c of o.commands) if (typeof c === 'string') commands.add(c);
    for (const v of Object.values(o)) collect(v, patterns, commands);
  }
}

describe('lesson patterns', () => {
  const patterns = new Set<string>();
  const commands = new Set<string>();
  for (const dir of readdirSync(root)) {
    try {
      collect(parse(readFileSync(join(root, dir, 'tasks.yaml'), 'utf8')), patterns, commands);
    } catch {
      // a lesson without tasks.yaml
    }
  }
  const subjects = [...commands].flatMap((c) => [c, ` ${c}`, `${c} -n`, c.replace(/ /g, '  '), c.toUpperCase(), c.slice(0, Math.ceil(c.length / 2))]);
  it('there are patterns and commands to compare', () => {
    expect(patterns.size).toBeGreaterThan(5);
    expect(commands.size).toBeGreaterThan(10);
  });
  it('agree with JavaScript on every solution command and its variations', () => {
    for (const p of patterns) {
      const linear = compileJsPattern(p);
      const js = new RegExp(p);
      for (const s of subjects) expect(linear.test(s), `${p} on ${JSON.stringify(s)}`).toBe(js.test(s));
    }
  });
  it('answer over a 7.6 KB near-miss command', () => {
    const long = 'kubectl exec client -- sh -c "echo' + ' exec client nslookup web shop iptables -t nat -L'.repeat(150) + '"';
    for (const p of patterns) expect(typeof compileJsPattern(p).test(long)).toBe('boolean');
  });
});
