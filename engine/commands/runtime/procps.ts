/**
 * procps-ng 3.3.17 (Ubuntu 22.04's procps) on a node: `ps`, `pgrep`, `pidof` over the
 * node's process table (processes.ts).
 *
 * ps (ps/output.c, sortformat.c, parser.c, display.c at v3.3.17): -L/-T one row per thread
 * (LWP/SPID, NLWP; the threads' IDs and CPU shares derived in tasks()), the format lists as
 * sortformat.c builds them — `ps` alone `pid,tname,time,ucmd`, -f
 * `uid_hack,pid,ppid,c,stime,tname,time,cmd`, -F adds sz,rss,psr, BSD u (`aux`) OL_u
 * `user,pid,pcpu,pmem,vsz,rss,tname,stat,start_time,bsdtime,args`, other BSD selections
 * DefBSD `pid,tname,stat,bsdtime,args` — and the columns of format_array (width, header,
 * justification; PID-like columns as wide as pid_max's digits, 7 for 4194304). Rows are laid
 * out by show_one_proc's correct/actual arithmetic (a value wider than its column pushes
 * the next one right), the last column cut at the terminal's width when the output is a
 * terminal and whole otherwise. --forest and BSD f draw show_tree's ` \_ ` prefixes, PID 1's
 * children at the top level (ADOPTED). Errors: `error: …` then do_help's usage, exit 1.
 *
 * pgrep (pgrep.c): an extended regex over the 15-character task name, or the whole command
 * line with -f; -l adds the name, -a the command line; -x, -c, -n, -o, -u, -P, -d; itself
 * never listed; exit 0, 1 when nothing matched, 2 on a usage error. pidof (pidof.c): the
 * program by argv[0], its basename, or the task name of a process that rewrote its title;
 * the PIDs highest first, exit 1 when none.
 */
import type { RunResult } from '../../types';
import type { CommandContext } from '../../shell/command';
import type { ClusterRuntime } from '../../controllers/runtime';
import { Regex, parsePosix, RegexSyntaxError } from '../../patterns';
import { sha1 } from '../../cluster/hash';
import { nodeProcesses, nodeUid, nodeUserName, type NodeProcess } from './processes';

/** /proc/sys/kernel/pid_max on a 64-bit Ubuntu 22.04 kernel: PID columns are 7 wide. */
const PID_MAX_DIGITS = 7;
/** ps's OUTBUF_SIZE: no terminal, no width limit in practice. */
const UNLIMITED = 128 * 1024;
const HERTZ = 100;

interface Env {
  now: number;
  memTotal: number;
  cpus: number;
  node: string;
  byPid: Map<number, NodeProcess>;
  /** ps -f shows the command line in comm columns (unix_f_option). */
  fullComm: boolean;
  /** BSD c: args columns show the task name. */
  bsdC: boolean;
  /** The forest prefix of the row being printed. */
  prefix: string;
}

type Just = 'right' | 'left' | 'user' | 'unlimited';
interface Spec {
  head: string;
  width: number;
  just: Just;
  pidmax?: boolean;
  pr: (p: NodeProcess, e: Env, room: number) => string;
}

