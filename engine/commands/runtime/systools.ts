/**
 * free, uptime, top and nproc over the machine a host runs on (machine.ts): procps-ng
 * 3.3.17 and coreutils 8.32 on a node (Ubuntu 22.04), busybox 1.36's applets in busybox,
 * Alpine and netshoot containers — which read the host kernel's /proc and sysinfo(2), so a
 * container sees the node's memory, load and uptime.
 *
 *  - free (procps free.c v3.3.17): the header, `%-9s` labels and `%11s` columns; used =
 *    total − free − buffers − cache, cache = Cached + SReclaimable (proc/sysinfo.c meminfo);
 *    -b/-k/-m/-g/--kilo…/--si and -h as scale_size computes them (the human-readable form
 *    truncates to whole KiB before scaling); -w splits buffers and cache; -t adds Total;
 *    -c N repeats N times with a blank line after each. "Multiple unit options doesn't make
 *    sense." for two units; getopt's message and usage(stderr), exit 1, for bad options.
 *  - busybox free (procps/free.c 1_36_1): `%12s` columns in KiB, -b/-k/-m/-g/-h by
 *    make_human_readable_str; cache = Cached + Buffers + SReclaimable.
 *  - uptime (procps uptime.c, proc/whattime.c sprint_uptime): ` HH:MM:SS up …,  N user(s),
 *    load average: a, b, c`; -p the pretty form, -s the boot time. busybox's (procps/uptime.c):
 *    `%u users` always plural, the load truncated from sysinfo's fixed point.
 *  - top -b (procps top/top.c v3.3.17, batch mode): the summary (LOADAV_line, STATE_line_1,
 *    STATE_lin2x7, MEMORY_lines in MiB), then the task window sorted by %CPU: Fieldstab's
 *    widths (PID as wide as pid_max's 7 digits), each column followed by one space, the
 *    COMMAND column as wide as what is left of the screen (80 columns without a terminal:
 *    the "dumb" terminfo), truncated with `+`; PUFF drops each row's trailing blanks. The
 *    %CPU of one short sample is seeded from each program's load. Without -b top is a
 *    full-screen program this terminal does not draw: it says so.
 *  - nproc (coreutils nproc.c / busybox coreutils/nproc.c): the CPUs, --all, --ignore=N.
 */
import type { RunResult } from '../../types';
import type { CommandContext, CommandSpec } from '../../shell/command';
import { hostProfile, isBusyboxApplet } from '../../hosts/hosts';
import { bbUsage } from '../net/host/busybox';
import { unmodelledCommand } from '../net/catalog/unmodelled';
import { load2, loggedIn, machine, machineNode, seeded, type Machine } from './machine';
import { nodeUserName, type NodeProcess } from './processes';

const ok = (stdout: string): RunResult => ({ stdout, stderr: '', exitCode: 0 });
const fail = (stderr: string, exitCode = 1): RunResult => ({ stdout: '', stderr, exitCode });
const pad2 = (n: number) => String(n).padStart(2, '0');

/** Whether the host runs busybox's build of a tool (the applet), and the machine under it. */
function setting(ctx: CommandContext, name: string): { bb: boolean; mc?: Machine } {
  const node = machineNode(ctx.cluster, ctx.host);
  return { bb: isBusyboxApplet(ctx.cluster, ctx.host, name), mc: node ? machine(ctx.cluster, node, ctx.host.kind === 'node' ? [name] : undefined) : undefined };
}

/** getopt's complaint for an unknown option (glibc; musl on Alpine-based busybox). */
function getoptError(name: string, a: string, musl = false): string {
  if (a.startsWith('--')) return musl ? `${name}: unrecognized option: ${a.slice(2).split('=')[0]}\n` : `${name}: unrecognized option '${a}'\n`;
  return musl ? `${name}: unrecognized option: ${a[1]}\n` : `${name}: invalid option -- '${a[1]}'\n`;
}

