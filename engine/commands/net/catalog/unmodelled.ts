/**
 * A tool the host really has (the image catalog, hosts/images.ts, or a node's toolset) that
 * this simulation does not model: it says so plainly instead of pretending the binary is
 * missing. "command not found" / "executable file not found in $PATH" stay for tools the
 * image does not ship — `which` and `type` find these, so a learner is not taught that
 * netshoot lacks mtr.
 *
 * Exit status 1, not 127 or 126: those are the shell's own "not found" and "cannot
 * execute", which would contradict `which mtr`; the program is there and did not do its job.
 * The `netlab:` prefix marks the simulator speaking (as the line budget's "netlab: stopped").
 */
import type { CommandSpec } from '../../../shell/command';

const made = new WeakSet<CommandSpec>();

/** Is this the catalog's stand-in for an installed tool the simulation does not model? */
export function isUnmodelled(spec: CommandSpec): boolean {
  return made.has(spec);
}

export function unmodelledCommand(name: string): CommandSpec {
  const spec: CommandSpec = {
    name,
    summary: `${name} (installed, not simulated)`,
    run: (_args, ctx) => {
      const where = ctx.host.kind === 'node' ? 'on this node' : ctx.host.kind === 'pod' ? 'in this image' : 'here';
      return { stdout: '', stderr: `netlab: ${name} is installed ${where} but is not simulated here\n`, exitCode: 1 };
    },
  };
  made.add(spec);
  return spec;
}
