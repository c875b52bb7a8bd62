/** `xargs [-0] [-d D] [-n N] [-I R] [-r] [-t] [CMD [ARG]...]` (findutils xargs/xargs.c); CMD defaults to echo. */
import type { CommandSpec } from '../../shell/command';
import { getopt, isOptError, usageError } from './util';
import { shellQuote } from '../../shell/shell';

/** Splits input the way xargs does by default: blanks and newlines separate; quotes and backslash group. */
function splitDefault(input: string): string[] | string {
  const out: string[] = [];
  let cur = '';
  let has = false;
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (c === "'" || c === '"') {
      const end = input.indexOf(c, i + 1);
      const nl = input.indexOf('\n', i + 1);
      if (end < 0 || (nl >= 0 && nl < end)) return `xargs: unmatched ${c === "'" ? 'single' : 'double'} quote; by default quotes are special to xargs unless you use the -0 option\n`;
      cur += input.slice(i + 1, end);
      has = true;
      i = end;
    } else if (c === '\\' && i + 1 < input.length) {
      cur += input[++i];
      has = true;
    } else if (c === ' ' || c === '\t' || c === '\n') {
      if (has) out.push(cur);
      cur = '';
      has = false;
    } else {
      cur += c;
      has = true;
    }
  }
  if (has) out.push(cur);
  return out;
}

export const xargs: CommandSpec = {
  name: 'xargs',
  summary: 'build and execute command lines from standard input',
  run(args, ctx) {
    const p = getopt(args, { short: '0d:n:I:i:rtL:P:s:', long: { null: { key: '0' }, delimiter: { key: 'd', arg: true }, 'max-args': { key: 'n', arg: true }, replace: { key: 'I', arg: 'optional' }, 'no-run-if-empty': { key: 'r' }, verbose: { key: 't' }, 'max-lines': { key: 'L', arg: true }, 'max-procs': { key: 'P', arg: true } }, stopAtOperand: true });
    if (isOptError(p)) return usageError('xargs', p, 'xargs [OPTION]... COMMAND [INITIAL-ARGS]...', 1);
    const o = new Map(p.opts);
    const cmd = p.operands.length ? p.operands : ['echo'];
    let items: string[];
    let err = '';
    if (o.has('0')) items = ctx.stdin.split('\0').filter((x, i, a) => x !== '' || i < a.length - 1);
    else if (o.has('d')) {
      const d = o.get('d')!.replace(/^\\n$/, '\n').replace(/^\\t$/, '\t');
      items = ctx.stdin.split(d);
      if (items[items.length - 1] === '' || items[items.length - 1] === '\n') items.pop();
    } else if (o.has('I') || o.has('i') || o.has('L')) {
      items = ctx.stdin.split('\n').map((l) => l.replace(/^[ \t]+/, '')).filter((l) => l !== '');
    } else {
      const s = splitDefault(ctx.stdin);
      if (typeof s === 'string') {
        err = s;
        items = [];
      } else items = s;
    }
    const replace = o.has('I') ? o.get('I') || '{}' : o.has('i') ? o.get('i') || '{}' : undefined;
    const n = o.has('n') ? Number(o.get('n')) : o.has('L') ? Number(o.get('L')) : replace !== undefined ? 1 : Infinity;
    if (!(n >= 1)) return { stdout: '', stderr: `xargs: invalid number "${o.get('n') ?? o.get('L')}" for -n option\n`, exitCode: 1 };
    const batches: string[][] = [];
    for (let i = 0; i < items.length; i += n === Infinity ? items.length || 1 : n) batches.push(items.slice(i, n === Infinity ? undefined : i + n));
    if (batches.length === 0 && !o.has('r') && replace === undefined && !err) batches.push([]);
    if (!ctx.shell.lookup(cmd[0])) {
      return { stdout: '', stderr: err + `xargs: ${cmd[0]}: No such file or directory\n`, exitCode: 127 };
    }
    let out = '';
    let code = err ? 1 : 0;
    for (const b of batches) {
      const argv = replace !== undefined ? cmd.map((a) => a.split(replace).join(b[0] ?? '')) : [...cmd, ...b];
      if (o.has('t')) err += argv.join(' ') + '\n';
      const r = ctx.shell.runIn(ctx.host, argv.map(shellQuote).join(' '));
      out += r.stdout;
      err += r.stderr;
      if (r.exitCode === 255) {
        err += `xargs: ${cmd[0]}: exited with status 255; aborting\n`;
        return { stdout: out, stderr: err, exitCode: 124 };
      }
      if (r.exitCode !== 0) code = 123;
    }
    return { stdout: out, stderr: err, exitCode: code };
  },
};
