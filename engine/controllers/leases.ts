/**
 * Leases (coordination.k8s.io/v1) and the node heartbeats they carry.
 *
 * - Each kubelet's node lease in kube-node-lease (component-helpers/apimachinery/lease
 *   controller.go, started by pkg/kubelet/kubelet.go with leaseDurationSeconds 40 and a
 *   renew interval of NodeLeaseRenewIntervalFraction 0.25 × 40 s = 10 s, run by
 *   wait.JitterUntil with a jitter factor of 0.04): holderIdentity the node, an owner
 *   reference to the Node (kubelet's setNodeOwnerFunc), renewTime moving every ~10 s.
 * - kube-controller-manager's and kube-scheduler's leader-election leases in kube-system
 *   (client-go tools/leaderelection: leaseDuration 15 s, renewDeadline 10 s, retryPeriod
 *   2 s, so renewTime moves every 2 s; holderIdentity `<hostname>_<uuid>`).
 * - Each API server's identity lease `apiserver-<hash>` in kube-system
 *   (pkg/controlplane/apiserver/config.go: sha256 over the hostname and "kube-apiserver",
 *   base32 of its first 16 bytes; leaseDurationSeconds 3600, renewed every 10 s, labelled
 *   apiserver.kubernetes.io/identity=kube-apiserver and kubernetes.io/hostname).
 *
 * The renewals are computed on read (the store's view for Lease), not written on every
 * tick: the stored object keeps its creation, and what a read sees is the last renewal the
 * clock has passed. The Node view does the same for the kubelet's conditions'
 * lastHeartbeatTime: since NodeLease, the kubelet posts an unchanged status only every
 * nodeStatusReportFrequency (5 m), at the first status sync (every
 * nodeStatusUpdateFrequency 10 s, jittered) past it (pkg/kubelet/kubelet_node_status.go
 * tryUpdateNodeStatus). Both views keep the stored resourceVersion: the simulation spends no
 * revision on a heartbeat (a real API server does — one per renewal).
 *
 * A stopped kubelet (kubelet.ts stopProcess) renews nothing: its lease keeps the last
 * renewTime before the stop and its conditions the last heartbeat, which is what the node
 * lifecycle controller (nodelifecycle.ts) watches. A kubelet started again renews at once
 * and then every period from its start.
 */
import type { Cluster } from '../cluster/cluster';
import type { SimModule } from '../cluster/module';
import type { KubeObject, Manifest } from '../cluster/types';
import { base32, sha1, sha256Bytes, utf8 } from '../cluster/hash';
import { derivedUid } from './util';
import type { KubeletRun } from './kubelet';

/** What the leases need of the kubelets: each node's kubelet process (kubelet.ts). */
export interface KubeletRuns {
  run(node: string): KubeletRun;
}

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
/** kubelet: NodeLeaseDurationSeconds (pkg/kubelet/apis/config/v1beta1 defaults: 40). */
export const NODE_LEASE_DURATION_S = 40;
/** kubelet: renewInterval = leaseDuration × NodeLeaseRenewIntervalFraction (0.25). */
export const NODE_LEASE_RENEW_MS = 10_000;
/** kubelet: nodeStatusReportFrequency default (5 m) and nodeStatusUpdateFrequency (10 s). */
export const NODE_STATUS_REPORT_MS = 300_000;
/** leaderelection: RetryPeriod 2 s (kube-controller-manager's and kube-scheduler's --leader-elect-retry-period). */
export const LEADER_RETRY_MS = 2_000;
export const LEADER_LEASE_DURATION_S = 15;
/** controlplane: IdentityLeaseDurationSeconds 3600, IdentityLeaseRenewIntervalPeriod 10 s. */
export const APISERVER_LEASE_DURATION_S = 3600;
const KUBELET_CONDITIONS = new Set(['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready']);

/** A value from the seed and a key, in [0, mod). */
function seeded(seed: number, key: string, mod: number): number {
  return parseInt(sha1(`${seed}/${key}`).slice(0, 8), 16) % mod;
}

/** wait.JitterUntil(period, 0.04): each wait is period + up to 4 %; one seeded figure per process. */
function jitteredPeriod(seed: number, key: string, period: number): number {
  return period + seeded(seed, `period/${key}`, Math.floor(period * 0.04));
}

/** The API server's identity lease name for a host (pkg/controlplane/apiserver/config.go). */
export function apiserverIdentity(hostname: string): string {
  const lp = (s: string) => {
    const b = utf8(s);
    return [b.length >> 8, b.length & 0xff, ...b];
  };
  const hash = sha256Bytes(Uint8Array.from([...lp(hostname), ...lp('kube-apiserver')]));
  return 'apiserver-' + base32(hash.slice(0, 16)).replace(/=+$/, '').toLowerCase();
}

