/**
 * `ls [-1alAdhrtR] [FILE]...` (coreutils src/ls.c): one name per line when not at a
 * terminal, columns (vertical fill, 80 wide) at one; `-l` long format with `total`
 * in 1K blocks; missing operands: `ls: cannot access 'x': No such file or directory` (exit 2).
 */
import type { CommandContext, CommandSpec } from '../../shell/command';
import type { FileInfo } from '../../hosts/vfs';
import { getopt, isOptError, pathOf, usageError } from './util';
import { strftime } from './date';
import { hostFlavour, hostUser } from '../../hosts/hosts';
import { completeFiles } from '../../shell/completion';

const SIX_MONTHS = 15778476000;

function columns(names: string[], width = 80): string {
  if (names.length === 0) return '';
  const lens = names.map((n) => [...n].length);
  for (let rows = 1; rows <= names.length; rows++) {
    const cols = Math.ceil(names.length / rows);
    const widths: number[] = [];
    for (let c = 0; c < cols; c++) widths.push(Math.max(...lens.slice(c * rows, c * rows + rows)));
    const total = widths.reduce((a, b) => a + b, 0) + 2 * (cols - 1);
    if (total <= width || rows === names.length) {
      let out = '';
      for (let r = 0; r < rows; r++) {
        let line = '';
        for (let c = 0; c < cols; c++) {
          const k = c * rows + r;
          if (k >= names.length) break;
          const last = c === cols - 1 || (c + 1) * rows + r >= names.length;
          line += last ? names[k] : names[k] + ' '.repeat(widths[c] - lens[k] + 2);
        }
        out += line + '\n';
      }
      return out;
    }
  }
  return names.join('\n') + '\n';
}

function human(n: number): string {
  if (n < 1024) return String(n);
  const units = ['K', 'M', 'G', 'T'];
  let v = n;
  let u = -1;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return (v < 10 ? (Math.ceil(v * 10) / 10).toFixed(1) : String(Math.ceil(v))) + units[u];
}

