/**
 * Shared plumbing for the text tools: GNU getopt-style option parsing with GNU's
 * error messages, reading operands (files or stdin) from the virtual filesystem.
 */
import type { RunResult } from '../../types';
import type { CommandContext } from '../../shell/command';
import { homeOf, resolvePath } from '../../hosts/vfs';
import { hostFlavour } from '../../hosts/hosts';

export interface OptSpec {
  /** getopt string: letters, `:` after one that takes an argument (`"inve:A:"`). */
  short: string;
  /** long name → the short letter (or a long-only key) it stands for, and whether it takes an argument. */
  long?: Record<string, { key: string; arg?: boolean | 'optional' }>;
  /** Stop at the first operand (POSIX mode: `xargs`, `env`, `sh`). */
  stopAtOperand?: boolean;
}

export type Parsed = { opts: [string, string][]; operands: string[] };
export type OptError = { error: 'invalid' | 'missing' | 'unrecognized' | 'ambiguous' | 'noarg'; opt: string };

/** Parses like glibc getopt_long with permutation (options may follow operands; `--` ends them). */
export function getopt(args: string[], spec: OptSpec): Parsed | OptError {
  const opts: [string, string][] = [];
  const operands: string[] = [];
  const takes = (c: string) => {
    const i = spec.short.indexOf(c);
    return i >= 0 && spec.short[i + 1] === ':';
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('--') && spec.long) {
      const eq = a.indexOf('=');
      const name = a.slice(2, eq < 0 ? undefined : eq);
      let def = spec.long[name];
      if (!def) {
        const matches = Object.keys(spec.long).filter((k) => k.startsWith(name));
        const keys = new Set(matches.map((m) => spec.long![m].key));
        if (matches.length === 0) return { error: 'unrecognized', opt: a };
        if (keys.size > 1) return { error: 'ambiguous', opt: a };
        def = spec.long[matches[0]];
      }
      if (def.arg === true) {
        if (eq >= 0) opts.push([def.key, a.slice(eq + 1)]);
        else if (i + 1 < args.length) opts.push([def.key, args[++i]]);
        else return { error: 'missing', opt: a.slice(2) };
      } else if (def.arg === 'optional') opts.push([def.key, eq >= 0 ? a.slice(eq + 1) : '']);
      else {
        if (eq >= 0) return { error: 'noarg', opt: name };
        opts.push([def.key, '']);
      }
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j];
        if (c === ':' || !spec.short.includes(c)) return { error: 'invalid', opt: c };
        if (takes(c)) {
          if (j + 1 < a.length) opts.push([c, a.slice(j + 1)]);
          else if (i + 1 < args.length) opts.push([c, args[++i]]);
          else return { error: 'missing', opt: c };
          break;
        }
        opts.push([c, '']);
      }
      continue;
    }
    if (spec.stopAtOperand) {
      operands.push(...args.slice(i));
      break;
    }
    operands.push(a);
  }
  return { opts, operands };
}

export function isOptError(p: Parsed | OptError): p is OptError {
  return (p as OptError).error !== undefined;
}

/**
 * GNU's complaint about a bad option, then the usage line and the --help hint.
 * `usage` is the tool's `Usage:` line (without "Usage: "), e.g. `grep [OPTION]... PATTERNS [FILE]...`.
 */
export function optErrorText(tool: string, e: OptError, usage?: string): string {
  let first: string;
  switch (e.error) {
    case 'invalid':
      first = `${tool}: invalid option -- '${e.opt}'`;
      break;
    case 'missing':
      first = e.opt.length === 1 ? `${tool}: option requires an argument -- '${e.opt}'` : `${tool}: option '--${e.opt}' requires an argument`;
      break;
    case 'unrecognized':
      first = `${tool}: unrecognized option '${e.opt}'`;
      break;
    case 'ambiguous':
      first = `${tool}: option '${e.opt}' is ambiguous`;
      break;
    case 'noarg':
      first = `${tool}: option '--${e.opt}' doesn't allow an argument`;
      break;
  }
  return `${first}\n${usage ? `Usage: ${usage}\n` : ''}Try '${tool} --help' for more information.\n`;
}

export function usageError(tool: string, e: OptError, usage: string | undefined, code: number): RunResult {
  return { stdout: '', stderr: optErrorText(tool, e, usage), exitCode: code };
}

export function pathOf(ctx: CommandContext, p: string): string {
  return resolvePath(ctx.cwd, p, ctx.env.HOME ?? homeOf(ctx.host));
}

export type ReadResult = { ok: true; content: string } | { ok: false; error: string };

/** Reads an operand: `-` is stdin; errors as coreutils prints them (`cat: x: No such file or directory`). */
export function readOperand(ctx: CommandContext, tool: string, name: string): ReadResult {
  if (name === '-') return { ok: true, content: ctx.stdin };
  const path = pathOf(ctx, name);
  if (path === '/dev/null') return { ok: true, content: '' };
  if (path === '/dev/stdin') return { ok: true, content: ctx.stdin };
  // a derived binary (a CNI plugin): the simulation holds no bytes to show, and says so
  if (ctx.cluster.fs.binaryAt(ctx.host, path)) return { ok: false, error: `${tool}: ${name}: binary file (not shown in this simulation)\n` };
  const c = ctx.cluster.fs.read(ctx.host, path);
  if (c !== undefined) return { ok: true, content: c };
  const dir = ctx.cluster.fs.isDir(ctx.host, path);
  const parent = path.slice(0, path.lastIndexOf('/')) || '/';
  const why = dir ? 'Is a directory' : ctx.cluster.fs.isFile(ctx.host, parent) ? 'Not a directory' : 'No such file or directory';
  // busybox applets open files through libbb's fopen_or_warn: "can't open 'x': …";
  // reading a directory fails later with "read error" (grep keeps GNU's wording).
  if (tool !== 'grep' && tool !== 'awk' && hostFlavour(ctx.cluster, ctx.host) === 'busybox') {
    return { ok: false, error: dir ? `${tool}: read error: Is a directory\n` : `${tool}: can't open '${name}': ${why}\n` };
  }
  return { ok: false, error: `${tool}: ${name}: ${why}\n` };
}

/** Splits text into lines, dropping the empty string after a final newline. */
export function lines(text: string): string[] {
  if (text === '') return [];
  const l = text.split('\n');
  if (l[l.length - 1] === '') l.pop();
  return l;
}

export function result(stdout: string, stderr = '', exitCode = 0): RunResult {
  return { stdout, stderr, exitCode };
}

/** Parses a non-negative count like coreutils' xstrtoumax with suffixes (k, K, M, b…). */
export function parseCount(s: string): number | undefined {
  const m = /^\+?(\d+)(b|kB|k|K|KiB|MB|M|MiB|GB|G|GiB)?$/.exec(s);
  if (!m) return undefined;
  const mult: Record<string, number> = { b: 512, kB: 1000, k: 1024, K: 1024, KiB: 1024, MB: 1e6, M: 1048576, MiB: 1048576, GB: 1e9, G: 1073741824, GiB: 1073741824 };
  return Number(m[1]) * (m[2] ? mult[m[2]] : 1);
}

/** GNU's quoting of a file name in diagnostics (`'x'`; names with a quote get "…"). */
export function quoteName(s: string): string {
  if (!s.includes("'")) return `'${s}'`;
  return `"${s}"`;
}
