/** `head` and `tail` (coreutils src/head.c, src/tail.c): -n N, -N, -c N, `tail -n +N`, headers for several files. */
import type { RunResult } from '../../types';
import type { CommandContext, CommandSpec } from '../../shell/command';
import { readOperand } from './util';

function parseArgs(tool: 'head' | 'tail', args: string[]): { mode: 'n' | 'c'; count: number; from: boolean; fromEnd: boolean; files: string[]; quiet: boolean; verbose: boolean; follow: boolean } | RunResult {
  let mode: 'n' | 'c' = 'n';
  let countStr = '10';
  let quiet = false;
  let verbose = false;
  let follow = false;
  const files: string[] = [];
  const bad = (text: string): RunResult => ({ stdout: '', stderr: text, exitCode: 1 });
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      files.push(...args.slice(i + 1));
      break;
    }
    let m: RegExpExecArray | null;
    if ((m = /^-(\d+)([cbkmlq]*)$/.exec(a))) {
      countStr = m[1];
      if (m[2].includes('c')) mode = 'c';
      continue;
    }
    if (a === '-n' || a === '-c' || a === '--lines' || a === '--bytes') {
      if (i + 1 >= args.length) return bad(`${tool}: option requires an argument -- '${a === '--lines' ? 'n' : a === '--bytes' ? 'c' : a[1]}'\nTry '${tool} --help' for more information.\n`);
      mode = a === '-c' || a === '--bytes' ? 'c' : 'n';
      countStr = args[++i];
      continue;
    }
    if ((m = /^(?:-([nc])|--(lines|bytes)=)(.+)$/.exec(a))) {
      mode = m[1] === 'c' || m[2] === 'bytes' ? 'c' : 'n';
      countStr = m[3];
      continue;
    }
    if (a === '-q' || a === '--quiet' || a === '--silent') {
      quiet = true;
      continue;
    }
    if (a === '-v' || a === '--verbose') {
      verbose = true;
      continue;
    }
    if (tool === 'tail' && (a === '-f' || a === '-F' || a === '--follow')) {
      follow = true;
      continue;
    }
    if (a.startsWith('--') && a.length > 2) return bad(`${tool}: unrecognized option '${a}'\nTry '${tool} --help' for more information.\n`);
    if (a.startsWith('-') && a.length > 1) return bad(`${tool}: invalid option -- '${a[1]}'\nTry '${tool} --help' for more information.\n`);
    files.push(a);
  }
  const from = countStr.startsWith('+');
  const fromEnd = countStr.startsWith('-');
  const digits = countStr.replace(/^[-+]/, '');
  if (!/^\d+$/.test(digits)) {
    const what = mode === 'n' ? 'lines' : 'bytes';
    return bad(`${tool}: invalid number of ${what}: '${countStr}'\n`);
  }
  return { mode, count: Number(digits), from, fromEnd, files: files.length ? files : ['-'], quiet, verbose, follow };
}

function run(tool: 'head' | 'tail', args: string[], ctx: CommandContext): RunResult {
  const p = parseArgs(tool, args);
  if ('exitCode' in p) return p;
  let out = '';
  let err = '';
  const header = (p.files.length > 1 && !p.quiet) || p.verbose;
  p.files.forEach((f, idx) => {
    const r = readOperand(ctx, tool, f);
    if (!r.ok) {
      err += r.error.replace(`${tool}: ${f}:`, `${tool}: cannot open '${f}' for reading:`);
      return;
    }
    if (header) out += `${idx > 0 ? '\n' : ''}==> ${f === '-' ? 'standard input' : f} <==\n`;
    const text = r.content;
    if (p.mode === 'c') {
      if (tool === 'head') out += p.fromEnd ? text.slice(0, Math.max(0, text.length - p.count)) : text.slice(0, p.count);
      else out += p.from ? text.slice(Math.max(0, p.count - 1)) : p.count === 0 ? '' : text.slice(-p.count);
      return;
    }
    const parts = text.split('\n');
    const endsNl = text.endsWith('\n');
    if (endsNl) parts.pop();
    let sel: string[];
    if (tool === 'head') sel = p.fromEnd ? parts.slice(0, Math.max(0, parts.length - p.count)) : parts.slice(0, p.count);
    else sel = p.from ? parts.slice(Math.max(0, p.count - 1)) : p.count === 0 ? [] : parts.slice(-p.count);
    if (sel.length === 0) return;
    const includesLast = tool === 'tail' || sel.length === parts.length;
    out += sel.join('\n') + (includesLast && !endsNl ? '' : '\n');
  });
  return { stdout: out, stderr: err, exitCode: err ? 1 : 0 };
}

export const head: CommandSpec = { name: 'head', summary: 'output the first part of files', run: (a, c) => run('head', a, c) };

export const tail: CommandSpec = {
  name: 'tail',
  summary: 'output the last part of files',
  run(args, ctx) {
    const r = run('tail', args, ctx);
    const p = parseArgs('tail', args);
    if ('exitCode' in p || !p.follow || r.exitCode !== 0) return r;
    // -f: the file never grows in the simulation; it waits until Ctrl+C.
    return { streaming: true, stdout: r.stdout, stderr: r.stderr, intervalMs: 1000, step: () => ({}), interrupt: () => ({ exitCode: 130 }) };
  },
};