/** Alpine-based images link busybox against musl, whose getopt words its errors differently. */
const muslHost = (ctx: CommandContext) => ['alpine', 'curl', 'netshoot', 'agnhost', 'nginx-alpine', 'ingress-nginx'].includes(hostProfile(ctx.cluster, ctx.host)?.family ?? '');

// ---------------------------------------------------------------- free

const FREE_USAGE = `
Usage:
 free [options]

Options:
 -b, --bytes         show output in bytes
     --kilo          show output in kilobytes
     --mega          show output in megabytes
     --giga          show output in gigabytes
     --tera          show output in terabytes
     --peta          show output in petabytes
 -k, --kibi          show output in kibibytes
 -m, --mebi          show output in mebibytes
 -g, --gibi          show output in gibibytes
     --tebi          show output in tebibytes
     --pebi          show output in pebibytes
 -h, --human         show human-readable output
     --si            use powers of 1000 not 1024
 -l, --lohi          show detailed low and high memory statistics
 -t, --total         show total for RAM + swap
 -s N, --seconds N   repeat printing every N seconds
 -c N, --count N     repeat printing N times, then exit
 -w, --wide          wide output

     --help     display this help and exit
 -V, --version  output version information and exit

For more details see free(1).
`;

/**
 * printf's %.Nf of a float: glibc rounds the exact binary value to nearest, ties to even
 * (6.25 prints 6.2); toFixed rounds ties up, so exact ties are settled here.
 */
export function cFixed(v: number, digits: number): string {
  const x = Math.fround(v);
  const scaled = x * 10 ** digits;
  const fl = Math.floor(scaled);
  if (scaled - fl === 0.5) return ((fl % 2 === 0 ? fl : fl + 1) / 10 ** digits).toFixed(digits);
  return x.toFixed(digits);
}

const f1 = (v: number) => cFixed(v, 1);

/** free.c scale_size: the value in KiB as the unit options print it. */
function scaleSize(kb: number, exponent: number, human: boolean, si: boolean): string {
  const base = si ? 1000 : 1024;
  if (exponent === 0 && !human) return String(kb);
  if (!human) {
    if (exponent === 1) return String(kb * 1024);
    return String(Math.trunc((kb * 1024) / base ** (exponent - 1)));
  }
  const ups = ['B', 'K', 'M', 'G', 'T', 'P'];
  let out = '';
  for (let i = 1; i <= ups.length; i++) {
    const up = ups[i - 1];
    if (i === 1) {
      out = `${kb * 1024}${up}`;
      if (out.length <= 4) return out;
      continue;
    }
    const v = Math.fround((Math.floor(kb / 1024) * base) / base ** (i - 2));
    if (!si) {
      out = `${f1(v)}${up}i`;
      if (out.length <= 5) return out;
      out = `${Math.trunc(v)}${up}i`;
      if (out.length <= 5) return out;
    } else {
      out = `${f1(v)}${up}`;
      if (out.length <= 4) return out;
      out = `${Math.trunc(v)}${up}`;
      if (out.length <= 4) return out;
    }
  }
  return out;
}

