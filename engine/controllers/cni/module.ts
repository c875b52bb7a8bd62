/**
 * The CNI's mutable state: which interface index the kernel handed each device.
 * A real kernel numbers links in creation order (dev_new_index) and never reuses an
 * index soon, so a pod's veth keeps its number while it lives and a new pod gets the
 * next one. We keep that order per node here, driven by Pod changes, and carry it
 * through snapshots.
 */
import type { ClusterRuntime } from '../runtime';
import type { SimModule } from '../../cluster/module';
import type { Cluster } from '../../cluster/cluster';
import type { KubeObject } from '../../cluster/types';
import { clusterNodes, hasSandbox } from './topology';
import { cniPlugin } from './registry';

export interface PodAlloc {
  namespace: string;
  name: string;
  uid: string;
  /** Host-side veth ifindex. */
  ifindex: number;
  /** netns id of the pod's namespace as the host sees it (`link-netnsid`). */
  netnsid: number;
}

export interface NodeAlloc {
  next: number;
  /** Fixed devices (lo, eth0, flannel.1, cni0, …) → ifindex. */
  devices: Record<string, number>;
  /** pod uid → allocation */
  pods: Record<string, PodAlloc>;
  /** netns ids: the next never-used one, and freed ones below it (ascending). */
  netnsNext?: number;
  netnsFree?: number[];
}

export interface CniState {
  nodes: Record<string, NodeAlloc>;
}

export class CniModule implements SimModule {
  readonly name = 'cni';
  state: CniState = { nodes: {} };
  private dirty = new Set<string>();
  private fullScan = true;
  private unsubscribe?: () => void;

  constructor(private cluster: Cluster) {}

  init(): void {
    this.unsubscribe?.();
    this.unsubscribe = this.cluster.store.subscribe((c) => {
      if (c.object.kind === 'Pod') this.dirty.add(`${c.object.metadata.namespace}/${c.object.metadata.name}`);
      else if (c.object.kind === 'Node' && (c.type !== 'MODIFIED' || c.old?.spec?.podCIDR !== c.object.spec?.podCIDR)) this.fullScan = true;
      else if (cniPlugin(this.cluster.settings).configSources.some((o) => o.kind === c.object.kind && o.name === c.object.metadata.name)) this.fullScan = true;
    });
    this.fullScan = true;
  }

  reconcile(): boolean {
    if (!this.fullScan && this.dirty.size === 0) return false;
    const nodes = clusterNodes(this.cluster);
    for (const n of nodes) this.node(n.name);
    if (this.fullScan) {
      this.reindex();
      const live = new Set<string>();
      const fresh: KubeObject[] = [];
      for (const p of this.cluster.store.iterate('Pod')) {
        if (!hasSandbox(p)) continue;
        live.add(p.metadata.uid);
        fresh.push(p);
      }
      for (const n of Object.values(this.state.nodes)) {
        for (const [uid, a] of Object.entries(n.pods)) if (!live.has(uid)) this.drop(n, uid, a);
      }
      fresh.sort(byName);
      for (const p of fresh) this.allocate(p);
    } else {
      const changed: KubeObject[] = [];
      for (const key of this.dirty) {
        const [ns, name] = key.split('/');
        const p = this.cluster.store.get('Pod', ns, name);
        const held = this.byKey.get(key);
        if (held && (!p || !hasSandbox(p) || p.metadata.uid !== held.uid || p.spec?.nodeName !== held.node)) {
          const n = this.state.nodes[held.node];
          const a = n?.pods[held.uid];
          if (n && a) this.drop(n, held.uid, a);
          else this.byKey.delete(key);
        }
        if (p && hasSandbox(p)) changed.push(p);
      }
      changed.sort(byName);
      for (const p of changed) this.allocate(p);
    }
    this.dirty.clear();
    this.fullScan = false;
    return false;
  }

  /** ns/name → where the pod's allocation lives (derived; rebuilt after a restore). */
  private byKey = new Map<string, { node: string; uid: string }>();

