/**
 * calico-ipam: addresses come from an IPPool in blocks (a /26 by default) that a node
 * claims; the state lives in the API as crd.projectcalico.org/v1 objects, and everything
 * here reads it back from the store (so a restore needs nothing else).
 *
 * - IPPool `default-ipv4-ippool`: calico-node creates it at start from CALICO_IPV4POOL_CIDR
 *   (node/pkg/lifecycle/startup/startup.go createIPPool; ipipMode/vxlanMode from
 *   CALICO_IPV4POOL_IPIP|VXLAN, natOutgoing, blockSize 26, nodeSelector all()), with the
 *   `projectcalico.org/metadata` annotation the v3→CRD conversion writes
 *   (libcalico-go/lib/backend/k8s/resources/resources.go ConvertCalicoResourceToK8sResource).
 * - BlockAffinity `<node>-<cidr-name>` (state confirmed, deleted "false") and IPAMBlock
 *   `<cidr-name>` (names.CIDRToName: dots and the slash become dashes;
 *   libcalico-go/lib/backend/k8s/resources/ipam_affinity_v1.go, ipam_block.go). A block
 *   (libcalico-go/lib/ipam/ipam_block.go newBlock) starts with every ordinal in `unallocated`
 *   in order and `sequenceNumber` = the creation time in ns; autoAssign takes the first
 *   unallocated ordinals, records the attribute index in `allocations` and the block's
 *   sequence number per ordinal; release puts the ordinal back at the end of `unallocated`
 *   and drops attributes nothing points at any more.
 * - calico-node's tunnel address (node/pkg/allocateip/allocateip.go): handle
 *   `ipip-tunnel-addr-<node>` (`vxlan-tunnel-addr-<node>`), attributes node and type
 *   ipipTunnelAddress (vxlanTunnelAddress). Being the first thing a node asks for, it is
 *   the first address of the node's first block.
 * - The CNI plugin's pod addresses (cni-plugin/pkg/ipamplugin/ipam_plugin.go): handle
 *   `k8s-pod-network.<sandbox id>`, attributes namespace, node, pod and timestamp
 *   (Go's time.Now().UTC().String()).
 *
 * Upstream picks a node's next block at random within the pool (ipam_block_reader_writer.go
 * randomBlockGenerator); here nodes claim the lowest free block, so node i (in node order)
 * holds the pool's i-th /26 from the start and a node whose blocks are full takes the next
 * free one. Blocks are never given back while a node lives (upstream releases empty ones
 * only under IPAM GC).
 */
import type { Cluster } from '../../../../cluster/cluster';
import type { SimModule } from '../../../../cluster/module';
import type { KubeObject, Manifest } from '../../../../cluster/types';
import { cidrContains, cidrText, formatIPv4, isIPv4, parseCidr, parseIPv4, type Cidr } from '../../../../cluster/ipv4';
import { sha256 } from '../../../../cluster/hash';
import { derivedUid } from '../../../util';
import { macFor, sandboxSeed } from '../../netdev';
import { perRevision } from '../../memo';
import { clusterNodes, hasSandbox, type NodeInfo } from '../../topology';
import { calicoConfig } from './config';

export const CALICO_GROUP = 'crd.projectcalico.org';
export const IPAM_BLOCK_CRD = `ipamblocks.${CALICO_GROUP}`;
export const DEFAULT_POOL = 'default-ipv4-ippool';
/** calico-node's VERSION (the image calico.yaml v3.28.2 runs). */
const CALICO_VERSION = 'v3.28.2';
const API_VERSION = `${CALICO_GROUP}/v1`;

interface Attribute {
  handle_id?: string;
  secondary?: Record<string, string>;
}

interface BlockSpec {
  affinity?: string;
  allocations: (number | null)[];
  attributes: Attribute[];
  cidr: string;
  deleted: boolean;
  sequenceNumber: number;
  sequenceNumberForAllocation: Record<string, number>;
  strictAffinity: boolean;
  unallocated: number[];
}

/** Does the cluster keep Calico's IPAM (its CRDs are registered, as calico.yaml does)? Without them pods fall back to host-local from spec.podCIDR. */
export function calicoIpamOn(cluster: Cluster): boolean {
  return cluster.store.get('CustomResourceDefinition', undefined, IPAM_BLOCK_CRD) !== undefined;
}

/** names.CIDRToName */
export function cidrName(cidr: string): string {
  return cidr.replace(/[./]/g, '-');
}

/** The pool blocks come from: the default IPPool, else what calico-node would create it from. */
export function calicoPool(cluster: Cluster): { cidr: Cidr; blockSize: number } {
  const pool = cluster.store.get('IPPool', undefined, DEFAULT_POOL);
  const cidr = parseCidr(String(pool?.spec?.cidr ?? '')) ?? parseCidr(poolCidrSetting(cluster)) ?? parseCidr('10.244.0.0/16')!;
  const size = Number(pool?.spec?.blockSize);
  return { cidr, blockSize: Number.isInteger(size) && size >= cidr.prefix && size <= 32 ? size : Math.max(26, cidr.prefix) };
}

function poolCidrSetting(cluster: Cluster): string {
  const ds = cluster.store.get('DaemonSet', 'kube-system', 'calico-node');
  for (const c of (ds?.spec?.template?.spec?.containers ?? []) as { env?: { name: string; value?: string }[] }[]) {
    const v = c.env?.find((e) => e.name === 'CALICO_IPV4POOL_CIDR')?.value;
    if (v) return v;
  }
  return cluster.settings.podCIDR;
}

interface Block {
  obj: KubeObject;
  spec: BlockSpec;
  cidr: Cidr;
  text: string;
  host?: string;
  /** handle → its attribute index (findOrAddAttribute's lookup). */
  handles: Map<string, number>;
  /** The calico-node tunnel-address handles among them (a few per pool). */
  tunnels: string[];
}

