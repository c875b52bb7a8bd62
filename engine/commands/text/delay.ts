/**
 * Waiting, for the commands that wait (`sleep`, `timeout`): how coreutils reads a duration,
 * and a wait the clock can always take.
 */
import type { CommandOutcome, RunResult, Streaming } from '../../types';
import type { CommandContext } from '../../shell/command';
import { LONGEST_JUMP_MS } from '../../cluster/clock';

/**
 * The longest prefix of `s` that C's strtod converts (leading blanks, a sign, a decimal or
 * hexadecimal number with an exponent, `inf`, `infinity`, `nan`, `nan(chars)`), as
 * `{ value, rest, erange }`; null when there is none (strtod's endptr == str). `erange` is
 * glibc's errno ERANGE: a finite number that overflows to ±HUGE_VAL or underflows (to 0 or
 * a subnormal).
 */
export function strtod(s: string): { value: number; rest: string; erange: boolean } | null {
  const m = /^[ \t\n\v\f\r]*([+-]?)(?:(infinity|inf)|(nan(?:\([0-9A-Za-z_]*\))?)|0x((?:[0-9a-f]+\.?[0-9a-f]*|\.[0-9a-f]+)(?:p[+-]?\d+)?)|((?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?))/i.exec(s);
  if (!m) return null;
  const sign = m[1] === '-' ? -1 : 1;
  let value: number;
  if (m[2]) value = Infinity;
  else if (m[3]) value = NaN;
  else if (m[4] !== undefined) {
    const [, mant, exp] = /^([^p]*)(?:p([+-]?\d+))?$/i.exec(m[4])!;
    const [int, frac = ''] = mant.split('.');
    value = (parseInt(int || '0', 16) + (frac ? parseInt(frac, 16) / 16 ** frac.length : 0)) * 2 ** Number(exp ?? 0);
  } else value = Number(m[5]);
  const numeric = !m[2] && !m[3];
  const nonzero = numeric && (m[4] !== undefined ? /[1-9a-f]/i.test(m[4].split(/p/i)[0]) : /[1-9]/.test(m[5].split(/e/i)[0]));
  const erange = numeric && (!Number.isFinite(value) || (nonzero && Math.abs(value) < 2.2250738585072014e-308));
  return { value: sign * value, rest: s.slice(m[0].length), erange };
}

const SUFFIX: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };

/**
 * A duration as coreutils 9 `sleep` and `timeout` read it (src/sleep.c main, src/timeout.c
 * parse_duration): cl_strtod, then `argv == p || !(0 <= s) || (*p && *(p + 1)) ||
 * !apply_suffix (&s, *p)` is "invalid time interval". An overflow (`1e400`) is not an
 * error: dtimespec_bound (8.32–9.4: the `|| errno == ERANGE` clause) keeps it as a huge
 * wait, and `inf` is accepted. Seconds, possibly Infinity; null when invalid.
 */
export function parseDuration(arg: string): number | null {
  const r = strtod(arg);
  if (!r || !(r.value >= 0) || r.rest.length > 1 || !(r.rest in SUFFIX)) return null;
  return r.value * SUFFIX[r.rest];
}

/**
 * Waits `ms` of virtual time, then answers `done()` — unless a `timeout` around the command
 * fires first (ctx.deadline). Up to {@link LONGEST_JUMP_MS} this is
 * one jump of the clock (a learner's `sleep 100000` stalls nothing); a longer wait (up to
 * `inf`) streams one second a step, as the real one blocks, until it elapses or Ctrl+C
 * ends it with 130 and no output (SIGINT's default action; bash reports 128+2).
 */
export function delay(ctx: CommandContext, ms: number, done: () => RunResult): CommandOutcome {
  const dl = ctx.deadline;
  if (dl && ms > 0 && ctx.cluster.clock.now() + ms >= dl.at && dl.at - ctx.cluster.clock.now() <= LONGEST_JUMP_MS) {
    // timeout's signal arrives first: the wait ends there, killed (timeout reports how).
    // A signal further off than one jump (`timeout 100000000d sleep inf`) is not jumped to
    // (the clock would sit at its horizon and the cluster stop for good): the wait streams
    // below, and timeout stops the stream when its limit passes.
    ctx.cluster.advance(Math.max(0, dl.at - ctx.cluster.clock.now()));
    dl.hit = true;
    return { stdout: '', stderr: '', exitCode: 0 };
  }
  if (ms <= LONGEST_JUMP_MS) {
    ctx.cluster.advance(Math.round(ms));
    return done();
  }
  return longWait(ms, done);
}

function longWait(ms: number, done: () => RunResult): Streaming {
  let waited = 0;
  return {
    streaming: true,
    stdout: '',
    stderr: '',
    intervalMs: 1000,
    // the shell moves the clock by intervalMs before each step
    step() {
      waited += 1000;
      if (waited < ms) return {};
      const r = done();
      return { stdout: r.stdout, stderr: r.stderr, done: true, exitCode: r.exitCode };
    },
    interrupt() {
      return { exitCode: 130 };
    },
  };
}