const pad2 = (n: number) => String(n).padStart(2, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** ctime(3) in UTC: `Wed Jun 30 21:49:08 1993`. */
function ctime(ms: number): string {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

/** The process's start, whole seconds as the kernel's jiffies give it. */
const startSec = (p: NodeProcess) => Math.floor(p.start / 1000);
const etime = (p: NodeProcess, e: Env) => Math.max(0, Math.floor(e.now / 1000) - startSec(p));
const jiffies = (p: NodeProcess) => Math.floor(p.cpu * HERTZ);

function pgrpOf(p: NodeProcess, e: Env): number {
  if (p.kernel) return 0;
  let cur: NodeProcess | undefined = p;
  for (let i = 0; cur && i < 64; i++) {
    if (cur.sessionLeader || cur.state === 'R') return cur.pid;
    cur = e.byPid.get(cur.ppid);
  }
  return p.pid;
}

function sidOf(p: NodeProcess, e: Env): number {
  if (p.kernel) return 0;
  let cur: NodeProcess | undefined = p;
  for (let i = 0; cur && i < 64; i++) {
    if (cur.sessionLeader) return cur.pid;
    cur = e.byPid.get(cur.ppid);
  }
  return p.pid;
}

/** do_pr_name: the name if it fits the column, else cut with `+`; a uid without a name prints as its number. */
function userName(uid: number, room: number): string {
  const name = nodeUserName(uid) ?? String(uid);
  return name.length <= room ? name : name.slice(0, Math.max(0, room - 1)) + '+';
}

/** pr_stime: `%H:%M` today, `%b%d` this year, `%Y` before. */
function stime(p: NodeProcess, e: Env): string {
  const d = new Date(p.start);
  const n = new Date(e.now);
  const yday = (x: Date) => Math.floor((Date.UTC(x.getUTCFullYear(), x.getUTCMonth(), x.getUTCDate()) - Date.UTC(x.getUTCFullYear(), 0, 1)) / 86_400_000);
  if (d.getUTCFullYear() !== n.getUTCFullYear()) return String(d.getUTCFullYear());
  if (yday(d) !== yday(n)) return `${MONTHS[d.getUTCMonth()]}${pad2(d.getUTCDate())}`;
  return `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
}

function dhms(t: number, withHours: boolean): string {
  const ss = t % 60;
  t = Math.floor(t / 60);
  const mm = t % 60;
  t = Math.floor(t / 60);
  const hh = t % 24;
  const dd = Math.floor(t / 24);
  return (dd ? `${dd}-` : '') + (withHours || dd || hh ? `${pad2(hh)}:` : '') + `${pad2(mm)}:${pad2(ss)}`;
}

function stat(p: NodeProcess): string {
  let s: string = p.state;
  if ((p.nice ?? 0) < 0) s += '<';
  else if ((p.nice ?? 0) > 0) s += 'N';
  if (p.sessionLeader) s += 's';
  if (p.threads > 1) s += 'l';
  if (p.foreground) s += '+';
  return s;
}

/** The command line as ps shows it (escape_str: arguments joined by spaces), after the forest prefix, cut to the room left. */
function cmdline(p: NodeProcess, e: Env, room: number, full: boolean): string {
  // a process without a command line (a kernel thread) shows its name in brackets
  const text = e.prefix + (full ? (p.argv.length ? p.argv.join(' ') : `[${p.comm}]`) : p.comm);
  return text.slice(0, Math.max(0, room));
}

const num = (v: number) => String(v);

/** A row of ps: a process, or with -L/-T one of its threads (pr_tasks prints its TID; a process's is its PID). */
type Task = NodeProcess & { tid?: number };
const tidOf = (p: NodeProcess) => (p as Task).tid ?? p.pid;

/**
 * The node's threads (/proc/PID/task): a process's main thread has its PID, each further
 * thread the next ID the kernel's PID allocator had free after it, skipping the numbers other
 * processes and threads hold (the table numbers processes only; threads fill the gaps after
 * their process, as a daemon's threads are spawned just after it starts). Each thread carries
 * its process's name (no program here names its threads) and a share of its CPU time.
 */
function tasks(all: NodeProcess[]): Map<number, Task[]> {
  const taken = new Set(all.map((p) => p.pid));
  const out = new Map<number, Task[]>();
  for (const p of [...all].sort((a, b) => a.pid - b.pid)) {
    const tids = [p.pid];
    let next = p.pid + 1;
    for (let k = 1; k < p.threads; k++) {
      while (taken.has(next)) next++;
      taken.add(next);
      tids.push(next);
    }
    // the process's CPU time shared among its threads by a stable weight each (1–16)
    const weights = tids.map((t) => 1 + (parseInt(sha1(`${p.pid}/${t}/cpu`).slice(0, 2), 16) % 16));
    const sum = weights.reduce((x, y) => x + y, 0);
    out.set(p.pid, tids.map((tid, i) => ({ ...p, tid, cpu: (p.cpu * weights[i]) / sum })));
  }
  return out;
}

/** format_array (output.c): the columns this simulation has values for. */
const FORMATS: Record<string, Spec> = {
  '%cpu': { head: '%CPU', width: 4, just: 'right', pr: (p, e) => pcpu(p, e) },
  '%mem': { head: '%MEM', width: 4, just: 'right', pr: (p, e) => pmem(p, e) },
  args: { head: 'COMMAND', width: 27, just: 'unlimited', pr: (p, e, r) => cmdline(p, e, r, !e.bsdC) },
  bsdtime: { head: 'TIME', width: 6, just: 'right', pr: (p) => { const u = Math.floor(jiffies(p) / HERTZ); return `${String(Math.floor(u / 60)).padStart(3)}:${pad2(u % 60)}`; } },
  c: { head: 'C', width: 2, just: 'right', pr: (p, e) => { const s = etime(p, e); return String(s ? Math.min(99, Math.floor((jiffies(p) * 100) / HERTZ / s)) : 0).padStart(2); } },
  cmd: { head: 'CMD', width: 27, just: 'unlimited', pr: (p, e, r) => cmdline(p, e, r, !e.bsdC) },
  comm: { head: 'COMMAND', width: 15, just: 'unlimited', pr: (p, e, r) => cmdline(p, e, r, e.fullComm) },
  command: { head: 'COMMAND', width: 27, just: 'unlimited', pr: (p, e, r) => cmdline(p, e, r, !e.bsdC) },
  cputime: { head: 'TIME', width: 8, just: 'right', pr: (p) => dhms(Math.floor(jiffies(p) / HERTZ), true) },
  egid: { head: 'EGID', width: 5, just: 'right', pr: (p) => num(p.uid === 0 ? 0 : p.uid) },
  etime: { head: 'ELAPSED', width: 11, just: 'right', pr: (p, e) => dhms(etime(p, e), false) },
  etimes: { head: 'ELAPSED', width: 7, just: 'right', pr: (p, e) => num(etime(p, e)) },
  euid: { head: 'EUID', width: 5, just: 'right', pr: (p) => num(p.uid) },
  euser: { head: 'EUSER', width: 8, just: 'user', pr: (p, _e, r) => userName(p.uid, r) },
  lstart: { head: 'STARTED', width: 24, just: 'right', pr: (p) => ctime(p.start) },
  ni: { head: 'NI', width: 3, just: 'right', pr: (p) => num(p.nice ?? 0) },
  nice: { head: 'NI', width: 3, just: 'right', pr: (p) => num(p.nice ?? 0) },
  lwp: { head: 'LWP', width: 5, just: 'right', pidmax: true, pr: (p) => num(tidOf(p)) },
  nlwp: { head: 'NLWP', width: 4, just: 'right', pr: (p) => num(p.threads) },
  pcpu: { head: '%CPU', width: 4, just: 'right', pr: (p, e) => pcpu(p, e) },
  pgid: { head: 'PGID', width: 5, just: 'right', pidmax: true, pr: (p, e) => num(pgrpOf(p, e)) },
  pgrp: { head: 'PGRP', width: 5, just: 'right', pidmax: true, pr: (p, e) => num(pgrpOf(p, e)) },
  pid: { head: 'PID', width: 5, just: 'right', pidmax: true, pr: (p) => num(p.pid) },
  pmem: { head: '%MEM', width: 4, just: 'right', pr: (p, e) => pmem(p, e) },
  ppid: { head: 'PPID', width: 5, just: 'right', pidmax: true, pr: (p) => num(p.ppid) },
  psr: { head: 'PSR', width: 3, just: 'right', pr: (p, e) => num(parseInt(sha1(`${e.node}/${p.pid}/cpu`).slice(0, 2), 16) % e.cpus) },
  rss: { head: 'RSS', width: 5, just: 'right', pr: (p) => num(p.rss) },
  rssize: { head: 'RSS', width: 5, just: 'right', pr: (p) => num(p.rss) },
  rsz: { head: 'RSZ', width: 5, just: 'right', pr: (p) => num(p.rss) },
  ruid: { head: 'RUID', width: 5, just: 'right', pr: (p) => num(p.uid) },
  ruser: { head: 'RUSER', width: 8, just: 'user', pr: (p, _e, r) => userName(p.uid, r) },
  s: { head: 'S', width: 1, just: 'left', pr: (p) => p.state },
  sess: { head: 'SESS', width: 5, just: 'right', pidmax: true, pr: (p, e) => num(sidOf(p, e)) },
  session: { head: 'SESS', width: 5, just: 'right', pidmax: true, pr: (p, e) => num(sidOf(p, e)) },
  sid: { head: 'SID', width: 5, just: 'right', pidmax: true, pr: (p, e) => num(sidOf(p, e)) },
  start: { head: 'STARTED', width: 8, just: 'right', pr: (p, e) => pstart(p, e) },
  start_time: { head: 'START', width: 5, just: 'right', pr: (p, e) => stime(p, e) },
  stat: { head: 'STAT', width: 4, just: 'left', pr: (p) => stat(p) },
  state: { head: 'S', width: 1, just: 'left', pr: (p) => p.state },
  stime: { head: 'STIME', width: 5, just: 'right', pr: (p, e) => stime(p, e) },
  spid: { head: 'SPID', width: 5, just: 'right', pidmax: true, pr: (p) => num(tidOf(p)) },
  sz: { head: 'SZ', width: 5, just: 'right', pr: (p) => num(Math.floor(p.vsz / 4)) },
  thcount: { head: 'THCNT', width: 5, just: 'right', pr: (p) => num(p.threads) },
  tid: { head: 'TID', width: 5, just: 'right', pidmax: true, pr: (p) => num(tidOf(p)) },
  time: { head: 'TIME', width: 8, just: 'right', pr: (p) => dhms(Math.floor(jiffies(p) / HERTZ), true) },
  times: { head: 'TIME', width: 8, just: 'right', pr: (p) => num(Math.floor(jiffies(p) / HERTZ)) },
  tname: { head: 'TTY', width: 8, just: 'left', pr: (p) => p.tty ?? '?' },
  tt: { head: 'TT', width: 8, just: 'left', pr: (p) => p.tty ?? '?' },
  tty: { head: 'TT', width: 8, just: 'left', pr: (p) => p.tty ?? '?' },
  ucmd: { head: 'CMD', width: 15, just: 'unlimited', pr: (p, e, r) => cmdline(p, e, r, e.fullComm) },
  ucomm: { head: 'COMMAND', width: 15, just: 'unlimited', pr: (p, e, r) => cmdline(p, e, r, e.fullComm) },
  uid: { head: 'UID', width: 5, just: 'right', pr: (p) => num(p.uid) },
  uid_hack: { head: 'UID', width: 8, just: 'user', pr: (p, _e, r) => userName(p.uid, r) },
  uname: { head: 'USER', width: 8, just: 'user', pr: (p, _e, r) => userName(p.uid, r) },
  user: { head: 'USER', width: 8, just: 'user', pr: (p, _e, r) => userName(p.uid, r) },
  vsize: { head: 'VSZ', width: 6, just: 'right', pr: (p) => num(p.vsz) },
  vsz: { head: 'VSZ', width: 6, just: 'right', pr: (p) => num(p.vsz) },
};

function pcpu(p: NodeProcess, e: Env): string {
  const s = etime(p, e);
  const v = s ? Math.floor((jiffies(p) * 1000) / HERTZ / s) : 0;
  return v > 999 ? String(Math.floor(v / 10)) : `${Math.floor(v / 10)}.${v % 10}`;
}

function pmem(p: NodeProcess, e: Env): string {
  const v = Math.min(999, Math.floor((p.rss * 1000) / e.memTotal));
  return `${String(Math.floor(v / 10)).padStart(2)}.${v % 10}`;
}

/** pr_start: the time of day within the last 24 hours, else `  Mon DD`. */
function pstart(p: NodeProcess, e: Env): string {
  const s = ctime(p.start).replace(/^(\w{3} \w{3}) /, '$1 ').split('');
  if (s[8] === ' ') s[8] = '0';
  const str = s.join('');
  if (Math.floor(p.start / 1000) + 86_400 > Math.floor(e.now / 1000)) return str.slice(11, 19);
  return `  ${str.slice(4, 10)}`;
}

interface Column {
  spec: Spec;
  head: string;
  width: number;
}

/** sortformat.c parse_list/do_one_spec: `name[=HEADER]`, the header running to the end of the list. */
function parseFormat(list: string): Column[] | string {
  const out: Column[] = [];
  const parts = list.replace(/\s+/g, ',').split(',');
  for (let i = 0; i < parts.length; i++) {
    let item = parts[i];
    if (item === '') {
      if (i === parts.length - 1 && i > 0) continue;
      return 'improper format list';
    }
    let head: string | undefined;
    const eq = item.indexOf('=');
    if (eq >= 0) {
      head = [item.slice(eq + 1), ...parts.slice(i + 1)].join(',');
      item = item.slice(0, eq);
    }
    let width: number | undefined;
    const colon = item.indexOf(':');
    if (colon >= 0) {
      width = Number(item.slice(colon + 1));
      item = item.slice(0, colon);
      if (!Number.isInteger(width) || width < 1) return 'improper format list';
    }
    const spec = FORMATS[item];
    if (!spec) return `unknown user-defined format specifier "${item}"`;
    let w = spec.pidmax ? Math.max(PID_MAX_DIGITS, spec.head.length) : spec.width;
    if (width !== undefined) w = width;
    if (head !== undefined) w = Math.max(w, head.length);
    out.push({ spec, head: head ?? spec.head, width: w });
    if (head !== undefined) break;
  }
  return out;
}

const SPACE_AMOUNT = 144;

/** show_one_proc (output.c): every column placed where it should start, or right after the previous one if that ran over. */
function renderRow(cols: Column[], cells: ((room: number) => string) | null, p: NodeProcess | null, e: Env, activeCols: number): string {
  let correct = 0;
  let actual = 0;
  let dospace = 0;
  let line = '';
  for (let i = 0; i < cols.length; i++) {
    const f = cols[i];
    const last = i === cols.length - 1;
    let room: number;
    let tmpspace = 0;
    if (!last) room = f.width;
    else {
      tmpspace = correct - actual;
      if (tmpspace < 1) {
        tmpspace = dospace;
        room = activeCols - actual - tmpspace;
      } else room = activeCols - Math.max(correct, actual);
    }
    room = Math.max(0, Math.min(UNLIMITED - 1, room));
    let text = p ? f.spec.pr(p, e, room) : f.head;
    void cells;
    if (p && f.spec.just === 'unlimited' && activeCols - actual - tmpspace < 1) text = text.slice(0, 1);
    const leftpad = f.spec.just === 'right' ? Math.max(0, f.width - text.length) : 0;
    let space = correct - actual + leftpad;
    if (space < 1) space = dospace;
    if (space > SPACE_AMOUNT) space = SPACE_AMOUNT;
    line += ' '.repeat(space) + text;
    if (last) break;
    actual += space + text.length;
    correct += f.width + 1;
    dospace = 1;
  }
  return line + '\n';
}

const USAGE = "\nUsage:\n ps [options]\n\n Try 'ps --help <simple|list|output|threads|misc|all>'\n  or 'ps --help <s|l|o|t|m|a>'\n for additional help text.\n\nFor more details see ps(1).\n";

const psError = (msg: string): RunResult => ({ stdout: '', stderr: `error: ${msg}\n${USAGE}`, exitCode: 1 });

interface PsOpts {
  all: boolean;
  bsdA: boolean;
  bsdX: boolean;
  unixA: boolean;
  unixD: boolean;
  bsd: boolean;
  f: boolean;
  F: boolean;
  u: boolean;
  forest: boolean;
  bsdC: boolean;
  headers: boolean;
  width?: number;
  formats: string[];
  pids: number[];
  ppids: number[];
  commands: string[];
  users: string[];
  /** --sort lists (procps takes one). */
  sorts: string[];
  /** -L (TF_U_L: LWP and NLWP columns) or -T (TF_U_T: SPID): one row per thread. */
  threadsL: boolean;
  threadsT: boolean;
}

interface SortKey {
  name: string;
  reverse: boolean;
}

/** sortformat.c long_sort_parse / do_one_sort_spec: `[+|-]name` items, blank- or comma-separated, one trailing separator allowed. */
function parseSort(list: string): SortKey[] | string {
  const seps = ' ,\t\n';
  if (list === '' || seps.includes(list[0])) return 'improper sort list';
  for (let i = 1; i < list.length; i++) if (seps.includes(list[i]) && seps.includes(list[i - 1])) return 'improper sort list';
  const items = list.split(/[ ,\t\n]/).filter((x, i, a) => !(i === a.length - 1 && x === ''));
  if (!items.length) return 'empty sort list';
  const out: SortKey[] = [];
  for (const item of items) {
    const reverse = item.startsWith('-');
    const name = item.replace(/^[-+]/, '');
    if (!FORMATS[name]) return 'unknown sort specifier';
    out.push({ name, reverse });
  }
  return out;
}

/** What output.c's sr_* functions compare for a column: a number where the column is one, else its text. */
function sortValue(name: string, p: NodeProcess, e: Env): number | string {
  switch (name) {
    case '%mem': case 'pmem': case 'rss': case 'rssize': case 'rsz': return p.rss;
    case 'vsz': case 'vsize': return p.vsz;
    case 'sz': return Math.floor(p.vsz / 4);
    case '%cpu': case 'pcpu': case 'c': { const t = etime(p, e); return t ? (jiffies(p) * 1000) / HERTZ / t : 0; }
    case 'time': case 'cputime': case 'bsdtime': case 'times': return jiffies(p);
    case 'start_time': case 'stime': case 'start': case 'lstart': return p.start;
    case 'etime': case 'etimes': return etime(p, e);
    case 'pid': return p.pid;
    case 'ppid': return p.ppid;
    case 'pgid': case 'pgrp': return pgrpOf(p, e);
    case 'sess': case 'session': case 'sid': return sidOf(p, e);
    case 'nlwp': case 'thcount': return p.threads;
    case 'lwp': case 'spid': case 'tid': return tidOf(p);
    case 'uid': case 'euid': case 'ruid': case 'egid': return p.uid;
    case 'ni': case 'nice': return p.nice ?? 0;
    case 'user': case 'uname': case 'euser': case 'ruser': case 'uid_hack': return nodeUserName(p.uid) ?? String(p.uid);
    default: {
      const saved = e.prefix;
      e.prefix = '';
      const v = FORMATS[name].pr(p, e, UNLIMITED);
      e.prefix = saved;
      return v;
    }
  }
}

/** display.c's qsort over the sort list (glibc's merge sort keeps equal rows in PID order). */
function sortProcs(procs: NodeProcess[], keys: SortKey[], e: Env): NodeProcess[] {
  const cmp = (a: number | string, b: number | string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...procs].sort((x, y) => {
    for (const k of keys) {
      const c = cmp(sortValue(k.name, x, e), sortValue(k.name, y, e));
      if (c) return k.reverse ? -c : c;
    }
    return 0;
  });
}

function parsePsArgs(args: string[]): PsOpts | RunResult {
  const o: PsOpts = { all: false, bsdA: false, bsdX: false, unixA: false, unixD: false, bsd: false, f: false, F: false, u: false, forest: false, bsdC: false, headers: true, formats: [], pids: [], ppids: [], commands: [], users: [], sorts: [], threadsL: false, threadsT: false };
  const list = (v: string) => v.split(/[,\s]+/).filter(Boolean);
  const pidList = (v: string, into: number[]): string | undefined => {
    for (const x of list(v)) {
      if (!/^\d+$/.test(x)) return 'process ID list syntax error';
      if (Number(x) < 1 || Number(x) > 0x7fffffff) return 'process ID out of range';
      into.push(Number(x));
    }
    return undefined;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('--')) {
      const [name, inline] = a.includes('=') ? [a.slice(2, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a.slice(2), undefined];
      const val = () => inline ?? args[++i];
      switch (name) {
        case 'forest': o.forest = true; break;
        case 'no-headers': case 'no-heading': o.headers = false; break;
        case 'headers': case 'heading': break;
        case 'help': return { stdout: USAGE.replace('\n\nFor more', '\n\nFor more'), stderr: '', exitCode: 0 };
        case 'format': { const v = val(); if (v === undefined) return psError('format specification must follow --format'); o.formats.push(v); break; }
        case 'pid': { const v = val(); if (v === undefined) return psError('list of process IDs must follow --pid'); const err = pidList(v, o.pids); if (err) return psError(err); break; }
        case 'ppid': { const v = val(); if (v === undefined) return psError('list of process IDs must follow --ppid'); const err = pidList(v, o.ppids); if (err) return psError(err); break; }
        case 'user': case 'User': { const v = val(); if (v === undefined) return psError('list of users must follow --user'); o.users.push(...list(v)); break; }
        case 'width': case 'cols': case 'columns': { const v = val(); if (!v || !/^\d+$/.test(v)) return psError('number of columns must follow --cols, --width, or --columns'); o.width = Number(v); break; }
        case 'sort': { const v = val(); if (v === undefined) return psError('long sort specification must follow --sort'); o.sorts.push(v); break; }
        default: return psError('unknown gnu long option');
      }
      continue;
    }
    const unix = a.startsWith('-');
    const letters = unix ? a.slice(1) : a;
    if (unix && letters === '') return psError('unsupported SysV option');
    for (let j = 0; j < letters.length; j++) {
      const c = letters[j];
      const rest = () => {
        const r = letters.slice(j + 1);
        j = letters.length;
        return r || args[++i];
      };
      if (unix) {
        switch (c) {
          case 'e': case 'A': o.all = true; break;
          case 'a': o.unixA = true; break;
          case 'd': o.unixD = true; break;
          case 'f': o.f = true; break;
          case 'F': o.F = true; o.f = true; break;
          case 'H': o.forest = true; break;
          case 'w': o.width = o.width === undefined ? 132 : UNLIMITED; break;
          case 'L': o.threadsL = true; break;
          case 'T': o.threadsT = true; break;
          case 'l': case 'y': case 'j': case 'c': case 'm': case 'M': case 'Z':
            return { stdout: '', stderr: `netlab: ps -${c} is not simulated here (try ps aux, ps -ef, ps -eo pid,comm)\n`, exitCode: 1 };
          case 'o': { const v = rest(); if (v === undefined) return psError('format specification must follow -o'); o.formats.push(v); break; }
          case 'p': case 'q': { const v = rest(); if (v === undefined) return psError('list of process IDs must follow -p'); const err = pidList(v, o.pids); if (err) return psError(err); break; }
          case 'C': { const v = rest(); if (v === undefined) return psError('list of command names must follow -C'); o.commands.push(...list(v)); break; }
          case 'u': case 'U': { const v = rest(); if (v === undefined) return psError(`list of ${c === 'U' ? 'real ' : ''}users must follow -${c}`); o.users.push(...list(v)); break; }
          case '-': return psError("embedded '-' among SysV options makes no sense");
          default: return psError('unsupported SysV option');
        }
      } else {
        o.bsd = true;
        switch (c) {
          case 'a': o.bsdA = true; break;
          case 'x': o.bsdX = true; break;
          case 'u': o.u = true; break;
          case 'f': o.forest = true; break;
          case 'c': o.bsdC = true; break;
          case 'w': o.width = o.width === undefined ? 132 : UNLIMITED; break;
          case 'e': break;
          case 'h': o.headers = false; break;
          case 'o': { const v = rest(); if (v === undefined) return psError('format specification must follow o'); o.formats.push(v); break; }
          case 'p': case 'q': { const v = rest(); if (v === undefined) return psError('list of process IDs must follow p'); const err = pidList(v, o.pids); if (err) return psError(err); break; }
          case 'U': { const v = rest(); if (v === undefined) return psError('list of users must follow U'); o.users.push(...list(v)); break; }
          case '-': return psError("embedded '-' among BSD options makes no sense");
          default: return psError('unsupported option (BSD syntax)');
        }
      }
    }
  }
  return o;
}

/** Each -o is its own list (a `=HEADER` runs to the end of that list only). */
function formatLists(o: PsOpts): string[] {
  return o.formats.length ? o.formats : [formatList(o)];
}

/**
 * The default columns. SysV (sortformat.c generate_sysv_list, built backwards): uid_hack with
 * -f, pid, spid with -T, ppid with -f, lwp with -L, c with -f, nlwp with -L and -f, sz rss
 * psr with -F, stime with -f, tname, time, cmd or ucmd. The BSD lists get -T's spid after
 * PID and -L's lwp after the first of SID…PID and nlwp after %CPU (process_sf_options).
 */
function formatList(o: PsOpts): string {
  if (o.u || o.bsd) {
    const cols = (o.u ? 'user,pid,pcpu,pmem,vsz,rss,tname,stat,start_time,bsdtime,args' : 'pid,tname,stat,bsdtime,args').split(',');
    if (o.threadsT) cols.splice(cols.indexOf('pid') + 1, 0, 'spid');
    if (o.threadsL) {
      cols.splice(cols.indexOf('pid') + 1, 0, 'lwp');
      if (cols.includes('pcpu')) cols.splice(cols.indexOf('pcpu') + 1, 0, 'nlwp');
    }
    return cols.join(',');
  }
  const cols: string[] = [];
  if (o.f) cols.push('uid_hack');
  cols.push('pid');
  if (o.threadsT) cols.push('spid');
  if (o.f) cols.push('ppid');
  if (o.threadsL) cols.push('lwp');
  if (o.f) cols.push('c');
  if (o.threadsL && o.f) cols.push('nlwp');
  if (o.F) cols.push('sz', 'rss', 'psr');
  if (o.f) cols.push('stime');
  cols.push('tname', 'time', o.f ? 'cmd' : 'ucmd');
  return cols.join(',');
}

function memTotal(cluster: ClusterRuntime, node: string): number {
  const n = cluster.store.get('Node', undefined, node);
  const m = /^(\d+)Ki$/.exec(String(n?.status?.capacity?.memory ?? ''));
  return m ? Number(m[1]) : 4_015_548;
}

function envFor(ctx: CommandContext, node: string, procs: NodeProcess[], o: { f?: boolean; bsdC?: boolean }): Env {
  const n = ctx.cluster.store.get('Node', undefined, node);
  const cpus = Number.parseInt(String(n?.status?.capacity?.cpu ?? '2'), 10) || 2;
  return { now: ctx.cluster.clock.now(), memTotal: memTotal(ctx.cluster, node), cpus, node, byPid: new Map(procs.map((p) => [p.pid, p])), fullComm: !!o.f, bsdC: !!o.bsdC, prefix: '' };
}

/** A user given by name or number (ps -u, pgrep -u), as its uid; undefined if no such user. */
function uidOf(u: string): number | undefined {
  if (/^\d+$/.test(u)) return Number(u);
  return nodeUid(u);
}

/** show_forest/show_tree: sorted by parent then start, each tree drawn depth-first; PID 1's children stay at the top level. */
function forest(procs: NodeProcess[]): { p: NodeProcess; prefix: string }[] {
  const sorted = [...procs].sort((a, b) => a.ppid - b.ppid || a.start - b.start || a.pid - b.pid);
  const pids = new Set(sorted.map((p) => p.pid));
  const out: { p: NodeProcess; prefix: string }[] = [];
  const tree = (self: NodeProcess, level: number, sibling: boolean, prefix: string[]) => {
    if (level) prefix[level - 1] = sibling ? '+' : 'L';
    prefix.length = level;
    out.push({ p: self, prefix: prefix.slice(0, level).map((c) => (c === ' ' ? '    ' : c === '|' ? ' |  ' : ' \\_ ')).join('') });
    const kids = sorted.filter((x) => x.ppid === self.pid && x !== self);
    if (!kids.length) return;
    if (level) prefix[level - 1] = sibling ? '|' : ' ';
    kids.forEach((k, i) => {
      prefix.length = level;
      tree(k, self.pid === 1 ? level : level + 1, i < kids.length - 1, prefix);
    });
    prefix.length = level;
  };
  for (let i = sorted.length - 1; i >= 0; i--) if (!pids.has(sorted[i].ppid) || sorted[i].ppid === sorted[i].pid) tree(sorted[i], 0, false, []);
  return out;
}

export function runNodePs(args: string[], ctx: CommandContext, node: string): RunResult {
  const o = parsePsArgs(args);
  if (!('formats' in o)) return o;
  const cols: Column[] = [];
  for (const list of formatLists(o)) {
    const c = parseFormat(list);
    if (typeof c === 'string') return psError(c);
    cols.push(...c);
  }
  // parser.c thread_option_check
  if ((o.threadsL || o.threadsT) && o.forest) return psError('thread display conflicts with forest display');
  if (o.threadsL && o.threadsT) return psError("thread flags conflict; can't use both -L and -T");
  let keys: SortKey[] = [];
  if (o.sorts.length > 1) return psError('multiple sort options');
  if (o.sorts.length) {
    const k = parseSort(o.sorts[0]);
    if (typeof k === 'string') return psError(k);
    keys = k;
  }
  const all = nodeProcesses(ctx.cluster, node, ['ps', ...args]);
  const e = envFor(ctx, node, all, o);
  const self = all.find((p) => p.state === 'R' && p.tty === 'pts/0')!;
  const uids = o.users.map(uidOf);
  if (o.users.length && uids.some((u) => u === undefined)) return psError('user name does not exist');
  const selected = all.filter((p) => {
    const lists = o.pids.length || o.ppids.length || o.commands.length || o.users.length;
    if (o.pids.includes(p.pid) || o.ppids.includes(p.ppid) || o.commands.includes(p.comm) || uids.includes(p.uid)) return true;
    if (o.all || (o.bsdA && o.bsdX)) return true;
    if (o.bsdA) return !!p.tty;
    if (o.bsdX) return p.uid === self.uid;
    if (o.unixA) return !!p.tty && !p.sessionLeader;
    if (o.unixD) return !p.sessionLeader;
    if (lists) return false;
    // no selection: the processes of this terminal and user
    return p.tty === self.tty && p.uid === self.uid;
  });
  const activeCols = o.width ?? (ctx.interactive ? ctx.shell.columns : UNLIMITED);
  const threaded = o.threadsL || o.threadsT ? tasks(all) : undefined;
  const expanded = threaded ? selected.flatMap((p) => threaded.get(p.pid) ?? [p]) : selected;
  const ordered = keys.length ? sortProcs(expanded, keys, e) : expanded;
  const rows = o.forest ? forest(ordered) : ordered.map((p) => ({ p, prefix: '' }));
  let out = '';
  if (o.headers && cols.some((c) => c.head !== '')) out += renderRow(cols, null, null, e, activeCols);
  for (const r of rows) {
    e.prefix = r.prefix;
    out += renderRow(cols, null, r.p, e, activeCols);
  }
  if (!rows.length) return { stdout: out, stderr: '', exitCode: 1 };
  return { stdout: out, stderr: '', exitCode: 0 };
}

const PGREP_USAGE_HINT = (name: string) => `Try \`${name} --help' for more information.\n`;

export function runNodePgrep(args: string[], ctx: CommandContext, node: string): RunResult {
  const name = 'pgrep';
  let full = false, long = false, longlong = false, exact = false, count = false, newest = false, oldest = false, icase = false, inverse = false;
  let delim = '\n';
  const users: string[] = [];
  const parents: number[] = [];
  const bad = (msg: string): RunResult => ({ stdout: '', stderr: `${name}: ${msg}\n`, exitCode: 2 });
  const usage = (): RunResult => ({ stdout: '', stderr: `\nUsage:\n pgrep [options] <pattern>\n\nFor more details see pgrep(1).\n`, exitCode: 2 });
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const [n, inline] = a.includes('=') ? [a.slice(2, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a.slice(2), undefined];
      const val = () => inline ?? args[++i];
      if (n === 'full') full = true;
      else if (n === 'list-name') long = true;
      else if (n === 'list-full') longlong = true;
      else if (n === 'exact') exact = true;
      else if (n === 'count') count = true;
      else if (n === 'newest') newest = true;
      else if (n === 'oldest') oldest = true;
      else if (n === 'ignore-case') icase = true;
      else if (n === 'inverse') inverse = true;
      else if (n === 'delimiter') delim = val() ?? '\n';
      else if (n === 'euid' || n === 'uid') { const v = val(); if (v === undefined) return bad(`option '--${n}' requires an argument`); users.push(...v.split(',')); }
      else if (n === 'parent') { const v = val(); if (v === undefined) return bad(`option '--${n}' requires an argument`); parents.push(...v.split(',').map(Number)); }
      else return { ...usage(), stderr: `${name}: unrecognized option '${a}'\n` + usage().stderr };
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j];
        const rest = () => {
          const r = a.slice(j + 1);
          j = a.length;
          return r || args[++i];
        };
        if (c === 'f') full = true;
        else if (c === 'l') long = true;
        else if (c === 'a') longlong = true;
        else if (c === 'x') exact = true;
        else if (c === 'c') count = true;
        else if (c === 'n') newest = true;
        else if (c === 'o') oldest = true;
        else if (c === 'i') icase = true;
        else if (c === 'v') inverse = true;
        else if (c === 'd') { const v = rest(); if (v === undefined) return { ...usage(), stderr: `${name}: option requires an argument -- 'd'\n` + usage().stderr }; delim = v; }
        else if (c === 'u' || c === 'U') { const v = rest(); if (v === undefined) return { ...usage(), stderr: `${name}: option requires an argument -- '${c}'\n` + usage().stderr }; users.push(...v.split(',')); }
        else if (c === 'P') { const v = rest(); if (v === undefined) return { ...usage(), stderr: `${name}: option requires an argument -- 'P'\n` + usage().stderr }; parents.push(...v.split(',').map(Number)); }
        else if (c === 'V') return { stdout: 'pgrep from procps-ng 3.3.17\n', stderr: '', exitCode: 0 };
        else return { ...usage(), stderr: `${name}: invalid option -- '${c}'\n` + usage().stderr };
      }
      continue;
    }
    positional.push(a);
  }
  if (positional.length > 1) return bad(`only one pattern can be provided\n${PGREP_USAGE_HINT(name)}`.trimEnd());
  const pattern: string | undefined = positional[0];
  if (pattern === undefined && !users.length && !parents.length) return bad(`no matching criteria specified\n${PGREP_USAGE_HINT(name)}`.trimEnd());
  if (newest && oldest) return bad('-n and -o are mutually exclusive');
  let re: Regex | undefined;
  if (pattern !== undefined) {
    try {
      re = new Regex(parsePosix(exact ? `^(${pattern})$` : pattern, 'egrep').node, { longest: true, icase });
    } catch (err) {
      if (err instanceof RegexSyntaxError) return { stdout: '', stderr: err.message, exitCode: 2 };
      throw err;
    }
  }
  const uids = users.map(uidOf);
  if (uids.some((u) => u === undefined)) return bad(`invalid user name: ${users[uids.findIndex((u) => u === undefined)]}`);
  const all = nodeProcesses(ctx.cluster, node, [ctx.name, ...args]);
  const self = all.find((p) => p.state === 'R' && p.tty === 'pts/0');
  let hits = all.filter((p) => {
    if (p === self) return false;
    let match = true;
    if (parents.length && !parents.includes(p.ppid)) match = false;
    else if (uids.length && !uids.includes(p.uid)) match = false;
    if (match && re) match = re.test(full && p.argv.length ? p.argv.join(' ') : p.comm);
    return match !== inverse;
  });
  if (newest && hits.length) hits = [hits.reduce((a, b) => (b.start > a.start || (b.start === a.start && b.pid > a.pid) ? b : a))];
  if (oldest && hits.length) hits = [hits.reduce((a, b) => (b.start < a.start || (b.start === a.start && b.pid < a.pid) ? b : a))];
  if (count) return { stdout: `${hits.length}\n`, stderr: '', exitCode: hits.length ? 0 : 1 };
  const text = hits.map((p, i) => (longlong && p.argv.length ? `${p.pid} ${p.argv.join(' ')}` : longlong ? `${p.pid} ${p.comm}` : long ? `${p.pid} ${p.comm}` : String(p.pid)) + (i === hits.length - 1 ? '\n' : delim)).join('');
  return { stdout: text, stderr: '', exitCode: hits.length ? 0 : 1 };
}