function procpsFree(args: string[], mc: Machine): RunResult {
  let exponent = 0;
  let units = 0;
  let human = false;
  let si = false;
  let wide = false;
  let total = false;
  let lohi = false;
  let count: number | undefined;
  let seconds = false;
  const unit = (e: number, s = false): RunResult | undefined => {
    if (units++) return fail('free: Multiple unit options doesn\'t make sense.\n');
    exponent = e;
    if (s) si = true;
    return undefined;
  };
  const LONG: Record<string, () => RunResult | undefined> = {
    '--bytes': () => unit(1), '--kilo': () => unit(2, true), '--mega': () => unit(3, true), '--giga': () => unit(4, true), '--tera': () => unit(5, true), '--peta': () => unit(6, true),
    '--kibi': () => unit(2), '--mebi': () => unit(3), '--gibi': () => unit(4), '--tebi': () => unit(5), '--pebi': () => unit(6),
    '--human': () => void (human = true), '--si': () => void (si = true), '--lohi': () => void (lohi = true), '--total': () => void (total = true), '--wide': () => void (wide = true),
  };
  const SHORT: Record<string, () => RunResult | undefined> = {
    b: () => unit(1), k: () => unit(2), m: () => unit(3), g: () => unit(4), h: () => void (human = true), l: () => void (lohi = true), t: () => void (total = true), w: () => void (wide = true),
  };
  const countArg = (v: string | undefined): RunResult | undefined => {
    if (v === undefined) return fail(`free: option requires an argument -- 'c'\n${FREE_USAGE}`);
    if (!/^[+-]?\d+$/.test(v.trim())) return fail(`free: failed to parse count argument: '${v}'\n`);
    const n = Number(v);
    if (n < 1) return fail(`free: failed to parse count argument: '${v}': Numerical result out of range\n`);
    count = n;
    return undefined;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    let r: RunResult | undefined;
    if (a === '--help') return ok(FREE_USAGE);
    if (a === '--version' || a === '-V') return ok('free from procps-ng 3.3.17\n');
    if (a.startsWith('--')) {
      const [name, inline] = a.split(/=(.*)/s);
      if (name === '--count') r = countArg(inline ?? args[++i]);
      else if (name === '--seconds') {
        seconds = true;
        if (inline === undefined) i++;
      }
      else if (LONG[name]) r = LONG[name]();
      else return fail(`free: unrecognized option '${a}'\n${FREE_USAGE}`);
    } else if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j];
        if (c === 'c' || c === 's') {
          const v = j + 1 < a.length ? a.slice(j + 1) : args[++i];
          if (c === 'c') r = countArg(v);
          else if (v === undefined) return fail(`free: option requires an argument -- 's'\n${FREE_USAGE}`);
          else seconds = true;
          break;
        }
        if (c === 'V') return ok('free from procps-ng 3.3.17\n');
        if (!SHORT[c]) return fail(`free: invalid option -- '${c}'\n${FREE_USAGE}`);
        r = SHORT[c]();
        if (r) break;
      }
    } else return fail(FREE_USAGE);
    if (r) return r;
  }
  if (seconds && count === undefined) return fail('netlab: free -s without -c repeats until interrupted; this terminal prints a fixed number of frames: add -c N\n');
  const m = mc.mem;
  const cache = m.cached + m.sreclaimable;
  const used = m.total - m.free - cache - m.buffers;
  const s = (v: number) => scaleSize(v, exponent, human, si);
  const col = (v: number) => ` ${s(v).padStart(11)}`;
  let out = wide ? '               total        used        free      shared     buffers       cache   available\n' : '               total        used        free      shared  buff/cache   available\n';
  out += `${'Mem:'.padEnd(9)}${s(m.total).padStart(11)}${col(used)}${col(m.free)}${col(m.shmem)}${wide ? col(m.buffers) + col(cache) : col(m.buffers + cache)}${col(m.available)}\n`;
  if (lohi) {
    out += `${'Low:'.padEnd(9)}${s(m.total).padStart(11)}${col(m.total - m.free)}${col(m.free)}\n`;
    out += `${'High:'.padEnd(9)}${s(0).padStart(11)}${col(0)}${col(0)}\n`;
  }
  out += `${'Swap:'.padEnd(9)}${s(0).padStart(11)}${col(0)}${col(0)}\n`;
  if (total) out += `${'Total:'.padEnd(9)}${s(m.total).padStart(11)}${col(used)}${col(m.free)}\n`;
  if (count === undefined) return ok(out);
  // the count is checked before the blank line that separates repeats: none after the last
  return ok(Array.from({ length: count }, () => out).join('\n'));
}