/** metav1.MicroTime's RFC 3339 form: six fractional digits. */
export function microTime(ms: number, micros: number): string {
  return new Date(ms).toISOString().replace(/Z$/, `${String(micros).padStart(3, '0')}Z`);
}

interface Renewal {
  /** When the holder started renewing (the lease's creation, or the kubelet's restart). */
  from: number;
  period: number;
  /** When the holder stopped renewing (a stopped kubelet). */
  until?: number;
}

interface LeaseCache {
  at: number;
  viewed: KubeObject;
}

interface NodeCache {
  created: number;
  period: number;
  at: number;
  viewed: KubeObject;
}

export class LeaseController implements SimModule {
  readonly name = 'leases';
  private leaseViews = new WeakMap<KubeObject, LeaseCache>();
  private nodeViews = new WeakMap<KubeObject, NodeCache>();

  /** A Node, Lease or Namespace changed since the last look: only then can a lease be missing. */
  private dirty = true;

  constructor(
    private cluster: Cluster,
    private kubelets?: KubeletRuns,
  ) {
    cluster.store.setView('Lease', (o) => this.viewLease(o));
    cluster.store.setView('Node', (o) => this.viewNode(o));
    cluster.store.subscribe((c) => {
      const k = c.object.kind;
      if (k === 'Node' || k === 'Lease' || k === 'Namespace') this.dirty = true;
    });
  }

  private get seed(): number {
    return this.cluster.seed;
  }

  /** The control-plane nodes (kubeadm's node-role label), whose static pods hold the kube-system leases. */
  private controlPlanes(): string[] {
    const out: string[] = [];
    for (const n of this.cluster.store.iterate('Node')) {
      if (n.metadata.labels?.['node-role.kubernetes.io/control-plane'] !== undefined) out.push(n.metadata.name);
    }
    return out.sort();
  }