  private reindex(): void {
    this.byKey.clear();
    for (const [node, n] of Object.entries(this.state.nodes)) {
      for (const [uid, a] of Object.entries(n.pods)) this.byKey.set(`${a.namespace}/${a.name}`, { node, uid });
    }
  }

  /** Lowest free netns id: ids below `netnsNext` not in use are kept in `netnsFree` (ascending). */
  private takeNetnsid(n: NodeAlloc): number {
    if (n.netnsNext === undefined) {
      const used = Object.values(n.pods).map((a) => a.netnsid);
      n.netnsNext = used.length ? Math.max(...used) + 1 : 0;
      const set = new Set(used);
      n.netnsFree = [];
      for (let i = 0; i < n.netnsNext; i++) if (!set.has(i)) n.netnsFree.push(i);
    }
    if (n.netnsFree?.length) return n.netnsFree.shift()!;
    return n.netnsNext++;
  }

  private drop(n: NodeAlloc, uid: string, a: PodAlloc): void {
    if (n.netnsNext !== undefined) {
      const free = (n.netnsFree ??= []);
      let i = 0;
      while (i < free.length && free[i] < a.netnsid) i++;
      free.splice(i, 0, a.netnsid);
    }
    delete n.pods[uid];
    const key = `${a.namespace}/${a.name}`;
    if (this.byKey.get(key)?.uid === uid) this.byKey.delete(key);
  }

  /** Allocations on a node, in ifindex order. */
  podAllocs(node: string): PodAlloc[] {
    return Object.values(this.state.nodes[node]?.pods ?? {}).sort((a, b) => a.ifindex - b.ifindex);
  }

  /** The node's allocation, creating its boot-time devices on first sight. */
  node(name: string): NodeAlloc {
    let n = this.state.nodes[name];
    if (!n) {
      n = { next: 1, devices: {}, pods: {} };
      this.state.nodes[name] = n;
    }
    // boot-time devices, and any the plugin's configuration calls for later (flannel
    // switched to vxlan, calico to VXLAN): a new device takes the next index
    for (const dev of this.bootDevices()) if (n.devices[dev] === undefined) n.devices[dev] = n.next++;
    return n;
  }

  /** Devices a node has from boot (before any pod), in creation order. */
  private bootDevices(): string[] {
    const out = ['lo', 'eth0'];
    if (this.cluster.settings.proxyMode === 'ipvs') out.push('kube-ipvs0');
    out.push(...cniPlugin(this.cluster.settings).bootDevices(this.cluster));
    return out;
  }

  private allocate(p: KubeObject): void {
    const n = this.node(p.spec.nodeName);
    const uid = p.metadata.uid;
    if (n.pods[uid]) return;
    // a bridge that is not a boot device (flannel's cni0) comes with the first pod
    const bridge = cniPlugin(this.cluster.settings).bridge;
    if (bridge && n.devices[bridge] === undefined) n.devices[bridge] = n.next++;
    // the kernel hands out the lowest free netns id (peernet2id_alloc → idr_alloc)
    const netnsid = this.takeNetnsid(n);
    n.pods[uid] = { namespace: p.metadata.namespace!, name: p.metadata.name, uid, ifindex: n.next++, netnsid };
    this.byKey.set(`${p.metadata.namespace}/${p.metadata.name}`, { node: p.spec.nodeName, uid });
  }

  podAlloc(node: string, uid: string): PodAlloc | undefined {
    return this.state.nodes[node]?.pods[uid];
  }

  snapshot(): unknown {
    return structuredClone(this.state);
  }

  restore(data: unknown): void {
    this.state = data ? (structuredClone(data) as CniState) : { nodes: {} };
    this.fullScan = true;
  }
}

function byName(a: KubeObject, b: KubeObject): number {
  const ka = `${a.metadata.namespace}/${a.metadata.name}`;
  const kb = `${b.metadata.namespace}/${b.metadata.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** The CNI module of a simulation (allocations are brought up to date first). */
export function cniModule(cluster: ClusterRuntime): CniModule {
  const m = cluster.cni;
  m.reconcile();
  return m;
}