/** libbb make_human_readable_str(val, block_size, display_unit). */
export function bbHuman(val: number, blockSize: number, displayUnit: number): string {
  if (val === 0) return '0';
  let v = blockSize > 1 ? val * blockSize : val;
  if (displayUnit) return String(Math.floor((v + Math.floor(displayUnit / 2)) / displayUnit));
  const units = ['', 'K', 'M', 'G', 'T', 'P', 'E'];
  let u = 0;
  let frac = 0;
  while (v >= 1024) {
    u++;
    frac = Math.floor((((v % 1024) * 10) + 512) / 1024);
    v = Math.floor(v / 1024);
  }
  if (frac >= 10) {
    v++;
    frac = 0;
  }
  if (blockSize === 0) return `${frac >= 5 ? v + 1 : v}${units[u]}`;
  return u ? `${v}.${frac}${units[u]}` : `${v}`;
}

function busyboxFree(args: string[], mc: Machine, musl: boolean): RunResult {
  let unit = 1024;
  const a = args[0];
  if (a !== undefined && a.startsWith('-')) {
    const c = a[1];
    if (c === 'b') unit = 1;
    else if (c === 'k') unit = 1024;
    else if (c === 'm') unit = 1 << 20;
    else if (c === 'g') unit = 1 << 30;
    else if (c === 'h') unit = 0;
    else return fail(bbUsage('free', '[-bkmgh]', 'Display free and used memory'));
  }
  void musl;
  const m = mc.mem;
  const s = (kb: number) => bbHuman(kb * 1024, 1, unit).padStart(12);
  const cached = m.cached + m.buffers + m.sreclaimable;
  let out = `       ${'total'.padStart(12)}${'used'.padStart(12)}${'free'.padStart(12)}${'shared'.padStart(12)}${'buff/cache'.padStart(12)}${'available'.padStart(12)}\nMem:   `;
  out += `${s(m.total)}${s(m.total - cached - m.free)}${s(m.free)}${s(m.shmem)}${s(cached)}${s(m.available)}\n`;
  out += `Swap:  ${s(0)}${s(0)}${s(0)}\n`;
  return ok(out);
}

// ---------------------------------------------------------------- uptime

const UPTIME_USAGE = `
Usage:
 uptime [options]

Options:
 -p, --pretty   show uptime in pretty format
 -h, --help     display this help and exit
 -s, --since    system up since
 -V, --version  output version information and exit

For more details see uptime(1).
`;

function clock(ms: number): string {
  const d = new Date(ms);
  return `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

function since(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ${clock(ms)}`;
}

/** proc/whattime.c sprint_uptime(0): what uptime and top's first line print after the program's name. */
export function sprintUptime(mc: Machine, users: number): string {
  const secs = Math.floor(mc.uptime);
  const days = Math.floor(secs / 86_400);
  const mins = Math.floor(secs / 60);
  const hours = Math.floor(mins / 60) % 24;
  let s = ` ${clock(mc.now)} up `;
  if (days) s += `${days} day${days !== 1 ? 's' : ''}, `;
  s += hours ? `${String(hours).padStart(2)}:${pad2(mins % 60)}, ` : `${mins % 60} min, `;
  s += `${String(users).padStart(2)} user${users === 1 ? '' : 's'}, `;
  s += ` load average: ${mc.load.map(load2).join(', ')}`;
  return s;
}

/** sprint_uptime(1): `up 2 days, 3 hours, 1 minute`. */
function prettyUptime(mc: Machine): string {
  const t = Math.floor(mc.uptime);
  const parts: string[] = [];
  const add = (n: number, one: string, many: string, force = false) => {
    if (n || force) parts.push(`${n} ${n > 1 || (force && n !== 1) ? many : one}`);
  };
  add(Math.floor(t / (86_400 * 365 * 10)), 'decade', 'decades');
  add(Math.floor(t / (86_400 * 365)) % 10, 'year', 'years');
  add(Math.floor(t / (86_400 * 7)) % 52, 'week', 'weeks');
  add(Math.floor(t / 86_400) % 7, 'day', 'days');
  add(Math.floor(t / 3600) % 24, 'hour', 'hours');
  const minutes = Math.floor(t / 60) % 60;
  if (minutes || t < 60) parts.push(`${minutes} ${minutes !== 1 ? 'minutes' : 'minute'}`);
  return `up ${parts.join(', ')}`;
}

