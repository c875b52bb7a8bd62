/**
 * nft's command line before the command itself (nftables 1.0.6 src/main.c): options must
 * come first (nft_options_check), getopt_long with "+" over the option table, -v/-V/-h,
 * then the remaining words joined by spaces into the buffer nft parses; and the error
 * record printing of src/erec.c (the message, the buffer, carets under the location).
 */
import type { RunResult } from '../../../types';

export const NFT_VERSION = 'nftables v1.0.6 (Lester Gooch #5)';

interface Opt {
  short: string;
  long?: string;
  arg?: string;
  help: string;
}

/** nft_options, in their index order (general, ruleset input, list formatting, command output). */
const OPTIONS: Opt[] = [
  { short: 'h', long: 'help', help: 'Show this help' },
  { short: 'v', long: 'version', help: 'Show version information' },
  { short: 'V', help: 'Show extended version information' },
  { short: 'f', long: 'file', arg: '<filename>', help: 'Read input from <filename>' },
  { short: 'D', long: 'define', arg: '<name=value>', help: 'Define variable, e.g. --define foo=1.2.3.4' },
  { short: 'i', long: 'interactive', help: 'Read input from interactive CLI' },
  { short: 'I', long: 'includepath', arg: '<directory>', help: 'Add <directory> to the paths searched for include files. Default is: /etc' },
  { short: 'c', long: 'check', help: 'Check commands validity without actually applying the changes.' },
  { short: 'o', long: 'optimize', help: 'Optimize ruleset' },
  { short: 'a', long: 'handle', help: 'Output rule handle.' },
  { short: 's', long: 'stateless', help: 'Omit stateful information of ruleset.' },
  { short: 't', long: 'terse', help: 'Omit contents of sets.' },
  { short: 'S', long: 'service', help: 'Translate ports to service names as described in /etc/services.' },
  { short: 'N', long: 'reversedns', help: 'Translate IP addresses to names.' },
  { short: 'u', long: 'guid', help: 'Print UID/GID as defined in /etc/passwd and /etc/group.' },
  { short: 'n', long: 'numeric', help: 'Print fully numerical output.' },
  { short: 'y', long: 'numeric-priority', help: 'Print chain priority numerically.' },
  { short: 'p', long: 'numeric-protocol', help: 'Print layer 4 protocols numerically.' },
  { short: 'T', long: 'numeric-time', help: 'Print time values numerically.' },
  { short: 'e', long: 'echo', help: 'Echo what has been added, inserted or replaced.' },
  { short: 'j', long: 'json', help: 'Format output in JSON' },
  { short: 'd', long: 'debug', arg: '<level [,level...]>', help: 'Specify debugging level (scanner, parser, eval, netlink, mnl, proto-ctx, segtree, all)' },
];

function printOption(o: Opt): string {
  let s = `  -${o.short}`;
  if (o.long) s += `, --${o.long}`;
  if (o.arg) s += ` ${o.arg}`;
  return s.slice(0, 34).padEnd(34) + o.help + '\n';
}

function help(): string {
  const sect = (from: string, to: string) => {
    const a = OPTIONS.findIndex((o) => o.short === from);
    const b = OPTIONS.findIndex((o) => o.short === to);
    return OPTIONS.slice(a, b + 1).map(printOption).join('');
  };
  return 'Usage: nft [ options ] [ cmds... ]\n\nOptions (general):\n' + sect('h', 'V') +
    '\nOptions (ruleset input handling):\n' + sect('f', 'o') +
    '\nOptions (ruleset list formatting):\n' + sect('a', 'T') +
    '\nOptions (command output formatting):\n' + sect('e', 'd') + '\n';
}

/** The extended version (-V) of the simulated build: no JSON, no mini-gmp, with libxtables. */
const LONG_VERSION = `${NFT_VERSION}\n  cli:\t\teditline\n  json:\t\tno\n  minigmp:\tno\n  libxtables:\tyes\n`;

export interface NftFlags {
  handles: boolean;
  stateless: boolean;
  terse: boolean;
  numeric: boolean;
  numericPrio: boolean;
  numericTime: boolean;
  check: boolean;
}

export type CliResult = { done: RunResult } | { flags: NftFlags; words: string[] };

