/**
 * Registers the CNI's derived files (/etc/cni/net.d/*, /run/flannel/subnet.env) with the
 * virtual filesystem, once the shell room's provider API (`sim.fs.provide`) exists.
 */
import type { Simulation } from '../../simulation';

export function registerCniFiles(_sim: Simulation): void {
  // wired in a later commit, when engine/shell/vfs.ts grows `provide`
}