function procpsUptime(args: string[], mc: Machine, users: number): RunResult {
  let pretty = false;
  for (const a of args) {
    if (a === '--pretty') pretty = true;
    else if (a === '--help') return ok(UPTIME_USAGE);
    else if (a === '--since') return ok(since(mc.boot) + '\n');
    else if (a === '--version') return ok('uptime from procps-ng 3.3.17\n');
    else if (a.startsWith('--')) return fail(`uptime: unrecognized option '${a}'\n${UPTIME_USAGE}`);
    else if (a.startsWith('-') && a.length > 1) {
      for (const c of a.slice(1)) {
        if (c === 'p') pretty = true;
        else if (c === 'h') return ok(UPTIME_USAGE);
        else if (c === 's') return ok(since(mc.boot) + '\n');
        else if (c === 'V') return ok('uptime from procps-ng 3.3.17\n');
        else return fail(`uptime: invalid option -- '${c}'\n${UPTIME_USAGE}`);
      }
    } else return fail(UPTIME_USAGE);
  }
  return ok((pretty ? prettyUptime(mc) : sprintUptime(mc, users)) + '\n');
}

function busyboxUptime(args: string[], mc: Machine, users: number, musl: boolean): RunResult {
  let s = false;
  for (const a of args) {
    if (a === '-s') s = true;
    else if (a.startsWith('-') && a.length > 1) return fail(getoptError('uptime', a, musl) + bbUsage('uptime', '', 'Display the time since the last boot'));
  }
  if (s) return ok(since(mc.now - Math.floor(mc.uptime) * 1000) + '\n');
  const secs = Math.floor(mc.uptime);
  const days = Math.floor(secs / 86_400);
  const mins = Math.floor(secs / 60);
  const hours = Math.floor(mins / 60) % 24;
  let out = ` ${clock(mc.now)} up `;
  if (days) out += `${days} day${days !== 1 ? 's' : ''}, `;
  out += hours ? `${String(hours).padStart(2)}:${pad2(mins % 60)}` : `${mins % 60} min`;
  out += `,  ${users} users`;
  // sysinfo's loads are 16.16 fixed point: LOAD_FRAC truncates
  const trunc = (v: number) => (Math.floor(v * 100) / 100).toFixed(2);
  out += `,  load average: ${mc.load.map(trunc).join(', ')}\n`;
  return ok(out);
}

// ---------------------------------------------------------------- top

const TOP_USAGE = 'Usage:\n  top -hv | -bcEeHiOSs1 -d secs -n max -u|U user -p pid(s) -o field -w [cols]\n';

/** scale_mem (top.c): KiB, else m, g… with one decimal, the first that fits the width. */
function scaleMem(kb: number, width: number): string {
  let v = Math.fround(kb);
  const sfx = ['k', 'm', 'g', 't', 'p'];
  for (let i = 0; i < sfx.length; i++) {
    const s = i === 0 ? cFixed(v, 0) : `${cFixed(v, 1)}${sfx[i]}`;
    if (s.length <= width) return s;
    v /= 1024;
  }
  return '?';
}

/** scale_tics: TIME+ as minutes:seconds.hundredths, coarser forms when it does not fit. */
function scaleTics(cpuSeconds: number, width: number): string {
  const nt = Math.floor(cpuSeconds * 100);
  const cc = nt % 100;
  const secs = Math.floor(nt / 100);
  const mins = Math.floor(secs / 60);
  let s = `${mins}:${pad2(secs % 60)}.${pad2(cc)}`;
  if (s.length <= width) return s;
  s = `${mins}:${pad2(secs % 60)}`;
  if (s.length <= width) return s;
  s = `${Math.floor(mins / 60)},${pad2(mins % 60)}`;
  if (s.length <= width) return s;
  return `${Math.floor(mins / 60)}h`;
}