interface BlockIndex {
  /** By block CIDR text. */
  blocks: Map<string, Block>;
  /** Node → its affine blocks, lowest address first. */
  byNode: Map<string, string[]>;
  /** Tunnel-address handle → the blocks recording it: calico-node's start asks for every node's. */
  tunnels: Map<string, Block[]>;
}

// Objects in the store are never changed in place (a write replaces them), so what a block
// says is read once per object: the index of a revision only regroups them. A pod's address
// changes one block; rereading them all, attributes and all, made a 20,000-pod start quadratic.
const parsed = new WeakMap<KubeObject, Block | null>();
function readBlock(obj: KubeObject): Block | null {
  let b = parsed.get(obj);
  if (b !== undefined) return b;
  const spec = obj.spec as BlockSpec;
  const cidr = parseCidr(String(spec?.cidr ?? ''));
  // a block someone edited out of shape is one calico-ipam cannot read: it is left alone
  if (!cidr || !Array.isArray(spec.allocations) || !Array.isArray(spec.unallocated) || !Array.isArray(spec.attributes)) b = null;
  else {
    const handles = new Map<string, number>();
    const tunnels: string[] = [];
    spec.attributes.forEach((a, i) => {
      if (typeof a?.handle_id !== 'string' || handles.has(a.handle_id)) return;
      handles.set(a.handle_id, i);
      if (isTunnelHandle(a.handle_id)) tunnels.push(a.handle_id);
    });
    const host = typeof spec.affinity === 'string' && spec.affinity.startsWith('host:') ? spec.affinity.slice(5) : undefined;
    b = { obj, spec, cidr, text: cidrText(cidr), host, handles, tunnels };
  }
  parsed.set(obj, b);
  return b;
}

const index = perRevision((cluster: Cluster): BlockIndex => {
  const blocks: BlockIndex['blocks'] = new Map();
  const byNode = new Map<string, string[]>();
  const networks = new Map<string, number>();
  const tunnels = new Map<string, Block[]>();
  for (const obj of cluster.store.iterate('IPAMBlock')) {
    const b = readBlock(obj);
    if (!b) continue;
    blocks.set(b.text, b);
    for (const h of b.tunnels) {
      const list = tunnels.get(h);
      if (list) list.push(b);
      else tunnels.set(h, [b]);
    }
    networks.set(b.text, b.cidr.network);
    if (!b.host) continue;
    const list = byNode.get(b.host);
    if (list) list.push(b.text);
    else byNode.set(b.host, [b.text]);
  }
  for (const list of byNode.values()) if (list.length > 1) list.sort((a, b) => networks.get(a)! - networks.get(b)!);
  return { blocks, byNode, tunnels };
});

/** The blocks holding an address for `handle`, with the handle's attribute index in each. */
function blocksOf(cluster: Cluster, handle: string): { b: Block; attr: number }[] {
  const out: { b: Block; attr: number }[] = [];
  const { blocks, tunnels } = index(cluster);
  for (const b of isTunnelHandle(handle) ? (tunnels.get(handle) ?? []) : blocks.values()) {
    const attr = b.handles.get(handle);
    if (attr !== undefined) out.push({ b, attr });
  }
  return out;
}

/** The blocks affine to `node`, lowest first. */
export function calicoNodeBlocks(cluster: Cluster, node: string): string[] {
  return index(cluster).byNode.get(node) ?? [];
}

/** The node whose affine block holds `ip`. */
export function calicoBlockOwner(cluster: Cluster, ip: string): string | undefined {
  for (const [node, blocks] of index(cluster).byNode) if (blocks.some((b) => cidrContains(b, ip))) return node;
  return undefined;
}

function tunnelHandle(node: string, encap: 'ipip' | 'vxlan'): string {
  return `${encap}-tunnel-addr-${node}`;
}

function isTunnelHandle(h: string): boolean {
  return h.startsWith('ipip-tunnel-addr-') || h.startsWith('vxlan-tunnel-addr-');
}

/** The address calico-node gave the node's tunnel device (tunl0, vxlan.calico), if it has one. */
export function calicoTunnelAddress(cluster: Cluster, node: string, encap: 'ipip' | 'vxlan'): string | undefined {
  for (const { b, attr } of blocksOf(cluster, tunnelHandle(node, encap))) {
    const ord = b.spec.allocations.indexOf(attr);
    if (ord >= 0) return formatIPv4(b.cidr.network + ord);
  }
  return undefined;
}

/** A node's tunnel address (tunl0's or vxlan.calico's); before calico-ipam is in service, its podCIDR's network address. */
export function nodeTunnelAddress(cluster: Cluster, node: NodeInfo, encap: 'ipip' | 'vxlan'): string | undefined {
  if (calicoIpamOn(cluster)) return calicoTunnelAddress(cluster, node.name, encap);
  const c = parseCidr(node.podCIDR);
  return c ? formatIPv4(c.network) : undefined;
}

/** The sandbox ID containerd gives a Pod (as `crictl pods` shows it: commands/runtime/crictl.ts sandboxId). */
export function podSandboxId(pod: KubeObject): string {
  return sha256(`sandbox/${sandboxSeed(pod)}`);
}

/** cni-plugin utils.GetHandleID: the network name and the container (sandbox) ID. */
export function podHandle(pod: KubeObject): string {
  return `k8s-pod-network.${podSandboxId(pod)}`;
}

