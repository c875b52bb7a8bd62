/**
 * wc counts in one pass (engine/commands/text/wc.ts): the counts equal the definitions
 * (coreutils src/wc.c: newlines, whitespace-separated words, characters, UTF-8 bytes,
 * the longest line, tabs stopping at multiples of 8) on mixed input, and a 10 MB input is counted.
 */
import { expect, it } from 'vitest';
import { createSimulation } from '../../../engine';

function reference(t: string): string {
  const l = (t.match(/\n/g) ?? []).length;
  const w = t.split(/\s+/).filter(Boolean).length;
  const m = [...t].length;
  const c = new TextEncoder().encode(t).length;
  return [l, w, m, c].map((n) => String(n).padStart(7)).join(' ') + '\n';
}

it('wc -lwmc agrees with the definitions (and -L stops tabs at multiples of 8) on ASCII, tabs, Latin-1, CJK and emoji', () => {
  const sim = createSimulation('', { seed: 1 });
  const text = '-A KUBE-SVC-X\t-m comment  --comment "ns/a:http"\n\u00a0é 日本語 🙂x\u3000y\n\n  tail without newline';
  sim.run(`printf '%s' '${text}' > /tmp/t`);
  expect(sim.run('wc -lwmc < /tmp/t').stdout).toBe(reference(text));
  expect(sim.run('wc -L < /tmp/t').stdout).toBe('49\n');
});

it('wc -l over 10 MB of lines counts every one', () => {
  const sim = createSimulation('', { seed: 1 });
  const r = sim.run("seq 1 900000 | sed 's/$/ -A KUBE-SEP/' | wc -l -c");
  expect(r.exitCode).toBe(0);
  // 900,000 lines; the digits of 1..900000 (5,288,895) plus 13 bytes each (with the newline)
  expect(r.stdout).toBe(' 900000 16988895\n');
});
