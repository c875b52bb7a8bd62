/**
 * Issue 13 item 10, for patterns: random (mostly malformed) patterns through grep, grep -E,
 * sed, awk, `[[ =~ ]]`, `case` and `${v//pat/rep}` never throw out of `run`, end with the
 * tool's own statuses, and — unless they use back-references, the one feature that may
 * backtrack — never come near the line budget, even over lines of 20,000 characters:
 * a new hang shows up as a status 130 here, not as a slow test.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = ['a', 'b', '.', '*', '+', '?', '(', ')', '\\(', '\\)', '|', '\\|', '[', ']', '[^a]', '[[:alpha:]]', '[:space:]', '{', '}', '{1,3}', '\\{2\\}', '^', '$', '\\', '\\<', '\\>', '\\b', '\\w', '\\y', '-', 'z-a', '(a+)+', '(a|aa)*', '.*.*'];
const QUOTE = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

describe('random patterns through the text tools and the shell', () => {
  it('never throw, end with the tools’ statuses, and stay far inside the line budget', () => {
    const r = rng(20260113);
    const sim = createSimulation(null, { seed: 3 });
    const long = 'a'.repeat(20_000);
    sim.fs.write({ kind: 'workstation' }, '/home/learner/in.txt', `abc\n${long}b\nhello world\n${long}\n`);
    sim.run(`v=$(cat in.txt)`);
    const statuses: Record<string, number[]> = { grep: [0, 1, 2], sed: [0, 1], awk: [0, 1, 2], cond: [0, 1, 2], case: [0, 2], param: [0, 1, 2] };
    for (let i = 0; i < 400; i++) {
      const n = 1 + Math.floor(r() * 6);
      const pat = Array.from({ length: n }, () => PIECES[Math.floor(r() * PIECES.length)]).join('');
      const tool = ['grep', 'grep -E', 'sed', 'sed -E', 'awk', 'cond', 'case', 'param'][i % 8];
      const line =
        tool.startsWith('grep') ? `${tool} -c ${QUOTE(pat)} in.txt`
        : tool.startsWith('sed') ? `${tool} -n ${QUOTE(`s/${pat.replace(/\//g, '\\/')}/X/gp`)} in.txt | wc -l`
        : tool === 'awk' ? `awk ${QUOTE(`{ n += gsub(/${pat.replace(/\//g, '\\/')}/, "X") } END { print n + 0 }`)} in.txt`
        : tool === 'cond' ? `re=${QUOTE(pat)}; [[ $v =~ $re ]]`
        : tool === 'case' ? `case $v in ${pat.replace(/[;&|()<> \n]/g, '')}) echo hit;; esac`
        : `y=\${v//${pat.replace(/[}/]/g, '')}/-}; echo \${#y}`;
      let res;
      try {
        res = sim.run(line);
      } catch (e) {
        throw new Error(`run threw on ${JSON.stringify(line)}: ${(e as Error).stack}`);
      }
      const key = tool.split(' ')[0];
      const backref = /\\[1-9]/.test(pat);
      if (!backref) expect(res.stderr, line).not.toContain('netlab: stopped');
      // sed and awk exit 0 in a pipeline whose last command is wc; a bad pattern shows on stderr
      expect(statuses[key], `${line} → ${res.exitCode} ${res.stderr}`).toContain(res.exitCode);
    }
    expect(sim.run('echo ok')).toEqual({ stdout: 'ok\n', stderr: '', exitCode: 0 });
  });
});
