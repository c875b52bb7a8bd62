/**
 * The virtual filesystem. Each host (the workstation, each node, each pod) has its own
 * tree. Files a learner writes are stored; system files (/etc/resolv.conf, /etc/cni/net.d/…)
 * are derived on read from the cluster's state by providers that other rooms register.
 * (The shell room owns this file and grows it.)
 */
import type { Simulation } from '../simulation';
import type { HostRef } from '../types';

export const HOME = '/home/learner';

export function hostId(host: HostRef): string {
  switch (host.kind) {
    case 'workstation':
      return 'workstation';
    case 'node':
      return `node/${host.node}`;
    case 'pod':
      return `pod/${host.namespace}/${host.pod}`;
  }
}

export class VirtualFS {
  /** hostId → absolute path → content */
  private files: Record<string, Record<string, string>> = {};

  constructor(private sim: Simulation) {}

  seed(files: Record<string, string>): void {
    for (const [p, c] of Object.entries(files)) this.write({ kind: 'workstation' }, p.startsWith('/') ? p : `${HOME}/${p}`, c);
  }

  read(host: HostRef, path: string): string | undefined {
    return this.files[hostId(host)]?.[path];
  }

  write(host: HostRef, path: string, content: string): void {
    const id = hostId(host);
    (this.files[id] ??= {})[path] = content;
    this.sim.emit({ type: 'files', paths: [path] });
  }

  snapshot(): unknown {
    return structuredClone(this.files);
  }

  restore(data: unknown): void {
    this.files = structuredClone((data ?? {}) as Record<string, Record<string, string>>);
  }
}
