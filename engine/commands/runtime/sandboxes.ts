/**
 * The Pod sandboxes containerd's CRI plugin holds on a node: one per Pod bound to it whose
 * sandbox the kubelet started, with the ID containerd gave it. crictl, the process table
 * and the journal all read them here.
 */
import type { KubeObject } from '../../cluster/types';
import type { KindStore } from '../../cluster/store';
import { sha256 } from '../../cluster/hash';
import { sandboxSeed } from '../../controllers/cni/netdev';
import { parseImage } from '../../controllers/images';

/** The sandbox ID containerd gave the Pod (64 hex digits; stable for one Pod object). */
export function sandboxId(pod: KubeObject): string {
  return sha256(`sandbox/${sandboxSeed(pod)}`);
}

export interface Sandbox {
  id: string;
  created: number;
  state: 'Ready' | 'NotReady';
  name: string;
  namespace: string;
}

/** The Pod sandboxes containerd holds on a node, newest first (a stopped one stays until its Pod goes). */
export function sandboxesOn(cluster: { store: KindStore }, node: string): { sandbox: Sandbox; pod: KubeObject }[] {
  const out: { sandbox: Sandbox; pod: KubeObject }[] = [];
  for (const pod of cluster.store.iterate('Pod')) {
    if (pod.spec?.nodeName !== node || !pod.status?.startTime) continue;
    // a finished Pod's sandbox is stopped (NotReady) until the Pod object goes
    const done = pod.status.phase === 'Succeeded' || pod.status.phase === 'Failed';
    const started = (pod.status.containerStatuses ?? []).some((c: { state?: { waiting?: { reason?: string } } }) => c.state?.waiting?.reason !== 'ContainerCreating');
    if (!started && !done) continue;
    out.push({
      pod,
      sandbox: { id: sandboxId(pod), created: Date.parse(pod.status.startTime), state: done ? 'NotReady' : 'Ready', name: pod.metadata.name, namespace: pod.metadata.namespace ?? 'default' },
    });
  }
  return out.sort((a, b) => b.sandbox.created - a.sandbox.created || (a.sandbox.id < b.sandbox.id ? -1 : 1));
}


/** An image's ID (the digest of its config), as the CRI reports it without `sha256:`. */
export function imageId(image: string): string {
  return sha256(`image-config/${parseImage(image).full}`);
}

export interface CriContainer {
  id: string;
  image: string;
  created: number;
  state: 'Running' | 'Exited' | 'Created';
  name: string;
  attempt: number;
  podId: string;
  pod: string;
  namespace: string;
  /** The Pod status entry it comes from, and whether it is that entry's current run (else the previous one). */
  status: CriStatus;
  current: boolean;
  /** A finished run's end and exit code. */
  finished?: number;
  exitCode?: number;
}

type Terminated = { startedAt?: string; finishedAt?: string; containerID?: string; exitCode?: number; reason?: string };

export type CriStatus = {
  name: string;
  image?: string;
  containerID?: string;
  restartCount?: number;
  state?: { running?: { startedAt?: string }; terminated?: Terminated; waiting?: unknown };
  lastState?: { terminated?: Terminated };
};

/** The containers containerd holds in a sandbox: each status's current run and the one before it (kept for logs --previous). */
export function containersOf(pod: KubeObject, sb: Sandbox): CriContainer[] {
  const out: CriContainer[] = [];
  const specs: { name: string; image?: string }[] = pod.spec?.containers ?? [];
  for (const st of (pod.status?.containerStatuses ?? []) as CriStatus[]) {
    const image = imageId(specs.find((c) => c.name === st.name)?.image ?? st.image ?? '');
    const base = { image, name: st.name, podId: sb.id, pod: sb.name, namespace: sb.namespace, status: st };
    const end = (t?: Terminated) => ({ finished: Date.parse(t?.finishedAt ?? ''), exitCode: t?.exitCode ?? 0 });
    const attempt = st.restartCount ?? 0;
    const cid = (s?: string) => (s ?? '').replace(/^[a-z]+:\/\//, '');
    if (st.state?.running && st.containerID) {
      out.push({ ...base, id: cid(st.containerID), created: Date.parse(st.state.running.startedAt ?? ''), state: 'Running', attempt, current: true });
    } else if (st.state?.terminated) {
      out.push({ ...base, id: cid(st.state.terminated.containerID ?? st.containerID), created: Date.parse(st.state.terminated.startedAt ?? ''), state: 'Exited', attempt, current: true, ...end(st.state.terminated) });
    }
    // the run before this one, kept for `kubectl logs --previous` (or the one a restart is waiting to replace)
    const last = st.lastState?.terminated;
    if (last?.containerID) out.push({ ...base, id: cid(last.containerID), created: Date.parse(last.startedAt ?? ''), state: 'Exited', attempt: st.state?.waiting ? attempt : Math.max(0, attempt - 1), current: false, ...end(last) });
  }
  return out;
}

