/**
 * Text tools and shell builtins: one file per command. Which of them a host has is
 * decided by engine/hosts/hosts.ts (busybox images have no `column`, for example).
 */
import type { CommandSpec } from '../../shell/command';
import { alias, unalias } from './alias';
import { awk } from './awk';
import { basename, dirname, printenv } from './paths';
import { timeout } from './timeout';
import { base64 } from './base64';
import { cat } from './cat';
import { cd } from './cd';
import { clear } from './clear';
import { column } from './column';
import { cut } from './cut';
import { date } from './date';
import { echo } from './echo';
import { nano, vi, vim } from './editor';
import { env } from './env';
import { exit } from './exit';
import { exportCmd, unset } from './export';
import { file } from './file';
import { grep } from './grep';
import { head, tail } from './head';
import { help } from './help';
import { history } from './history';
import { id, uname } from './id';
import { hostname } from './hostname';
import { ls } from './ls';
import { less, more } from './pager';
import { mkdir } from './mkdir';
import { nohup, setsid } from './nohup';
import { printf } from './printf';
import { read } from './read';
import { pwd } from './pwd';
import { rm } from './rm';
import { sed } from './sed';
import { seq } from './seq';
import { bash, sh } from './sh';
import { sleep } from './sleep';
import { sort } from './sort';
import { ssh } from './ssh';
import { sudo } from './sudo';
import { tee } from './tee';
import { bracket, test } from './test';
import { touch } from './touch';
import { tr } from './tr';
import { colon, falseCmd, trueCmd } from './true';
import { fg, jobs, kill, wait } from './jobs';
import { uniq } from './uniq';
import { watch } from './watch';
import { wc } from './wc';
import { command, type, which } from './which';
import { whoami } from './whoami';
import { xargs } from './xargs';

export const textCommands: CommandSpec[] = [
  colon, jobs, wait, fg, kill, alias, awk, basename, dirname, printenv, timeout, base64, bash, bracket, cat, cd, clear, column, cut, date, echo, env, exit, exportCmd, falseCmd, file, grep, head, help,
  history, hostname, id, less, ls, more, nano, mkdir, nohup, printf, pwd, read, rm, sed, seq, setsid, sh, sleep, sort, ssh, sudo, tail, tee, test, touch, tr, trueCmd,
  type, unalias, uname, uniq, unset, vi, vim, watch, wc, which, whoami, xargs, command,
];
