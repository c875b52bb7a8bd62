/**
 * `file` (file 5.41, Ubuntu 22.04's: a node has it) for what the simulation can classify
 * faithfully: a pcap savefile tcpdump wrote (magic/Magdir/sniffer: the little-endian
 * 0xa1b2c3d4 magic, `- version %d.%d`, the LINKTYPE's name, `capture length %u`), a
 * directory and an empty file (fsmagic.c, funcs.c file_buffer's "empty"), a missing one
 * (fsmagic.c "cannot open `%s' (%s)", on stdout, exit 0). Each line is the name, the `:`
 * separator, padding to the longest name, a space and the type (file.c process). Any other
 * file would need libmagic's whole database and text heuristics, which are not modelled:
 * it says so.
 */
import type { RunResult } from '../../types';
import type { CommandContext, CommandSpec } from '../../shell/command';
import { pathOf } from './util';

const USAGE =
  'Usage: file [-bcCdEhikLlNnprsSvzZ0] [--apple] [--extension] [--mime-encoding]\n' +
  '            [--mime-type] [-e <testname>] [-F <separator>]  [-f <namefile>]\n' +
  '            [-m <magicfiles>] [-P <parameter=value>] [--exclude-quiet]\n' +
  '            <file> ...\n' +
  '       file -C [-m <magicfiles>]\n' +
  '       file [--help]\n';

/** magic/Magdir/sniffer's names for the link types tcpdump writes here. */
const LINKTYPE_NAMES: Record<string, string> = { EN10MB: 'Ethernet', RAW: 'Raw IP', LINUX_SLL2: 'Linux cooked v2' };

function classify(ctx: CommandContext, name: string): string | undefined {
  const fs = ctx.cluster.fs;
  const path = pathOf(ctx, name);
  if (fs.isDir(ctx.host, path)) return 'directory';
  if (!fs.isFile(ctx.host, path)) return `cannot open \`${name}' (No such file or directory)`;
  const wb = fs.writtenBinary(ctx.host, path);
  if (wb?.meta.format === 'pcap') {
    if (wb.meta.size === 0) return 'empty';
    if (wb.meta.size >= 24) {
      try {
        const s = JSON.parse(wb.content) as { link: string; snaplen: number };
        return `pcap capture file, microsecond ts (little-endian) - version 2.4 (${LINKTYPE_NAMES[s.link] ?? s.link}, capture length ${s.snaplen})`;
      } catch {
        return undefined;
      }
    }
    return undefined;
  }
  if (!fs.binaryAt(ctx.host, path) && (fs.read(ctx.host, path) ?? '') === '') return 'empty';
  return undefined;
}

export const file: CommandSpec = {
  name: 'file',
  summary: 'determine file type',
  run(args: string[], ctx: CommandContext): RunResult {
    let brief = false;
    const names: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === '--') {
        names.push(...args.slice(i + 1));
        break;
      }
      if (a === '-b' || a === '--brief') brief = true;
      else if (a.startsWith('-') && a !== '-') return { stdout: '', stderr: `netlab: file ${a} is not simulated here (file -b and plain file NAME are)\n`, exitCode: 1 };
      else names.push(a);
    }
    if (names.length === 0) return { stdout: '', stderr: USAGE, exitCode: 1 };
    const wid = Math.max(...names.map((n) => n.length));
    let out = '';
    let err = '';
    for (const n of names) {
      const what = classify(ctx, n);
      if (what === undefined) {
        err += `netlab: file: ${n}: only pcap savefiles, directories and empty files are classified in this simulation (libmagic's database is not modelled)\n`;
        continue;
      }
      out += brief ? `${what}\n` : `${n}:${' '.repeat(wid - n.length)} ${what}\n`;
    }
    return { stdout: out, stderr: err, exitCode: err ? 1 : 0 };
  },
};