const fail = (stdout: string, stderr: string): { done: RunResult } => ({ done: { stdout, stderr, exitCode: 1 } });

/** Options, then the command words; or what nft prints and exits with. */
export function parseCli(args: string[]): CliResult {
  // nft_options_check: an option after a command word is an error (pos: its offset in "nft ARGS")
  let pos = 'nft'.length + 1;
  let nonoption = false, skip = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (i > 0) pos += args[i - 1].length + 1;
    if (a.startsWith('{')) break;
    if (skip) {
      skip = false;
      continue;
    }
    if (a.startsWith('-')) {
      if (nonoption) {
        return fail(`\n${'^'.padStart(4)}${'~~'.padStart(pos - 2)}\n`, `Error: syntax error, options must be specified before commands\nnft ${args.map((x) => x + ' ').join('')}`);
      }
      if (/^-[dIfD]/.test(a) || ['--debug', '--includepath', '--define', '--file'].includes(a)) skip = true;
    } else nonoption = true;
  }
  const flags: NftFlags = { handles: false, stateless: false, terse: false, numeric: false, numericPrio: false, numericTime: false, check: false };
  let i = 0;
  const set = (c: string): CliResult | undefined => {
    switch (c) {
      case 'h': return { done: { stdout: help(), stderr: '', exitCode: 0 } };
      case 'v': return { done: { stdout: NFT_VERSION + '\n', stderr: '', exitCode: 0 } };
      case 'V': return { done: { stdout: LONG_VERSION, stderr: '', exitCode: 0 } };
      case 'a': flags.handles = true; break;
      case 's': flags.stateless = true; break;
      case 't': flags.terse = true; break;
      case 'n': flags.numeric = true; flags.numericPrio = true; break;
      case 'y': flags.numericPrio = true; break;
      case 'T': flags.numericTime = true; break;
      case 'c': flags.check = true; break;
      case 'j': return fail('', 'JSON support not compiled-in\n');
      case 'f': case 'i': case 'D': case 'I': return fail('', `netlab: nft -${c} is not simulated: give the command on the command line\n`);
    }
    return undefined;
  };
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-') || a === '-') break;
    if (a.startsWith('--')) {
      const [name] = a.slice(2).split('=', 1);
      const o = OPTIONS.find((x) => x.long === name) ?? (OPTIONS.filter((x) => x.long?.startsWith(name)).length === 1 ? OPTIONS.find((x) => x.long?.startsWith(name)) : undefined);
      if (!o) return fail('', `nft: unrecognized option '${a}'\n`);
      if (o.arg && !a.includes('=')) i++;
      const r = set(o.short);
      if (r) return r;
      continue;
    }
    for (let k = 1; k < a.length; k++) {
      const c = a[k];
      const o = OPTIONS.find((x) => x.short === c);
      if (!o) return fail('', `nft: invalid option -- '${c}'\n`);
      if (o.arg) {
        if (k === a.length - 1) {
          if (i + 1 >= args.length) return fail('', `nft: option requires an argument -- '${c}'\n`);
          i++;
        }
        const r = set(c);
        if (r) return r;
        break;
      }
      const r = set(c);
      if (r) return r;
    }
  }
  const words = args.slice(i);
  if (words.length === 0) return fail('', 'nft: no command specified\n');
  return { flags, words };
}

/** A token of the command buffer, with its 1-based columns (bison's locations). */
export interface Token {
  text: string;
  first: number;
  last: number;
}

/** The buffer nft parses (the words joined by spaces) cut into tokens. */
export function tokenize(words: string[]): { line: string; tokens: Token[] } {
  const line = words.join(' ');
  const tokens: Token[] = [];
  const re = /[^\s{},;]+|[{},;]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line))) tokens.push({ text: m[0], first: m.index + 1, last: m.index + m[0].length });
  return { line, tokens };
}

/** erec_print: "Error: MSG", the line, then carets from first to last column. */
export function errorRecord(msg: string, line: string, first: number, last: number): string {
  const marks = ' '.repeat(Math.max(0, first - 1)) + '^'.repeat(Math.max(1, last - first + 1));
  return `Error: ${msg}\n${line}\n${marks}\n`;
}
