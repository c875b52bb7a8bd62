/** `test EXPR` and `[ EXPR ]` (bash builtins/test.def, POSIX test): files, strings, integers, ! -a -o, ( ). */
import type { RunResult } from '../../types';
import type { CommandContext, CommandSpec } from '../../shell/command';
import { pathOf } from './util';

class TestError extends Error {}

function evaluate(args: string[], ctx: CommandContext, name: string): boolean {
  let i = 0;
  const fs = ctx.cluster.fs;
  const int = (s: string): number => {
    if (!/^\s*[-+]?\d+\s*$/.test(s)) throw new TestError(`${name}: ${s}: integer expression expected`);
    return Number(s);
  };
  const primary = (): boolean => {
    const a = args[i];
    if (a === undefined) throw new TestError(`${name}: argument expected`);
    if (a === '!') {
      i++;
      return !primary();
    }
    if (a === '(' ) {
      i++;
      const v = or();
      if (args[i] !== ')') throw new TestError(`${name}: \`)' expected`);
      i++;
      return v;
    }
    const op = args[i + 1];
    if (op !== undefined && ['=', '==', '!=', '<', '>', '-eq', '-ne', '-lt', '-le', '-gt', '-ge'].includes(op) && args[i + 2] !== undefined) {
      const b = args[i + 2];
      i += 3;
      switch (op) {
        case '=': case '==': return a === b;
        case '!=': return a !== b;
        case '<': return a < b;
        case '>': return a > b;
        case '-eq': return int(a) === int(b);
        case '-ne': return int(a) !== int(b);
        case '-lt': return int(a) < int(b);
        case '-le': return int(a) <= int(b);
        case '-gt': return int(a) > int(b);
        case '-ge': return int(a) >= int(b);
      }
    }
    if (/^-[a-zA-Z]$/.test(a) && args[i + 1] !== undefined && !(args.length - i === 2 && false)) {
      const v = args[i + 1];
      i += 2;
      const p = pathOf(ctx, v);
      switch (a) {
        case '-z': return v === '';
        case '-n': return v !== '';
        case '-e': case '-a': return fs.exists(ctx.host, p);
        case '-f': return fs.isFile(ctx.host, p);
        case '-d': return fs.isDir(ctx.host, p);
        case '-s': return (fs.read(ctx.host, p) ?? '') !== '';
        case '-r': case '-w': return fs.exists(ctx.host, p);
        case '-x': {
          // a directory (search permission) or an installed program (mode 0755); a data file is not
          const bin = fs.binaryAt(ctx.host, p);
          return fs.isDir(ctx.host, p) || (!!bin && !bin.data);
        }
        case '-L': case '-h': return false;
        default: throw new TestError(`${name}: ${a}: unary operator expected`);
      }
    }
    i++;
    return a !== '';
  };
  const and = (): boolean => {
    let v = primary();
    while (args[i] === '-a') {
      i++;
      const w = primary();
      v = v && w;
    }
    return v;
  };
  const or = (): boolean => {
    let v = and();
    while (args[i] === '-o') {
      i++;
      const w = and();
      v = v || w;
    }
    return v;
  };
  if (args.length === 0) return false;
  const v = or();
  if (i < args.length) throw new TestError(`${name}: too many arguments`);
  return v;
}

function run(args: string[], ctx: CommandContext): RunResult {
  const sh = ctx.shell.flavour === 'busybox' ? 'sh' : 'bash';
  let a = args;
  if (ctx.name === '[') {
    if (a[a.length - 1] !== ']') return { stdout: '', stderr: `${sh}: [: missing \`]'\n`, exitCode: 2 };
    a = a.slice(0, -1);
  }
  try {
    return { stdout: '', stderr: '', exitCode: evaluate(a, ctx, ctx.name) ? 0 : 1 };
  } catch (e) {
    if (e instanceof TestError) return { stdout: '', stderr: `${sh}: ${e.message}\n`, exitCode: 2 };
    throw e;
  }
}

export const test: CommandSpec = { name: 'test', summary: 'evaluate conditional expression', run };
export const bracket: CommandSpec = { name: '[', summary: 'evaluate conditional expression', run };