  /** Creates what a starting kubelet, controller manager, scheduler and API server create: their leases. */
  reconcile(): boolean {
    if (!this.dirty) return false;
    this.dirty = false;
    const store = this.cluster.store;
    if (!store.get('Namespace', undefined, NODE_LEASE_NAMESPACE)) return false;
    let wrote = false;
    for (const node of store.iterate('Node')) {
      if (node.metadata.deletionTimestamp || store.get('Lease', NODE_LEASE_NAMESPACE, node.metadata.name)) continue;
      this.create({
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: node.metadata.name, namespace: NODE_LEASE_NAMESPACE, ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node.metadata.name, uid: node.metadata.uid }] },
        spec: { holderIdentity: node.metadata.name, leaseDurationSeconds: NODE_LEASE_DURATION_S, renewTime: this.microNow(`node/${node.metadata.name}`) },
      });
      wrote = true;
    }
    if (!this.cluster.settings.systemLayer) return wrote;
    const cps = this.controlPlanes();
    if (cps.length === 0) return wrote;
    for (const cp of cps) {
      const id = apiserverIdentity(cp);
      if (store.get('Lease', 'kube-system', id)) continue;
      this.create({
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { labels: { 'apiserver.kubernetes.io/identity': 'kube-apiserver', 'kubernetes.io/hostname': cp }, name: id, namespace: 'kube-system' },
        spec: { holderIdentity: `${id}_${this.holderUuid(id)}`, leaseDurationSeconds: APISERVER_LEASE_DURATION_S, renewTime: this.microNow(id) },
      });
      wrote = true;
    }
    for (const component of ['kube-controller-manager', 'kube-scheduler']) {
      if (store.get('Lease', 'kube-system', component)) continue;
      // the first control-plane node's instance won the election
      const now = this.microNow(component);
      this.create({
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: component, namespace: 'kube-system' },
        spec: { acquireTime: now, holderIdentity: `${cps[0]}_${this.holderUuid(component)}`, leaseDurationSeconds: LEADER_LEASE_DURATION_S, leaseTransitions: 0, renewTime: now },
      });
      wrote = true;
    }
    return wrote;
  }

  private create(m: Manifest & { metadata: { name: string; namespace: string } }): void {
    const meta = m.metadata;
    // keepStatus: the server keeps the derived uid (a UID drawn from the seeded stream would move every later draw)
    this.cluster.api.create({ ...m, metadata: { ...meta, uid: derivedUid(`Lease/${meta.namespace}/${meta.name}/${this.seed}/${this.cluster.clock.now()}`) } }, { reconcile: false, keepStatus: true });
  }

  /** uuid.NewUUID() of the process holding a lease: seeded, stable per cluster. */
  private holderUuid(key: string): string {
    return derivedUid(`holder/${this.seed}/${key}`);
  }

  private microNow(key: string): string {
    return microTime(this.cluster.clock.now(), seeded(this.seed, `micro/${key}/0`, 1000));
  }

  /** How a lease this cluster's components hold is renewed; undefined for anyone else's. */
  private renewal(lease: KubeObject): Renewal | undefined {
    const ns = lease.metadata.namespace;
    const name = lease.metadata.name;
    const from = Date.parse(String(lease.metadata.creationTimestamp ?? ''));
    if (!Number.isFinite(from)) return undefined;
    if (ns === NODE_LEASE_NAMESPACE) {
      if (!this.cluster.store.get('Node', undefined, name)) return undefined;
      const run = this.kubelets?.run(name) ?? {};
      return { from: run.since ?? from, period: jitteredPeriod(this.seed, `node/${name}`, NODE_LEASE_RENEW_MS), until: run.stoppedAt };
    }
    if (ns !== 'kube-system' || !this.cluster.settings.systemLayer) return undefined;
    if (name === 'kube-controller-manager' || name === 'kube-scheduler') return { from, period: LEADER_RETRY_MS };
    if (name.startsWith('apiserver-') && lease.metadata.labels?.['apiserver.kubernetes.io/identity'] === 'kube-apiserver') {
      return { from, period: jitteredPeriod(this.seed, name, NODE_LEASE_RENEW_MS) };
    }
    return undefined;
  }

  /** The lease as read now: renewTime at the holder's last renewal the clock has passed. */
  private viewLease(stored: KubeObject): KubeObject {
    const r = this.renewal(stored);
    if (!r) return stored;
    const now = Math.min(this.cluster.clock.now(), r.until ?? Infinity);
    const k = Math.max(0, Math.floor((now - r.from) / r.period));
    const at = r.from + k * r.period;
    const cached = this.leaseViews.get(stored);
    if (cached && cached.at === at) return cached.viewed;
    const restarted = r.from !== Date.parse(String(stored.metadata.creationTimestamp ?? ''));
    const key = `${stored.metadata.namespace}/${stored.metadata.name}${restarted ? `@${r.from}` : ''}`;
    const renewTime = microTime(at, seeded(this.seed, `micro/${key}/${k}`, 1000));
    // a renewal the holder made after the stored write (a learner's edit keeps its own time until then)
    const storedTime = Date.parse(String(stored.spec?.renewTime ?? ''));
    if (Number.isFinite(storedTime) && storedTime >= at) return stored;
    const viewed = { ...stored, spec: { ...stored.spec, renewTime } };
    this.leaseViews.set(stored, { at, viewed });
    return viewed;
  }

  /** The Node as read now: the kubelet's conditions heartbeat at its last status report. */
  private viewNode(stored: KubeObject): KubeObject {
    let c = this.nodeViews.get(stored);
    if (!c) {
      const created = Date.parse(String(stored.metadata.creationTimestamp ?? ''));
      // the report goes out at the first status sync (10 s, jittered) past nodeStatusReportFrequency
      const sync = jitteredPeriod(this.seed, `status/${stored.metadata.name}`, 10_000);
      c = { created, period: Math.ceil(NODE_STATUS_REPORT_MS / sync) * sync, at: NaN, viewed: stored };
      this.nodeViews.set(stored, c);
    }
    if (!Number.isFinite(c.created)) return stored;
    // a stopped kubelet posts nothing; one started again reports from its start
    const run = this.kubelets?.run(stored.metadata.name) ?? {};
    const from = run.since ?? c.created;
    const now = Math.min(this.cluster.clock.now(), run.stoppedAt ?? Infinity);
    const at = from + Math.max(0, Math.floor((now - from) / c.period)) * c.period;
    if (at === c.at) return c.viewed;
    c.at = at;
    const conditions = stored.status?.conditions as { type: string; lastHeartbeatTime?: string }[] | undefined;
    if (!conditions?.length) return (c.viewed = stored);
    const iso = this.cluster.clock.iso(at);
    let changed = false;
    const next = conditions.map((cond) => {
      if (!KUBELET_CONDITIONS.has(cond.type)) return cond;
      const last = Date.parse(String(cond.lastHeartbeatTime ?? ''));
      if (Number.isFinite(last) && last >= Math.floor(at / 1000) * 1000) return cond;
      changed = true;
      return { ...cond, lastHeartbeatTime: iso };
    });
    c.viewed = changed ? { ...stored, status: { ...stored.status, conditions: next } } : stored;
    return c.viewed;
  }
}