export const ls: CommandSpec = {
  name: 'ls',
  summary: 'list directory contents',
  run(args, ctx: CommandContext) {
    const p = getopt(args, {
      short: '1aAdFhlrRtSC',
      long: { all: { key: 'a' }, 'almost-all': { key: 'A' }, directory: { key: 'd' }, 'human-readable': { key: 'h' }, reverse: { key: 'r' }, recursive: { key: 'R' }, classify: { key: 'F' }, color: { key: 'color', arg: 'optional' } },
    });
    if (isOptError(p)) return usageError('ls', p, undefined, 2);
    const o = new Set(p.opts.map(([k]) => k));
    const long = o.has('l');
    const all = o.has('a');
    const almost = o.has('A');
    const oneCol = o.has('1') || (!ctx.interactive && !o.has('C'));
    const fs = ctx.cluster.fs;
    const busybox = hostFlavour(ctx.cluster, ctx.host) === 'busybox';
    const owner = hostUser(ctx.cluster, ctx.host);
    const now = ctx.cluster.clock.now();
    const decorate = (f: FileInfo) => (o.has('F') && f.type === 'dir' ? f.name + '/' : f.name);
    const sortEntries = (es: FileInfo[]) => {
      const s = [...es];
      if (o.has('t')) s.sort((a, b) => b.mtime - a.mtime || (a.name < b.name ? -1 : 1));
      else if (o.has('S')) s.sort((a, b) => b.size - a.size || (a.name < b.name ? -1 : 1));
      else s.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      if (o.has('r')) s.reverse();
      return s;
    };
    const longLines = (es: FileInfo[]): string => {
      const rows = es.map((f) => {
        const dir = f.type === 'dir';
        const size = o.has('h') ? human(f.size) : String(f.size);
        const date = strftime(now - f.mtime > SIX_MONTHS || f.mtime > now ? '%b %e  %Y' : '%b %e %H:%M', f.mtime);
        // a symlink (lstat): lrwxrwxrwx, its target's length, `name -> target`
        const link = f.binary?.link;
        if (link) return { mode: 'lrwxrwxrwx', links: '1', size: o.has('h') ? human(link.length) : String(link.length), date, name: `${f.name} -> ${link}` };
        return { mode: dir ? 'drwxr-xr-x' : f.binary && !f.binary.data ? '-rwxr-xr-x' : '-rw-r--r--', links: dir ? '2' : String(f.binary?.nlink ?? 1), size, date, name: decorate(f) };
      });
      const lw = Math.max(0, ...rows.map((r) => r.links.length));
      const sw = Math.max(0, ...rows.map((r) => r.size.length));
      // busybox: "%-10s %4u %-8.8s %-8.8s %9u " then ctime's "Mon dd HH:MM" (coreutils/ls.c display_single)
      if (busybox) return rows.map((r) => `${r.mode} ${r.links.padStart(4)} ${owner.padEnd(8)} ${owner.padEnd(8)} ${r.size.padStart(9)} ${r.date.replace(/  +/, ' ')} ${r.name}\n`).join('');
      return rows.map((r) => `${r.mode} ${r.links.padStart(lw)} ${owner} ${owner} ${r.size.padStart(sw)} ${r.date} ${r.name}\n`).join('');
    };
    const blocks = (es: FileInfo[]) => es.reduce((t, f) => t + (f.type === 'dir' ? 4 : f.binary?.link ? 0 : Math.ceil(f.size / 4096) * 4), 0);
    const render = (es: FileInfo[]) => (long ? longLines(es) : oneCol ? es.map((e) => decorate(e) + '\n').join('') : columns(es.map(decorate), ctx.shell.columns));

    const operands = p.operands.length ? p.operands : ['.'];
    let err = '';
    let code = 0;
    const files: FileInfo[] = [];
    const dirs: { name: string; path: string }[] = [];
    for (const op of operands) {
      const path = pathOf(ctx, op);
      const st = fs.stat(ctx.host, path);
      if (!st) {
        // busybox ls (coreutils/ls.c) reports with bb_simple_perror_msg and exits 1
        if (busybox) {
          err += `ls: ${op}: No such file or directory\n`;
          code = 1;
        } else {
          err += `ls: cannot access '${op}': No such file or directory\n`;
          code = 2;
        }
        continue;
      }
      if (st.type === 'dir' && !o.has('d')) dirs.push({ name: op, path });
      else files.push({ ...st, name: op });
    }
    let out = render(sortEntries(files));
    const listDir = (name: string, path: string, header: boolean, first: boolean) => {
      let entries = fs.list(ctx.host, path) ?? [];
      if (!all && !almost) entries = entries.filter((e) => !e.name.startsWith('.'));
      let sorted = sortEntries(entries);
      if (all) {
        const self = fs.stat(ctx.host, path)!;
        const dots = [{ ...self, name: '.' }, { ...self, name: '..' }];
        sorted = o.has('r') ? [...sorted, ...dots.reverse()] : [...dots, ...sorted];
      }
      if (header) out += `${first ? '' : '\n'}${name}:\n`;
      if (long) out += `total ${blocks(sorted)}\n`;
      out += render(sorted);
      if (o.has('R')) {
        for (const e of sortEntries(entries)) if (e.type === 'dir') listDir(`${name.replace(/\/$/, '')}/${e.name}`, e.path, true, false);
      }
    };
    const header = operands.length > 1 || o.has('R');
    dirs.sort((a, b) => (a.name < b.name ? -1 : 1)).forEach((d, i) => listDir(d.name, d.path, header, i === 0 && files.length === 0));
    return { stdout: out, stderr: err, exitCode: code };
  },
  complete(args, ctx) {
    return completeFiles(ctx.cluster.fs, ctx.shell.frame, args[args.length - 1] ?? '');
  },
};