/** scale_pcnt: %#.1f, else the integer. */
function scalePcnt(v: number, width: number): string {
  const s = cFixed(v, 1);
  return s.length <= width ? s : cFixed(v, 0).padStart(width);
}

/** make_str: cut to the width with `+` when it does not fit. */
const makeStr = (s: string, w: number) => (s.length > w ? s.slice(0, Math.max(0, w - 1)) + '+' : s);

/**
 * One short sample's %CPU: a process busy for a fraction of a CPU shows a multiple of one
 * tick over the sample (top -b -n 1 samples for a fraction of a second), seeded per PID.
 */
function samplePcpu(p: NodeProcess, mc: Machine): number {
  // top primes its counters, sleeps LIB_USLEEP (150 ms) and samples again: 16 ticks of 100 Hz per CPU, 6.2% each
  if (p.state === 'R') return 6.25;
  const share = p.cpu / Math.max(1, (mc.now - p.start) / 1000);
  // a busy program's ticks come in bursts: twice its average share, seeded per process
  const ticks = Math.floor(share * 32 + seeded(`${mc.node}/${p.pid}/top`));
  return Math.min(100 * mc.cpus, ticks * 6.25);
}

function shrOf(p: NodeProcess, mc: Machine): number {
  return Math.round((p.rss * (0.35 + 0.4 * seeded(`${mc.node}/${p.pid}/shr`))) / 4) * 4;
}

function procpsTop(args: string[], mc: Machine, users: number, columns: number): RunResult {
  let batch = false;
  let frames: number | undefined;
  let width: number | undefined;
  const pick: number[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    // parse_args walks every character; a leading '-' is skipped, anything else is an option letter
    for (let j = a.startsWith('-') ? 1 : 0; j < a.length; j++) {
      const c = a[j];
      const value = () => (j + 1 < a.length ? a.slice(j + 1) : args[++i]);
      if (c === 'b') batch = true;
      else if (c === 'h' || c === 'v') return ok('  procps-ng 3.3.17\n' + TOP_USAGE);
      else if (c === 'n') {
        const v = value();
        if (v === undefined) return fail('top: -n requires argument\n');
        if (!/^\d+(\.\d*)?$/.test(v) || Number(v) < 1) return fail(`top: bad iterations argument '${v}'\n`);
        frames = Math.trunc(Number(v));
        break;
      } else if (c === 'd') {
        const v = value();
        if (v === undefined) return fail('top: -d requires argument\n');
        if (!/^\d*\.?\d+$/.test(v)) return fail(`top: bad delay interval '${v}'\n`);
        break;
      } else if (c === 'p') {
        const v = value() ?? '';
        for (const x of v.split(',')) {
          if (!/^\d+$/.test(x) || Number(x) < 0) return fail(`top: bad pid '${x}'\n`);
          pick.push(Number(x));
        }
        break;
      } else if (c === 'w') {
        const v = j + 1 < a.length ? a.slice(j + 1) : args[i + 1] && /^\d+$/.test(args[i + 1]) ? args[++i] : undefined;
        width = v === undefined ? 512 : Math.min(512, Number(v));
        if (v !== undefined && (!/^\d+$/.test(v) || Number(v) < 3)) return fail(`top: bad width arg '${v}', must > 2 and < 512\n`);
        break;
      } else if ('cHiSs1Ee'.includes(c)) {
        if (c === 'E' || c === 'e') {
          value();
          break;
        }
      } else return fail(`top: unknown option '${c}'\n${TOP_USAGE}`);
    }
  }
  if (!batch) return fail('netlab: top\'s full-screen display is not simulated here; top -b -n 1 prints one frame\n');
  if (frames === undefined) return fail('netlab: top -b without -n runs until interrupted; this terminal prints a fixed number of frames: add -n 1\n');
  const cols = width ?? columns;
  const procs = pick.length ? mc.procs.filter((p) => pick.includes(p.pid)) : mc.procs;
  let out = '';
  for (let f = 0; f < frames; f++) {
    if (f) out += '\n\n';
    out += frame(mc, procs, users, cols);
  }
  return ok(out + '\n');
}