/** Go's time.Time.String() in UTC: `2006-01-02 15:04:05.999999999 +0000 UTC`. */
function goTime(cluster: Cluster): string {
  const iso = cluster.clock.iso();
  const ms = cluster.clock.now() % 1000;
  const frac = ms ? `.${String(ms).padStart(3, '0')}`.replace(/0+$/, '') : '';
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${frac} +0000 UTC`;
}

// ---- writing the state -------------------------------------------------------------

function create(cluster: Cluster, m: Manifest): void {
  const meta = m.metadata ?? {};
  cluster.api.create({ ...m, metadata: { ...meta, uid: derivedUid(`${m.kind}/${meta.name}/${cluster.clock.now()}`), creationTimestamp: cluster.clock.iso() } }, { reconcile: false, keepStatus: true });
}

function writeBlock(cluster: Cluster, obj: KubeObject, spec: BlockSpec): void {
  cluster.api.update({ ...obj, spec: sortedSpec(spec) }, { reconcile: false });
}

/** The API server returns a custom resource's fields in key order (unstructured JSON). */
function sortedSpec(spec: BlockSpec): BlockSpec {
  const { affinity, allocations, attributes, cidr, deleted, sequenceNumber, sequenceNumberForAllocation, strictAffinity, unallocated } = spec;
  return { ...(affinity !== undefined ? { affinity } : {}), allocations, attributes, cidr, deleted, sequenceNumber, sequenceNumberForAllocation, strictAffinity, unallocated };
}

/** calico-node's start: the default IPPool, unless one exists. */
function ensurePool(cluster: Cluster): void {
  if (cluster.store.get('IPPool', undefined, DEFAULT_POOL)) return;
  const { encap } = calicoConfig(cluster);
  const cidr = parseCidr(poolCidrSetting(cluster)) ?? parseCidr(cluster.settings.podCIDR)!;
  create(cluster, {
    apiVersion: API_VERSION,
    kind: 'IPPool',
    metadata: { annotations: { 'projectcalico.org/metadata': '{"creationTimestamp":null}' }, name: DEFAULT_POOL },
    spec: {
      allowedUses: ['Workload', 'Tunnel'],
      blockSize: 26,
      cidr: cidrText(cidr),
      ipipMode: encap === 'ipip' ? 'Always' : 'Never',
      natOutgoing: true,
      nodeSelector: 'all()',
      vxlanMode: encap === 'vxlan' ? 'Always' : 'Never',
    },
  });
}

/**
 * getPendingAffinity then claimAffineBlock (libcalico-go/lib/ipam/ipam_block_reader_writer.go):
 * the affinity is created `pending`, the block created, then the affinity confirmed.
 * The block is the lowest of the pool nobody holds.
 */
function claimBlock(cluster: Cluster, node: string, want?: Cidr): string | undefined {
  const { cidr: pool, blockSize } = calicoPool(cluster);
  const size = 2 ** (32 - blockSize);
  const taken = index(cluster).blocks;
  let block: Cidr | undefined = want;
  if (!block) {
    const count = 2 ** (blockSize - pool.prefix);
    for (let i = 0; i < count; i++) {
      const c = { network: (pool.network + i * size) >>> 0, prefix: blockSize };
      if (!taken.has(cidrText(c))) {
        block = c;
        break;
      }
    }
  }
  if (!block) return undefined;
  const text = cidrText(block);
  const affinity = `${node}-${cidrName(text)}`;
  create(cluster, { apiVersion: API_VERSION, kind: 'BlockAffinity', metadata: { name: affinity }, spec: { cidr: text, deleted: 'false', node, state: 'pending' } });
  create(cluster, {
    apiVersion: API_VERSION,
    kind: 'IPAMBlock',
    metadata: { name: cidrName(text) },
    spec: sortedSpec({
      affinity: `host:${node}`,
      allocations: Array.from({ length: size }, () => null),
      attributes: [],
      cidr: text,
      deleted: false,
      // uint64(time.Now().UnixNano())
      sequenceNumber: cluster.clock.now() * 1_000_000,
      sequenceNumberForAllocation: {},
      strictAffinity: false,
      unallocated: Array.from({ length: size }, (_, i) => i),
    }),
  });
  const pending = cluster.store.get('BlockAffinity', undefined, affinity);
  if (pending) cluster.api.update({ ...pending, spec: { ...pending.spec, state: 'confirmed' } }, { reconcile: false });
  return text;
}

/** Records `ordinal` of the block for `handle` (findOrAddAttribute, SetSequenceNumberForOrdinal). */
function take(cluster: Cluster, blockCidr: string, ordinal: number, handle: string, secondary: Record<string, string>): string {
  const b = index(cluster).blocks.get(blockCidr)!;
  const spec = structuredClone(b.spec);
  let attr = spec.attributes.findIndex((a) => a.handle_id === handle);
  if (attr < 0) {
    attr = spec.attributes.length;
    spec.attributes.push({ handle_id: handle, secondary });
  }
  spec.allocations[ordinal] = attr;
  spec.unallocated = spec.unallocated.filter((o) => o !== ordinal);
  spec.sequenceNumberForAllocation = { ...spec.sequenceNumberForAllocation, [String(ordinal)]: spec.sequenceNumber };
  writeBlock(cluster, b.obj, spec);
  // allocationHandle.incrementBlock, after the block's write (ipam.go assignFromExistingBlock)
  const h = readHandle(cluster, handle);
  writeHandle(cluster, handle, { ...(h ?? {}), [blockCidr]: (h?.[blockCidr] ?? 0) + 1 });
  return formatIPv4(b.cidr.network + ordinal);
}

// ---- IPAMHandles -----------------------------------------------------------------------
//
// libcalico-go/lib/ipam/ipam_handle.go and lib/backend/k8s/resources/ipam_handle.go: one
// IPAMHandle per handle, named by the handle ID lower-cased, spec.block the number of
// addresses the handle holds in each block (by CIDR); an address taken adds one, a release
// takes them off and a handle holding nothing is deleted (marked `deleted: true` first, then
// deleted: here the one delete). The blocks stay the source of truth: a full sync rewrites
// any handle that disagrees with them (handlesFromBlocks).

function handlesOn(cluster: Cluster): boolean {
  return cluster.store.get('CustomResourceDefinition', undefined, `ipamhandles.${CALICO_GROUP}`) !== undefined;
}

function readHandle(cluster: Cluster, handle: string): Record<string, number> | undefined {
  const obj = cluster.store.get('IPAMHandle', undefined, handle.toLowerCase());
  const block = obj?.spec?.block;
  return block && typeof block === 'object' ? (block as Record<string, number>) : undefined;
}

/** Writes the handle's per-block counts (none left: deletes it). */
function writeHandle(cluster: Cluster, handle: string, block: Record<string, number>): boolean {
  if (!handlesOn(cluster)) return false;
  const name = handle.toLowerCase();
  const counts = Object.fromEntries(Object.entries(block).filter(([, n]) => n > 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const have = cluster.store.get('IPAMHandle', undefined, name);
  if (!Object.keys(counts).length) {
    if (!have) return false;
    cluster.api.delete('IPAMHandle', undefined, name, { reconcile: false });
    return true;
  }
  const spec = { block: counts, deleted: false, handleID: handle };
  if (have && JSON.stringify(have.spec) === JSON.stringify(spec)) return false;
  if (have) cluster.api.update({ ...have, spec }, { reconcile: false });
  else create(cluster, { apiVersion: API_VERSION, kind: 'IPAMHandle', metadata: { name }, spec });
  return true;
}

/** What the blocks say each handle holds. */
function handlesFromBlocks(cluster: Cluster): Map<string, Record<string, number>> {
  const out = new Map<string, Record<string, number>>();
  for (const b of index(cluster).blocks.values()) {
    b.spec.allocations.forEach((a) => {
      const id = a === null || a === undefined ? undefined : b.spec.attributes[a]?.handle_id;
      if (!id) return;
      const counts = out.get(id) ?? {};
      counts[b.text] = (counts[b.text] ?? 0) + 1;
      out.set(id, counts);
    });
  }
  return out;
}

/** The IPAMHandles brought in line with the blocks (a lab saved before they were kept, a handle edited by hand). */
function syncHandles(cluster: Cluster): boolean {
  if (!handlesOn(cluster)) return false;
  let wrote = false;
  const want = handlesFromBlocks(cluster);
  const names = new Set([...want.keys()].map((h) => h.toLowerCase()));
  for (const [h, counts] of [...want].sort(([a], [b]) => (a < b ? -1 : 1))) if (writeHandle(cluster, h, counts)) wrote = true;
  for (const o of cluster.store.list('IPAMHandle')) {
    if (names.has(o.metadata.name)) continue;
    cluster.api.delete('IPAMHandle', undefined, o.metadata.name, { reconcile: false });
    wrote = true;
  }
  return wrote;
}

/** AutoAssign one IPv4 address for `node`: from its affine blocks in order, else from a newly claimed one. */
function autoAssign(cluster: Cluster, node: string, handle: string, secondary: Record<string, string>): string | undefined {
  for (const cidr of calicoNodeBlocks(cluster, node)) {
    const b = index(cluster).blocks.get(cidr)!;
    if (b.spec.unallocated.length) return take(cluster, cidr, b.spec.unallocated[0], handle, secondary);
  }
  const fresh = claimBlock(cluster, node);
  if (!fresh) return undefined;
  return take(cluster, fresh, 0, handle, secondary);
}

/** AssignIP: a given address (a pinned Pod's), claiming its block for `node` if nobody holds it. */
function assignIP(cluster: Cluster, ip: string, node: string, handle: string, secondary: Record<string, string>): void {
  const n = parseIPv4(ip);
  const { cidr: pool, blockSize } = calicoPool(cluster);
  if (n === undefined || !cidrContains(pool, n)) return;
  const size = 2 ** (32 - blockSize);
  const block: Cidr = { network: (pool.network + Math.floor((n - pool.network) / size) * size) >>> 0, prefix: blockSize };
  const text = cidrText(block);
  if (!index(cluster).blocks.has(text)) claimBlock(cluster, node, block);
  const b = index(cluster).blocks.get(text);
  if (!b || b.spec.allocations[n - block.network] !== null) return;
  take(cluster, text, n - block.network, handle, secondary);
}

/** ReleaseByHandle: every ordinal of the handle goes back to the end of `unallocated`; unreferenced attributes go. */
function releaseHandle(cluster: Cluster, handle: string): boolean {
  let wrote = false;
  for (const { b, attr } of blocksOf(cluster, handle)) {
    const spec = structuredClone(b.spec);
    const freed: number[] = [];
    spec.allocations.forEach((a, ord) => {
      if (a === attr) freed.push(ord);
    });
    for (const ord of freed) {
      spec.allocations[ord] = null;
      delete spec.sequenceNumberForAllocation[String(ord)];
    }
    spec.unallocated.push(...freed);
    // deleteAttributes: drop the attribute and renumber the ones after it
    spec.attributes.splice(attr, 1);
    spec.allocations = spec.allocations.map((a) => (a !== null && a > attr ? a - 1 : a));
    writeBlock(cluster, b.obj, spec);
    // allocationHandle.decrementBlock: the handle goes when it holds nothing
    const h = readHandle(cluster, handle);
    if (h) writeHandle(cluster, handle, { ...h, [b.text]: (h[b.text] ?? 0) - freed.length });
    wrote = true;
  }
  return wrote;
}

/** Where a Pod's address is recorded (by its handle), if anywhere. */
function recorded(cluster: Cluster, handle: string, ip: string): boolean {
  const n = parseIPv4(ip);
  if (n === undefined) return false;
  for (const b of index(cluster).blocks.values()) {
    if (!cidrContains(b.cidr, n)) continue;
    const a = b.spec.allocations[n - b.cidr.network];
    return a !== null && a !== undefined && b.spec.attributes[a]?.handle_id === handle;
  }
  return false;
}

function handlesInUse(cluster: Cluster): Set<string> {
  const out = new Set<string>();
  for (const b of index(cluster).blocks.values()) for (const a of b.spec.attributes) if (a.handle_id) out.add(a.handle_id);
  return out;
}

/** The calico-node container's environment variable, if the DaemonSet sets it. */
function calicoNodeEnv(cluster: Cluster, name: string): string | undefined {
  const ds = cluster.store.get('DaemonSet', 'kube-system', 'calico-node');
  for (const c of (ds?.spec?.template?.spec?.containers ?? []) as { env?: { name: string; value?: string }[] }[]) {
    const v = c.env?.find((e) => e.name === name)?.value;
    if (v !== undefined) return v;
  }
  return undefined;
}

/**
 * calico-node's ensureDefaultConfig (node/pkg/lifecycle/startup/startup.go, v3.28.2), as the
 * first node to start runs it:
 * - ClusterInformation `default` (libcalico-go/lib/clientv3/client.go ensureClusterInformation):
 *   calicoVersion, a clusterGUID (uuid.New() hex-encoded; here drawn from the creation time, so
 *   it takes nothing from the seeded stream), clusterType CLUSTER_TYPE (calico.yaml: `k8s,bgp`),
 *   `,kubeadm` when kube-system has the kubeadm-config ConfigMap, `,kdd` last, datastoreReady true.
 * - FelixConfiguration `default`: reportingInterval 0s, logSeverityScreen Info, and the
 *   defaults clientv3 felixconfig.go setDefaults fills in on Create (floatingIPs Disabled,
 *   bpfConnectTimeLoadBalancing TCP, bpfHostNetworkedNATWithoutCTLB Enabled).
 * Both through the v3→CRD conversion, which keeps the v3 metadata in `projectcalico.org/metadata`.
 * Returns true when it wrote.
 */
function ensureDefaultConfig(cluster: Cluster): boolean {
  let wrote = false;
  const meta = { annotations: { 'projectcalico.org/metadata': '{"creationTimestamp":null}' } };
  if (cluster.store.get('CustomResourceDefinition', undefined, `clusterinformations.${CALICO_GROUP}`) && !cluster.store.get('ClusterInformation', undefined, 'default')) {
    let clusterType = (calicoNodeEnv(cluster, 'CLUSTER_TYPE') ?? 'k8s,bgp').replace(/,$/, '');
    if (cluster.store.get('ConfigMap', 'kube-system', 'kubeadm-config')) clusterType = clusterType ? `${clusterType},kubeadm` : 'kubeadm';
    clusterType = clusterType ? `${clusterType},kdd` : 'kdd';
    create(cluster, {
      apiVersion: API_VERSION,
      kind: 'ClusterInformation',
      metadata: { ...meta, name: 'default' },
      spec: { calicoVersion: CALICO_VERSION, clusterGUID: sha256(`clusterinformation/${cluster.clock.now()}`).slice(0, 32), clusterType, datastoreReady: true },
    });
    wrote = true;
  }
  if (cluster.store.get('CustomResourceDefinition', undefined, `felixconfigurations.${CALICO_GROUP}`) && !cluster.store.get('FelixConfiguration', undefined, 'default')) {
    create(cluster, {
      apiVersion: API_VERSION,
      kind: 'FelixConfiguration',
      metadata: { ...meta, name: 'default' },
      spec: { bpfConnectTimeLoadBalancing: 'TCP', bpfHostNetworkedNATWithoutCTLB: 'Enabled', floatingIPs: 'Disabled', logSeverityScreen: 'Info', reportingInterval: '0s' },
    });
    wrote = true;
  }
  return wrote;
}

/** calico-node on every node: the default config and the pool, then each node's tunnel address (claiming its first block), in node order. */
export function ensureCalicoNodes(cluster: Cluster, nodes: string[]): boolean {
  if (!calicoIpamOn(cluster)) return false;
  let wrote = ensureDefaultConfig(cluster);
  if (!cluster.store.get('IPPool', undefined, DEFAULT_POOL)) {
    ensurePool(cluster);
    wrote = true;
  }
  const { encap } = calicoConfig(cluster);
  for (const node of nodes) {
    // allocateip.go reconcileTunnelAddrs: a tunnel address of a type no longer in use is released
    for (const other of ['ipip', 'vxlan'] as const) if (other !== encap && releaseHandle(cluster, tunnelHandle(node, other))) wrote = true;
    if (encap === 'none') {
      if (!calicoNodeBlocks(cluster, node).length && claimBlock(cluster, node)) wrote = true;
      continue;
    }
    if (calicoTunnelAddress(cluster, node, encap)) continue;
    if (autoAssign(cluster, node, tunnelHandle(node, encap), { node, type: encap === 'ipip' ? 'ipipTunnelAddress' : 'vxlanTunnelAddress' })) wrote = true;
  }
  return wrote;
}

/** The CNI ADD's IPAM step for a Pod: an address from its node's blocks, or undefined when the pool is used up. */
export function calicoAssignPod(cluster: Cluster, pod: KubeObject, nodes: string[]): string | undefined {
  ensureCalicoNodes(cluster, nodes);
  const node = String(pod.spec?.nodeName ?? '');
  return autoAssign(cluster, node, podHandle(pod), podSecondary(cluster, pod, node));
}

function podSecondary(cluster: Cluster, pod: KubeObject, node: string): Record<string, string> {
  return { namespace: pod.metadata.namespace ?? 'default', node, pod: pod.metadata.name, timestamp: goTime(cluster) };
}

/**
 * Brings the blocks in line with the Pods: a Pod with an address no block records under its
 * handle (a scenario's pinned address) gets it assigned; a handle whose Pod has no sandbox
 * any more is released (the CNI DEL).
 */
export function syncCalicoPods(cluster: Cluster, pods: KubeObject[], live: Set<string> | undefined): boolean {
  let wrote = false;
  for (const p of pods) {
    const handle = podHandle(p);
    if (!recorded(cluster, handle, p.status.podIP)) {
      assignIP(cluster, p.status.podIP, p.spec.nodeName, handle, podSecondary(cluster, p, p.spec.nodeName));
      wrote = true;
    }
  }
  if (live) {
    // no kubelet runs the CNI DEL for a Pod of a Node that is gone: kube-controllers' GC releases it
    const nodes = new Set(cluster.store.list('Node').map((n) => n.metadata.name));
    for (const h of handlesInUse(cluster)) {
      if (h.startsWith('k8s-pod-network.') && !live.has(h) && nodes.has(calicoHandleNode(cluster, h) ?? '') && releaseHandle(cluster, h)) wrote = true;
    }
  }
  return wrote;
}

/** Releases the handles of Pods that are gone. */
export function releaseCalicoHandles(cluster: Cluster, handles: string[]): boolean {
  let wrote = false;
  for (const h of handles) if (releaseHandle(cluster, h)) wrote = true;
  return wrote;
}

// ---- calico-kube-controllers' IPAM garbage collection -----------------------------

/** kube-controllers/pkg/config/runconfig.go: LeakGracePeriod 15m; ipam.go acceptScheduleRequests syncs every LeakGracePeriod/2. */
export const LEAK_GRACE_MS = 15 * 60_000;
export const IPAM_SYNC_PERIOD_MS = LEAK_GRACE_MS / 2;

interface Allocation {
  block: string;
  ip: string;
  handle?: string;
  attrs: Record<string, string>;
}

/** Every allocation in the blocks, by the node its attributes name (ipam.go onBlockUpdated's allocationsByNode). */
function allocationsByNode(cluster: Cluster): Map<string, Allocation[]> {
  const out = new Map<string, Allocation[]>();
  for (const [cidr, b] of index(cluster).blocks) {
    b.spec.allocations.forEach((a, ord) => {
      if (a === null || a === undefined) return;
      const attr = b.spec.attributes[a];
      const attrs = attr?.secondary ?? {};
      const node = attrs.node ?? '';
      const list = out.get(node) ?? [];
      list.push({ block: cidr, ip: formatIPv4(b.cidr.network + ord), ...(attr?.handle_id ? { handle: attr.handle_id } : {}), attrs });
      out.set(node, list);
    });
  }
  return out;
}

/** ipam_allocation.go isTunnelAddress (the attribute types allocateip.go writes). */
function isTunnelAddress(a: Allocation): boolean {
  return ['ipipTunnelAddress', 'vxlanTunnelAddress', 'vxlanV6TunnelAddress', 'wireguardTunnelAddress', 'wireguardV6TunnelAddress'].includes(a.attrs.type ?? '');
}

/**
 * ipam.go allocationIsValid for a node that no longer exists (knode ""): a Pod allocation is
 * valid while its Pod exists and either has no address yet or has this one.
 */
function podAllocationValid(cluster: Cluster, a: Allocation): boolean {
  const pod = cluster.store.get('Pod', a.attrs.namespace, a.attrs.pod);
  if (!pod) return false;
  const ips = [pod.status?.podIP, ...((pod.status?.podIPs ?? []) as { ip?: string }[]).map((p) => p.ip)].filter(Boolean);
  return ips.length === 0 || ips.includes(a.ip);
}

/** The node a handle's allocation names (its `node` attribute), if it has one. */
export function calicoHandleNode(cluster: Cluster, handle: string): string | undefined {
  const [hit] = blocksOf(cluster, handle);
  return hit ? hit.b.spec.attributes[hit.attr].secondary?.node : undefined;
}

/**
 * libcalico-go/lib/ipam/ipam.go releaseBlockAffinity: the affinity is marked pendingDeletion,
 * the block deleted when it holds no address (else kept without an affinity), then the
 * affinity deleted. Returns false, changing nothing, when `requireEmpty` and the block is not.
 */
function releaseBlockAffinity(cluster: Cluster, node: string, cidr: string, requireEmpty: boolean): boolean {
  const b = index(cluster).blocks.get(cidr);
  if (!b) return false;
  const empty = b.spec.allocations.every((a) => a === null);
  if (requireEmpty && !empty) return false;
  const name = `${node}-${cidrName(cidr)}`;
  const aff = cluster.store.get('BlockAffinity', undefined, name);
  if (aff) cluster.api.update({ ...aff, spec: { ...aff.spec, state: 'pendingDeletion' } }, { reconcile: false });
  if (empty) cluster.api.delete('IPAMBlock', undefined, b.obj.metadata.name, { reconcile: false });
  else {
    const spec = structuredClone(b.spec);
    delete spec.affinity;
    writeBlock(cluster, b.obj, spec);
  }
  if (cluster.store.get('BlockAffinity', undefined, name)) cluster.api.delete('BlockAffinity', undefined, name, { reconcile: false });
  return true;
}

/**
 * One syncIPAM pass of calico-kube-controllers' node controller
 * (kube-controllers/pkg/controllers/node/ipam.go, v3.28): checkAllocations — a Calico node
 * with blocks or allocations whose Kubernetes Node is gone has its Pod allocations confirmed
 * as leaks once their Pods are gone (or hold another address); while any is still valid the
 * node is left alone ("Can't cleanup node yet - IPs still in use on this node"); once none
 * is, its tunnel address is a leak too — garbageCollectIPs releases the leaks,
 * checkEmptyBlocks releases a block empty for longer than the grace period from a node that
 * holds more than one (a node's only block stays affine to it), and cleanupNode releases
 * the deleted node's affinities (ReleaseHostAffinities with requireEmpty: each empty block
 * and its BlockAffinity deleted). `emptySince` is the blockReleaseTracker (block → when first
 * seen empty).
 */
export function calicoIpamSync(cluster: Cluster, emptySince: Map<string, number>): boolean {
  if (!calicoIpamOn(cluster)) return false;
  let wrote = false;
  const k8sNodes = new Set(cluster.store.list('Node').map((n) => n.metadata.name));
  const byNode = allocationsByNode(cluster);
  const ipamNodes = new Set<string>([...index(cluster).byNode.keys(), ...[...byNode.keys()].filter((n) => n !== '')]);
  const leaks: Allocation[] = [];
  const release: string[] = [];
  for (const cnode of [...ipamNodes].sort()) {
    if (k8sNodes.has(cnode)) continue;
    let canDelete = true;
    const tunnels: Allocation[] = [];
    for (const a of byNode.get(cnode) ?? []) {
      const isPod = !!a.attrs.namespace && !!a.attrs.pod;
      if (!isPod && !isTunnelAddress(a)) {
        canDelete = false;
        continue;
      }
      if (isTunnelAddress(a)) tunnels.push(a);
      else if (podAllocationValid(cluster, a)) canDelete = false;
      else leaks.push(a);
    }
    if (!canDelete) continue;
    leaks.push(...tunnels);
    release.push(cnode);
  }
  // garbageCollectIPs: every address of a handle must be a confirmed leak
  const handles = new Set(leaks.map((a) => a.handle).filter((h): h is string => !!h));
  for (const h of [...handles].sort()) if (releaseHandle(cluster, h)) wrote = true;
  // checkEmptyBlocks
  for (const [node, blocks] of [...index(cluster).byNode]) {
    for (const cidr of blocks) {
      const b = index(cluster).blocks.get(cidr);
      const empty = b !== undefined && b.spec.allocations.every((a) => a === null);
      if (!empty) {
        emptySince.delete(cidr);
        continue;
      }
      if (calicoNodeBlocks(cluster, node).length <= 1) continue;
      const first = emptySince.get(cidr);
      if (first === undefined) {
        emptySince.set(cidr, cluster.clock.now());
        continue;
      }
      if (cluster.clock.now() - first <= LEAK_GRACE_MS) continue;
      if (releaseBlockAffinity(cluster, node, cidr, true)) wrote = true;
      emptySince.delete(cidr);
    }
  }
  for (const cidr of [...emptySince.keys()]) if (!index(cluster).blocks.has(cidr)) emptySince.delete(cidr);
  // cleanupNode
  for (const cnode of release) {
    for (const cidr of [...calicoNodeBlocks(cluster, cnode)]) if (releaseBlockAffinity(cluster, cnode, cidr, true)) wrote = true;
  }
  return wrote;
}

/**
 * What keeps the blocks in step with the cluster: calico-node's start on each node (the pool,
 * the tunnel address), the CNI's DEL for Pods that are gone (on a Node that still exists),
 * pinned Pods' addresses, the annotations the CNI plugin writes on each Pod it wires
 * (cni-plugin/pkg/k8s/k8s.go: cni.projectcalico.org/containerID, podIP, podIPs), and
 * calico-kube-controllers' IPAM sync (calicoIpamSync): at once when a Node is deleted
 * (OnKubernetesNodeDeleted), then every IPAM_SYNC_PERIOD_MS while there is something it
 * may collect.
 */
export class CalicoIpamModule implements SimModule {
  readonly name = 'calico-ipam';
  private dirty = new Map<string, KubeObject | undefined>();
  private gone = new Set<string>();
  private full = true;
  private kick = false;
  /** Whether the IPAMHandles were brought in line with the blocks since init. */
  private handlesChecked = false;
  /** When kube-controllers last synced IPAM (its periodic ticker runs from there). */
  private lastSync = 0;
  /** blockReleaseTracker: empty block → when a sync first saw it empty. */
  private emptySince = new Map<string, number>();
  private unsubscribe?: () => void;

  constructor(private cluster: Cluster) {}

  init(): void {
    this.unsubscribe?.();
    this.unsubscribe = this.cluster.store.subscribe((c) => {
      if (c.object.kind === 'Pod') {
        const key = `${c.object.metadata.namespace}/${c.object.metadata.name}`;
        if (c.old && (c.type === 'DELETED' || c.old.metadata.uid !== c.object.metadata.uid)) this.gone.add(podHandle(c.old));
        this.dirty.set(key, c.type === 'DELETED' ? undefined : c.object);
      } else if (c.object.kind === 'Node' || c.object.kind === 'CustomResourceDefinition' || (c.object.kind === 'DaemonSet' && c.object.metadata.name === 'calico-node')) {
        this.full = true;
        if (c.object.kind === 'CustomResourceDefinition') this.handlesChecked = false;
        if (c.object.kind === 'Node' && c.type === 'DELETED') this.kick = true;
      } else if (c.object.kind === 'IPAMBlock') {
        // a block update kicks a sync upstream (onUpdate → syncerUpdates); it can only matter when a
        // block is empty, one was seen empty before, or a deleted node still holds blocks
        const alloc = c.object.spec?.allocations;
        if (c.type !== 'DELETED' && Array.isArray(alloc) && alloc.every((a: unknown) => a === null)) this.kick = true;
        else if (this.emptySince.size) this.kick = true;
      }
    });
    this.full = true;
    this.handlesChecked = false;
    // kube-controllers' ticker starts with it (a restored snapshot keeps its phase)
    if (!this.lastSync) this.lastSync = this.cluster.clock.now();
  }

  /** The next periodic IPAM sync, while a deleted node's state or an empty block waits for one. */
  nextDue(): number | undefined {
    return this.gcPending() ? this.lastSync + IPAM_SYNC_PERIOD_MS : undefined;
  }

  /** The sync is calico-kube-controllers' (ENABLED_CONTROLLERS node): nothing is collected while it has no ready replica. */
  private controllerRunning(): boolean {
    const d = this.cluster.store.get('Deployment', 'kube-system', 'calico-kube-controllers') ?? this.cluster.store.get('Deployment', 'calico-system', 'calico-kube-controllers');
    return Number(d?.status?.readyReplicas ?? 0) > 0;
  }

  private gcPending(): boolean {
    if (this.emptySince.size) return true;
    if (!calicoIpamOn(this.cluster)) return false;
    const nodes = new Set(this.cluster.store.list('Node').map((n) => n.metadata.name));
    return [...index(this.cluster).byNode.keys()].some((n) => !nodes.has(n));
  }

  sizes(): Record<string, number> {
    return { dirty: this.dirty.size, gone: this.gone.size, emptyBlocks: this.emptySince.size };
  }

  snapshot(): unknown {
    return { lastSync: this.lastSync, emptySince: [...this.emptySince] };
  }

  reconcile(): boolean {
    let wrote = false;
    const now = this.cluster.clock.now();
    if ((this.kick || now >= this.lastSync + IPAM_SYNC_PERIOD_MS) && this.controllerRunning()) {
      // the ticker fires at lastSync + k periods; a kicked sync does not move it
      if (!this.kick) this.lastSync += Math.floor((now - this.lastSync) / IPAM_SYNC_PERIOD_MS) * IPAM_SYNC_PERIOD_MS;
      this.kick = false;
      if (calicoIpamSync(this.cluster, this.emptySince)) wrote = true;
    }
    return this.sync() || wrote;
  }

  private sync(): boolean {
    if (!this.full && !this.dirty.size && !this.gone.size) return false;
    if (!calicoIpamOn(this.cluster)) {
      this.dirty.clear();
      this.gone.clear();
      return false;
    }
    let wrote = false;
    const live = new Set<string>();
    let pods: KubeObject[] = [];
    if (this.full) {
      const nodes = clusterNodes(this.cluster);
      if (ensureCalicoNodes(this.cluster, nodes.map((n) => n.name))) wrote = true;
      // take and release keep the handles in step; they are checked against the blocks once (a restored lab, a new CRD)
      if (!this.handlesChecked) {
        if (syncHandles(this.cluster)) wrote = true;
        this.handlesChecked = handlesOn(this.cluster);
      }
      for (const n of nodes) if (annotateNode(this.cluster, n)) wrote = true;
      for (const p of this.cluster.store.iterate('Pod')) {
        if (!wired(p)) continue;
        pods.push(p);
        live.add(podHandle(p));
      }
    } else {
      for (const p of this.dirty.values()) {
        if (!p) continue;
        const cur = this.cluster.store.get('Pod', p.metadata.namespace, p.metadata.name);
        if (!cur) continue;
        if (wired(cur)) pods.push(cur);
        else if (!cur.spec?.hostNetwork && cur.status?.podIP) this.gone.add(podHandle(cur));
      }
    }
    pods = pods.sort((a, b) => (`${a.metadata.namespace}/${a.metadata.name}` < `${b.metadata.namespace}/${b.metadata.name}` ? -1 : 1));
    if (syncCalicoPods(this.cluster, pods, this.full ? live : undefined)) wrote = true;
    if (!this.full) {
      const keep = new Set(pods.map(podHandle));
      const nodes = new Set(this.cluster.store.list('Node').map((n) => n.metadata.name));
      if (releaseCalicoHandles(this.cluster, [...this.gone].filter((h) => !keep.has(h) && nodes.has(calicoHandleNode(this.cluster, h) ?? '')))) wrote = true;
    }
    for (const p of pods) if (annotate(this.cluster, p)) wrote = true;
    this.dirty.clear();
    this.gone.clear();
    this.full = false;
    return wrote;
  }

  restore(data?: unknown): void {
    const d = data as { lastSync?: number; emptySince?: [string, number][] } | undefined;
    this.full = true;
    if (typeof d?.lastSync === 'number' && Number.isFinite(d.lastSync)) this.lastSync = d.lastSync;
    this.emptySince = new Map((d?.emptySince ?? []).filter((e) => Array.isArray(e) && typeof e[0] === 'string' && Number.isFinite(e[1])));
  }
}

/**
 * What calico-node writes on its Node (the Calico Node resource kept as Node annotations:
 * libcalico-go/lib/backend/k8s/resources/node.go): the autodetected address with its prefix,
 * the tunnel address, and on VXLAN the tunnel device's MAC.
 */
function annotateNode(cluster: Cluster, n: NodeInfo): boolean {
  const obj = cluster.store.get('Node', undefined, n.name);
  if (!obj) return false;
  const { encap } = calicoConfig(cluster);
  const want: Record<string, string> = { 'projectcalico.org/IPv4Address': `${n.ip}/${n.subnet.prefix}` };
  const tunnel = encap === 'none' ? undefined : calicoTunnelAddress(cluster, n.name, encap);
  if (tunnel && encap === 'ipip') want['projectcalico.org/IPv4IPIPTunnelAddr'] = tunnel;
  if (tunnel && encap === 'vxlan') {
    want['projectcalico.org/IPv4VXLANTunnelAddr'] = tunnel;
    want['projectcalico.org/VXLANTunnelMACAddr'] = macFor(`${n.name}/vxlan.calico`);
  }
  const have = obj.metadata.annotations ?? {};
  const tunnelKeys = ['projectcalico.org/IPv4IPIPTunnelAddr', 'projectcalico.org/IPv4VXLANTunnelAddr', 'projectcalico.org/VXLANTunnelMACAddr'];
  const stale = tunnelKeys.filter((k) => k in have && !(k in want));
  if (!stale.length && Object.entries(want).every(([k, v]) => have[k] === v)) return false;
  const kept = Object.entries(have).filter(([k]) => !stale.includes(k));
  const annotations = Object.fromEntries([...kept.filter(([k]) => !(k in want)), ...Object.entries(want)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  try {
    cluster.api.update({ ...obj, metadata: { ...obj.metadata, annotations } }, { reconcile: false });
  } catch {
    return false;
  }
  return true;
}

/** A Pod the CNI wired with an IPv4 address (not host-network, not finished). */
function wired(p: KubeObject): boolean {
  return hasSandbox(p) && isIPv4(String(p.status?.podIP ?? ''));
}

function annotate(cluster: Cluster, pod: KubeObject): boolean {
  const want: Record<string, string> = {
    'cni.projectcalico.org/containerID': podSandboxId(pod),
    'cni.projectcalico.org/podIP': `${pod.status.podIP}/32`,
    'cni.projectcalico.org/podIPs': `${pod.status.podIP}/32`,
  };
  const have = pod.metadata.annotations ?? {};
  if (Object.entries(want).every(([k, v]) => have[k] === v)) return false;
  const annotations = Object.fromEntries(Object.entries({ ...have, ...want }).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  try {
    cluster.api.update({ ...pod, metadata: { ...pod.metadata, annotations } }, { reconcile: false });
  } catch {
    // the CNI plugin's patch failed (the Pod changed under it): the next change to the Pod tries again
    return false;
  }
  return true;
}
