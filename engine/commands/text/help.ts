/** `help`: the commands this host has, with their summaries (Netlab's own help, derived from the registry). */
import type { CommandSpec } from '../../shell/command';
import { hostImage, hostName, hostTools } from '../../hosts/hosts';
import { isUnmodelled } from '../net/catalog/unmodelled';

export const help: CommandSpec = {
  name: 'help',
  summary: 'list the commands available here',
  run(args, ctx) {
    const tools = [...hostTools(ctx.cluster, ctx.host)].sort();
    const specs = tools.map((t) => ctx.commands.find(t)).filter((s): s is CommandSpec => !!s);
    if (args.length) {
      let out = '';
      let err = '';
      for (const a of args) {
        const s = specs.find((x) => x.name === a);
        if (s) out += `${s.name} - ${s.summary}\n`;
        else err += `bash: help: no help topics match \`${a}'.  Try \`help help' or \`man -k ${a}' or \`info ${a}'.\n`;
      }
      return { stdout: out, stderr: err, exitCode: err ? 1 : 0 };
    }
    const where = ctx.host.kind === 'workstation' ? 'the workstation' : ctx.host.kind === 'node' ? `node ${ctx.host.node}` : `container ${ctx.host.container} of pod ${hostName(ctx.cluster, ctx.host)} (image ${hostImage(ctx.cluster, ctx.host) ?? 'unknown'})`;
    // the simulated commands with their summaries; the image's other binaries (busybox's 400
    // applets, netshoot's toolbox) by name only, as the catalog lists them
    const simulated = specs.filter((s) => !isUnmodelled(s));
    const others = specs.filter((s) => isUnmodelled(s)).map((s) => s.name);
    const width = Math.max(...simulated.map((s) => s.name.length), 0) + 2;
    const body = simulated.map((s) => `  ${s.name.padEnd(width)}${s.summary}`).join('\n');
    const rest = others.length ? `\n\nAlso installed here, not simulated:\n${wrap(others.join(' '), 78, '  ')}` : '';
    return { stdout: `Commands available on ${where}:\n\n${body}${rest}\n`, stderr: '', exitCode: 0 };
  },
};

function wrap(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const w of text.split(' ')) {
    if (line && indent.length + line.length + 1 + w.length > width) {
      lines.push(indent + line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(indent + line);
  return lines.join('\n');
}
