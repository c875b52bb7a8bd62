import type { CommandContext } from '../../../shell/command';

/** The per-process prefix of openssl 3.0's error-queue lines (a thread id: "40A7F707D87F0000"). */
export function threadId(ctx: CommandContext): string {
  return `40${ctx.cluster.rng.hex(6).toUpperCase()}${ctx.cluster.rng.hex(2).toUpperCase()}7F0000`;
}
