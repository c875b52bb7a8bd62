/**
 * The files kubeadm, the kubelet's packages and the CNI leave on a node, derived from the
 * cluster: /etc/kubernetes/manifests/*.yaml and admin.conf on the control plane
 * (hosts/kubeadm.ts), /var/lib/kubelet/config.yaml (what `kubeadm init/join` downloads from
 * the kubelet-config ConfigMap), /etc/os-release (the Node's osImage), and /opt/cni/bin:
 * the containernetworking/plugins release the kubernetes-cni package installs plus the
 * plugin's own binaries its install-cni init container copies there.
 */
import type { ClusterRuntime } from '../../controllers/runtime';
import type { HostRef } from '../../types';
import type { CniName } from '../../cluster/types';
import { STATIC_POD_COMPONENTS, KUBEADM_CLUSTER_NAME, staticPodManifest } from '../../hosts/kubeadm';
import { kubeletConfiguration, nodeRoles } from '../../controllers/system';
import { defaultKubeconfig } from '../kubectl/kubeconfig';
import { printYaml } from '../../printers/kubectl/serialize';
import { formatIPv4, parseCidr } from '../../cluster/ipv4';

/** containernetworking/plugins v1.x (`plugins/main`, `plugins/ipam`, `plugins/meta`), as the kubernetes-cni package lays them out. */
const REFERENCE_PLUGINS = ['bandwidth', 'bridge', 'dhcp', 'dummy', 'firewall', 'host-device', 'host-local', 'ipvlan', 'loopback', 'macvlan', 'portmap', 'ptp', 'sbr', 'static', 'tap', 'tuning', 'vlan', 'vrf'];

/**
 * Each plugin's own binaries: flannel's install-cni-plugin copies `flannel`; calico-node's
 * install-cni copies `calico` and `calico-ipam` (and its own builds of a few reference
 * plugins, same names); Cilium's `cilium-cni`; Weave's `weave-net` and `weave-ipam`;
 * the AWS VPC CNI's `aws-cni` and `egress-cni`.
 */
const PLUGIN_BINARIES: Record<CniName, string[]> = {
  flannel: ['flannel'],
  calico: ['calico', 'calico-ipam'],
  cilium: ['cilium-cni'],
  weave: ['weave-ipam', 'weave-net'],
  'aws-vpc-cni': ['aws-cni', 'egress-cni'],
};

export function cniBinaries(cni: CniName): string[] {
  return [...new Set([...REFERENCE_PLUGINS, ...PLUGIN_BINARIES[cni]])].sort();
}

const CODENAMES: Record<string, string> = { '20.04': 'focal', '22.04': 'jammy', '24.04': 'noble' };

/** /etc/os-release of an Ubuntu image (base-files), from the Node's osImage (`Ubuntu 22.04.4 LTS`). */
export function osRelease(osImage: string): string | undefined {
  const m = /^Ubuntu (\d+\.\d+)(\.\d+)? LTS$/.exec(osImage);
  if (!m) return undefined;
  const id = m[1];
  const code = CODENAMES[id] ?? 'jammy';
  const title = { focal: 'Focal Fossa', jammy: 'Jammy Jellyfish', noble: 'Noble Numbat' }[code as 'focal' | 'jammy' | 'noble'];
  return [
    `PRETTY_NAME="${osImage}"`,
    'NAME="Ubuntu"',
    `VERSION_ID="${id}"`,
    `VERSION="${id}${m[2] ?? ''} LTS (${title})"`,
    `VERSION_CODENAME=${code}`,
    'ID=ubuntu',
    'ID_LIKE=debian',
    'HOME_URL="https://www.ubuntu.com/"',
    'SUPPORT_URL="https://help.ubuntu.com/"',
    'BUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"',
    'PRIVACY_POLICY_URL="https://www.ubuntu.com/legal/terms-and-policies/privacy-policy"',
    `UBUNTU_CODENAME=${code}`,
    '',
  ].join('\n');
}

function isControlPlane(cluster: ClusterRuntime, host: HostRef): boolean {
  if (host.kind !== 'node') return false;
  const nodes = cluster.settings.nodes;
  const roles = nodeRoles(nodes);
  const i = nodes.findIndex((n) => n.name === host.node);
  return i >= 0 && roles[i].controlPlane;
}

/** The cluster DNS address the kubelet hands pods: kube-dns's ClusterIP, else the tenth address of the range (kubeadm's). */
function clusterDNS(cluster: ClusterRuntime): string {
  const svc = cluster.store.get('Service', 'kube-system', 'kube-dns');
  const ip = svc?.spec?.clusterIP;
  if (typeof ip === 'string' && ip && ip !== 'None') return ip;
  const c = parseCidr(cluster.settings.serviceCIDR)!;
  return formatIPv4(c.network + 10);
}

/** kubeadm's admin.conf: cluster `kubernetes`, user `kubernetes-admin`, context `kubernetes-admin@kubernetes`. */
function adminConf(cluster: ClusterRuntime): string {
  const base = defaultKubeconfig(cluster);
  const user = 'kubernetes-admin';
  const ctx = `${user}@${KUBEADM_CLUSTER_NAME}`;
  return printYaml({
    apiVersion: 'v1',
    clusters: [{ cluster: base.clusters[0].cluster, name: KUBEADM_CLUSTER_NAME }],
    contexts: [{ context: { cluster: KUBEADM_CLUSTER_NAME, user }, name: ctx }],
    'current-context': ctx,
    kind: 'Config',
    preferences: {},
    users: [{ name: user, user: base.users[0].user }],
  });
}

/** A binary's bytes as the shell can hold them: the ELF magic and the name (cat shows what cat shows of a binary). */
function binary(name: string): string {
  return `\x7fELF\x02\x01\x01\x00${name}\n`;
}

export function registerNodeFiles(cluster: ClusterRuntime): void {
  const node = (h: HostRef) => h.kind === 'node';
  const cp = (h: HostRef) => isControlPlane(cluster, h);
  const settingsOf = (h: HostRef) => (h.kind === 'node' ? cluster.settings.nodes.find((n) => n.name === h.node) : undefined);
  for (const component of STATIC_POD_COMPONENTS) {
    cluster.fs.provide(cp, `/etc/kubernetes/manifests/${component}.yaml`, (h) => {
      const n = settingsOf(h);
      return n ? staticPodManifest(cluster.settings, n, component) : undefined;
    });
  }
  cluster.fs.provide(cp, '/etc/kubernetes/admin.conf', () => adminConf(cluster));
  cluster.fs.provide(node, '/var/lib/kubelet/config.yaml', () => {
    const cm = cluster.store.get('ConfigMap', 'kube-system', 'kubelet-config');
    const text = cm?.data?.kubelet;
    return typeof text === 'string' ? text : kubeletConfiguration(clusterDNS(cluster), cluster.settings.clusterDomain);
  });
  cluster.fs.provide(node, '/etc/os-release', (h) => {
    const n = h.kind === 'node' ? cluster.store.get('Node', undefined, h.node) : undefined;
    return osRelease(String(n?.status?.nodeInfo?.osImage ?? 'Ubuntu 22.04.4 LTS'));
  });
  for (const b of cniBinaries(cluster.settings.cni)) cluster.fs.provide(node, `/opt/cni/bin/${b}`, () => binary(b));
}
