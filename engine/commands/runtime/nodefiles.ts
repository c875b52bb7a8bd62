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
import { hostImage } from '../../hosts/hosts';
import { releaseFiles } from '../../hosts/osrelease';
import type { CniName } from '../../cluster/types';
import { STATIC_POD_COMPONENTS, staticPodManifest } from '../../hosts/kubeadm';
import { kubeletConfiguration, nodeRoles } from '../../controllers/system';
import { defaultKubeconfig } from '../kubectl/kubeconfig';
import { printYaml } from '../../printers/kubectl/serialize';
import { formatIPv4, parseCidr } from '../../cluster/ipv4';

/** containernetworking/plugins v1.6.2 (`plugins/main`, `plugins/ipam`, `plugins/meta`), as the kubernetes-cni package lays them out. */
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

/** kubeadm's admin.conf: cluster `kubernetes`, user `kubernetes-admin`, context `kubernetes-admin@kubernetes` — the workstation's kubeconfig is its copy. */
function adminConf(cluster: ClusterRuntime): string {
  return printYaml(defaultKubeconfig(cluster));
}

/** The reference plugins' release the sizes and `--version` come from. */
export const CNI_PLUGINS_VERSION = 'v1.6.2';

/**
 * Sizes in bytes of the linux-amd64 binaries: cni-plugins-linux-amd64-v1.6.2.tgz as
 * unpacked into /opt/cni/bin (statically linked Go); flannel's cni-plugin v1.6.x build as
 * its install-cni-plugin init container copies it. The other CNIs' own binaries are
 * approximations of their releases' sizes (the simulation does not hold their bytes).
 */
const BINARY_SIZES: Record<string, number> = {
  bandwidth: 4655178, bridge: 5287212, dhcp: 12762814, dummy: 4847854, firewall: 5315134, 'host-device': 4792010,
  'host-local': 4060355, ipvlan: 4870719, loopback: 4114939, macvlan: 4903324, portmap: 4713429, ptp: 5076613,
  sbr: 4333422, static: 3651755, tap: 4928874, tuning: 4208424, vlan: 4868252, vrf: 4488658,
  flannel: 2835118,
  calico: 63504384, 'calico-ipam': 63504384,
  'cilium-cni': 48893952,
  'weave-net': 10502144, 'weave-ipam': 10502144,
  'aws-cni': 50462720, 'egress-cni': 6619136,
};

/**
 * A reference plugin run by hand: with no CNI_COMMAND in its environment, skel's
 * pluginMain (containernetworking/cni pkg/skel/skel.go) prints the about string —
 * buildversion.BuildString: "CNI <name> plugin <version>" — and the protocol versions
 * (version.All) to stderr, and exits 0, whatever the arguments.
 */
function referencePlugin(name: string): (args: string[]) => { stdout: string; stderr: string; exitCode: number } {
  return () => ({ stdout: '', stderr: `CNI ${name} plugin ${CNI_PLUGINS_VERSION}\nCNI protocol versions supported: 0.1.0, 0.2.0, 0.3.0, 0.3.1, 0.4.0, 1.0.0, 1.1.0\n`, exitCode: 0 });
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
  // a container's: its image's release files (hosts/osrelease.ts), where its build source names the release
  for (const path of ['/etc/os-release', '/etc/alpine-release']) {
    const fileOf = (h: HostRef) => (h.kind === 'pod' ? releaseFiles(hostImage(cluster, h))[path] : undefined);
    cluster.fs.provide((h) => fileOf(h) !== undefined, path, (h) => fileOf(h));
  }
  cluster.fs.provide(node, '/etc/os-release', (h) => {
    const n = h.kind === 'node' ? cluster.store.get('Node', undefined, h.node) : undefined;
    return osRelease(String(n?.status?.nodeInfo?.osImage ?? 'Ubuntu 22.04.4 LTS'));
  });
  for (const b of cniBinaries(cluster.settings.cni)) {
    // the text tools see a binary (util.ts readOperand), ls -l its size and mode; the content is never shown
    const run = REFERENCE_PLUGINS.includes(b) ? referencePlugin(b) : undefined;
    cluster.fs.provide(node, `/opt/cni/bin/${b}`, () => '\x7fELF', { size: BINARY_SIZES[b] ?? 4194304, ...(run ? { run } : {}) });
  }
}