function frame(mc: Machine, procs: NodeProcess[], users: number, cols: number): string {
  const running = procs.filter((p) => p.state === 'R').length;
  const m = mc.mem;
  const st = (v: number) => cFixed(v, 1).padStart(5);
  const mib = (kb: number) => {
    const s = `${cFixed(kb / 1024, 1)} `;
    return (s.length > 9 ? s.slice(0, 8) + '+' : s).padStart(9);
  };
  const cache = m.cached + m.sreclaimable + m.buffers;
  const used = m.total - m.free - cache;
  let out = `top -${sprintUptime(mc, users)}\n`;
  out += `Tasks: ${String(procs.length).padStart(3)} total, ${String(running).padStart(3)} running, ${String(procs.length - running).padStart(3)} sleeping,   0 stopped,   0 zombie\n`;
  const { us, sy, id } = mc.cpuSplit;
  out += `%Cpu(s):${st(us * 100)} us,${st(sy * 100)} sy,${st(0)} ni,${st(id * 100)} id,${st(0)} wa,${st(0)} hi,${st(0)} si,${st(0)} st\n`;
  out += `MiB Mem : ${mib(m.total)}total, ${mib(m.free)}free, ${mib(used)}used, ${mib(cache)}buff/cache\n`;
  out += `MiB Swap: ${mib(0)}total, ${mib(0)}free, ${mib(0)}used. ${mib(m.available)}avail Mem \n`;
  // the columns: Fieldstab widths, one pad after each; COMMAND gets what the screen has left
  const fixed: [string, number, boolean][] = [['PID', 7, true], ['USER', 8, false], ['PR', 3, true], ['NI', 3, true], ['VIRT', 7, true], ['RES', 6, true], ['SHR', 6, true], ['S', 1, true], ['%CPU', 5, true], ['%MEM', 5, true], ['TIME+', 9, true]];
  const shown: [string, number, boolean][] = [];
  let used0 = 0;
  for (const f of fixed) {
    if (used0 + f[1] + 1 > cols) break;
    shown.push(f);
    used0 += f[1] + 1;
  }
  const cmdFits = used0 + 8 <= cols;
  const cmdWidth = cmdFits ? 7 + (cols - used0 - 8) : 0;
  const cell = (s: string, w: number, right: boolean) => (right ? s.padStart(w) : s.padEnd(w)) + ' ';
  const trim = (s: string) => s.replace(/ +$/, '');
  let header = shown.map(([h, w, r]) => cell(h, w, r)).join('');
  if (cmdFits) header += cell('COMMAND', cmdWidth, false);
  out += '\n' + trim(header);
  const rows = procs.map((p) => ({ p, pcpu: samplePcpu(p, mc) })).sort((a, b) => b.pcpu - a.pcpu || a.p.pid - b.p.pid);
  for (const { p, pcpu } of rows) {
    const values: Record<string, string> = {
      PID: String(p.pid), USER: makeStr(nodeUserName(p.uid) ?? String(p.uid), 8), PR: String(20 + (p.nice ?? 0)), NI: String(p.nice ?? 0), VIRT: scaleMem(p.vsz, 7), RES: scaleMem(p.rss, 6),
      SHR: scaleMem(shrOf(p, mc), 6), S: p.state, '%CPU': scalePcnt(pcpu, 5), '%MEM': scalePcnt((p.rss * 100) / m.total, 5), 'TIME+': scaleTics(p.cpu, 9),
    };
    let row = shown.map(([h, w, r]) => cell(values[h], w, r)).join('');
    if (cmdFits) row += cell(makeStr(p.comm, cmdWidth), cmdWidth, false);
    out += '\n' + trim(row);
  }
  return out;
}

