/**
 * `less` / `more`: with the output not a terminal they behave like cat (less.c: "if
 * stdout is not a tty, act like cat"); in the browser terminal the whole text is shown
 * and the scrollback does the paging.
 */
import type { RunResult } from '../../types';
import type { CommandContext, CommandSpec } from '../../shell/command';
import { readOperand } from './util';

function page(tool: string, args: string[], ctx: CommandContext): RunResult {
  const files = args.filter((a) => !a.startsWith('-') || a === '-');
  if (files.length === 0) return { stdout: ctx.stdin, stderr: '', exitCode: 0 };
  let out = '';
  let err = '';
  for (const f of files) {
    const r = readOperand(ctx, tool, f);
    if (r.ok) out += r.content;
    else err += tool === 'less' ? r.error.replace(/^less: (.*): Is a directory\n$/, '$1 is a directory\n') : r.error;
  }
  return { stdout: out, stderr: err, exitCode: err ? 1 : 0 };
}

export const less: CommandSpec = { name: 'less', summary: 'opposite of more (a pager)', run: (a, c) => page('less', a, c) };
export const more: CommandSpec = { name: 'more', summary: 'file perusal filter for crt viewing', run: (a, c) => page('more', a, c) };
