/**
 * `vi`, `vim`, `nano FILE`: open the file in the lesson's editor (an EditRequest, like
 * `kubectl edit`). Saving writes it into this host's filesystem; closing without saving
 * changes nothing.
 */
import type { CommandOutcome } from '../../types';
import type { CommandContext, CommandSpec } from '../../shell/command';
import { pathOf } from './util';
import { dirname } from '../../hosts/vfs';

function edit(tool: string, args: string[], ctx: CommandContext): CommandOutcome {
  const files = args.filter((a) => !a.startsWith('-') && !a.startsWith('+'));
  if (files.length === 0) {
    return { stdout: '', stderr: `${tool}: the simulated terminal edits files: give a file name (${tool} FILE)\n`, exitCode: 1 };
  }
  const path = pathOf(ctx, files[0]);
  const fs = ctx.cluster.fs;
  const host = ctx.host;
  if (fs.isDir(host, path)) return { stdout: '', stderr: tool === 'nano' ? `"${files[0]}" is a directory\n` : `"${files[0]}" is a directory\n`, exitCode: 1 };
  // a binary file a command wrote (a pcap savefile): no bytes to show
  if (fs.binaryAt(host, path)?.data) return { stdout: '', stderr: `${tool}: ${files[0]}: binary file (not shown in this simulation)\n`, exitCode: 1 };
  return {
    editing: true,
    path,
    content: fs.read(host, path) ?? '',
    finish(saved) {
      if (saved === null) return { stdout: '', stderr: '', exitCode: 0 };
      if (!fs.isDir(host, dirname(path))) {
        return { stdout: '', stderr: tool === 'nano' ? `[ Error writing ${files[0]}: No such file or directory ]\n` : `"${files[0]}" E212: Can't open file for writing\n`, exitCode: 1 };
      }
      fs.write(host, path, saved);
      return { stdout: '', stderr: '', exitCode: 0 };
    },
  };
}

export const vi: CommandSpec = { name: 'vi', summary: 'screen-oriented text editor (opens the editor pane)', run: (a, c) => edit('vi', a, c) };
export const vim: CommandSpec = { name: 'vim', summary: 'Vi IMproved (opens the editor pane)', run: (a, c) => edit('vim', a, c) };
export const nano: CommandSpec = { name: 'nano', summary: 'small text editor (opens the editor pane)', run: (a, c) => edit('nano', a, c) };