export function runNodePidof(args: string[], ctx: CommandContext, node: string): RunResult {
  let single = false, quiet = false;
  let sep = ' ';
  const omit: number[] = [];
  const programs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-s' || a === '--single-shot') single = true;
    else if (a === '-q' || a === '--quiet') quiet = true;
    else if (a === '-d' || a === '--separator') sep = args[++i] ?? ' ';
    else if (a === '-o' || a === '--omit-pid') omit.push(...(args[++i] ?? '').split(',').filter((x) => /^\d+$/.test(x)).map(Number));
    else if (a === '-x' || a === '-w' || a === '--with-workers' || a === '-c' || a === '--check-root') continue;
    else if (a === '-V' || a === '--version') return { stdout: 'pidof from procps-ng 3.3.17\n', stderr: '', exitCode: 0 };
    else if (a.startsWith('-') && a.length > 1) return { stdout: '', stderr: `pidof: invalid option -- '${a[1]}'\n\nUsage:\n pidof [options] [program [...]]\n\nOptions:\n -s, --single-shot         return one PID only\n -c, --check-root          omit processes with different root\n -q,                       quiet mode, only set the exit code\n -w, --with-workers        show kernel workers too\n -x                        also find shells running the named scripts\n -o, --omit-pid <PID,...>  omit processes with PID\n -t, --lightweight         list threads too\n -S, --separator SEP       use SEP as separator put between PIDs\n -h, --help     display this help and exit\n -V, --version  output version information and exit\n\nFor more details see pidof(1).\n`, exitCode: 1 };
    else programs.push(a);
  }
  const all = nodeProcesses(ctx.cluster, node, [ctx.name, ...args]);
  const base = (s: string) => s.slice(s.lastIndexOf('/') + 1);
  const found: number[] = [];
  for (const program of programs) {
    if (!program) continue;
    const pb = base(program);
    const hits = all.filter((p) => {
      if (omit.includes(p.pid) || !p.argv.length) return false;
      let arg0 = p.argv[0];
      // a title rewritten into one string (`nginx: master process …`): argv[0] holds a space
      const titled = arg0.includes(' ');
      if (arg0.startsWith('-')) arg0 = arg0.slice(1);
      if (program === base(arg0) || pb === arg0 || program === arg0) return true;
      return titled && program === p.comm;
    });
    const list = hits.map((p) => p.pid).reverse();
    found.push(...(single ? list.slice(0, 1) : list));
  }
  if (!found.length) return { stdout: '', stderr: '', exitCode: 1 };
  return { stdout: quiet ? '' : `${found.join(sep)}\n`, stderr: '', exitCode: 0 };
}