// ---------------------------------------------------------------- nproc

function nproc(args: string[], cpus: number, bb: boolean, musl: boolean): RunResult {
  let ignore = 0;
  const TRY = "Try 'nproc --help' for more information.\n";
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--all') continue;
    const m = /^--ignore(?:=(.*))?$/s.exec(a);
    if (m) {
      const v = m[1] ?? args[++i];
      if (v === undefined) return fail(bb ? getoptError('nproc', a, musl) + bbUsage('nproc', '[--all] [--ignore=N]', 'Print number of available CPUs\n\n\t--all\t\tNumber of installed CPUs\n\t--ignore=N\tExclude N CPUs') : `nproc: option '--ignore' requires an argument\n${TRY}`);
      if (!/^\d+$/.test(v)) return fail(bb ? `nproc: invalid number '${v}'\n` : `nproc: invalid number: '${v}'\n`);
      ignore = Number(v);
      continue;
    }
    if (!bb && a === '--help') return ok('Usage: nproc [OPTION]...\nPrint the number of processing units available to the current process,\nwhich may be less than the number of online processors\n\n      --all      print the number of installed processors\n      --ignore=N  if possible, exclude N processing units\n      --help     display this help and exit\n      --version  output version information and exit\n\nGNU coreutils online help: <https://www.gnu.org/software/coreutils/>\nFull documentation <https://www.gnu.org/software/coreutils/nproc>\nor available locally via: info \'(coreutils) nproc invocation\'\n');
    if (a.startsWith('-') && a.length > 1) {
      if (bb) return fail(getoptError('nproc', a, musl) + bbUsage('nproc', '[--all] [--ignore=N]', 'Print number of available CPUs\n\n\t--all\t\tNumber of installed CPUs\n\t--ignore=N\tExclude N CPUs'));
      return fail((a.startsWith('--') ? `nproc: unrecognized option '${a}'\n` : `nproc: invalid option -- '${a[1]}'\n`) + TRY);
    }
    if (!bb) return fail(`nproc: extra operand ‘${a}’\n${TRY}`);
  }
  return ok(`${Math.max(1, cpus - ignore)}\n`);
}

// ---------------------------------------------------------------- the commands

function tool(name: string, summary: string, run: (args: string[], ctx: CommandContext, mc: Machine, bb: boolean) => RunResult): CommandSpec {
  const other = unmodelledCommand(name);
  return {
    name,
    summary,
    run: (args, ctx) => {
      const { bb, mc } = setting(ctx, name);
      if (!mc) return other.run(args, ctx) as RunResult;
      return run(args, ctx, mc, bb);
    },
  };
}

export const freeCommand = tool('free', 'display the amount of free and used memory', (args, ctx, mc, bb) => (bb ? busyboxFree(args, mc, muslHost(ctx)) : procpsFree(args, mc)));
export const uptimeCommand = tool('uptime', 'tell how long the system has been running', (args, ctx, mc, bb) =>
  bb ? busyboxUptime(args, mc, loggedIn(ctx.host), muslHost(ctx)) : procpsUptime(args, mc, loggedIn(ctx.host)),
);
export const topCommand = tool('top', 'display processes (batch mode: top -b -n 1)', (args, ctx, mc, bb) => {
  if (bb || ctx.host.kind !== 'node') return unmodelledCommand('top').run(args, ctx) as RunResult;
  return procpsTop(args, mc, loggedIn(ctx.host), ctx.interactive ? ctx.shell.columns : 80);
});
export const nprocCommand = tool('nproc', 'print the number of processing units available', (args, ctx, mc, bb) => nproc(args, mc.cpus, bb, muslHost(ctx)));
