/** `help`: the commands this host has, with their summaries (Netlab's own help, derived from the registry). */
import type { CommandSpec } from '../../shell/command';
import { hostImage, hostName, hostTools } from '../../hosts/hosts';

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
    const width = Math.max(...specs.map((s) => s.name.length), 0) + 2;
    const body = specs.map((s) => `  ${s.name.padEnd(width)}${s.summary}`).join('\n');
    return { stdout: `Commands available on ${where}:\n\n${body}\n`, stderr: '', exitCode: 0 };
  },
};
