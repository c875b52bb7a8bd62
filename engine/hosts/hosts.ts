/**
 * The places a command can run — the learner's workstation, a node (`ssh node-1`), a
 * container (`kubectl exec -it POD -- sh`) — and what each of them has installed.
 *
 * A container's tools come from its image, the way they would on a real cluster:
 * busybox and alpine ship busybox applets (wget and a busybox nslookup, no curl);
 * curlimages/curl adds curl; nicolaka/netshoot carries the whole toolbox (bind's
 * dig/nslookup, iproute2, iptables, tcpdump…); debian-based nginx has curl and little
 * else. Other rooms use `hostTools`, `hostFlavour` and `nslookupFlavour` to behave
 * like the binary that host really has.
 */
import type { Cluster } from '../cluster/cluster';
import type { HostRef } from '../types';
import type { KubeObject } from '../cluster/types';
import { HOME } from './vfs';

/** Shell builtins and text tools every host has (bash builtins, coreutils or busybox applets). */
export const BASE_TOOLS = [
  ':', '[', 'alias', 'awk', 'base64', 'basename', 'dirname', 'jobs', 'printenv', 'timeout', 'wait', 'cat', 'cd', 'clear', 'cut', 'date', 'echo', 'env', 'exit', 'export', 'false', 'grep',
  'head', 'help', 'history', 'hostname', 'id', 'ls', 'mkdir', 'printf', 'pwd', 'read', 'rm', 'sed', 'seq', 'sh', 'sleep',
  'sort', 'tail', 'tee', 'test', 'touch', 'tr', 'true', 'type', 'unalias', 'uname', 'uniq', 'unset', 'watch', 'wc', 'which', 'whoami', 'xargs',
];

/** Extra tools of a full GNU userland (not in busybox): the workstation, nodes, netshoot. */
const GNU_EXTRAS = ['bash', 'column', 'less', 'more', 'nano', 'vi', 'vim'];
/** What a debian-slim image (nginx, httpd) has beyond coreutils: no editor, no less, no column. */
const DEBIAN_SLIM = ['bash', 'more'];

/** Busybox applets that matter for networking (busybox's default config). */
const BUSYBOX_NET = ['arp', 'ifconfig', 'ip', 'nc', 'netstat', 'nslookup', 'ping', 'route', 'telnet', 'traceroute', 'wget', 'less', 'more', 'vi'];

const WORKSTATION = ['kubectl', 'helm', 'curl', 'dig', 'nslookup', 'host', 'ssh', 'ping', 'nc', 'answer', 'sudo', ...GNU_EXTRAS];

const NODE = [
  'ip', 'bridge', 'iptables', 'iptables-save', 'ip6tables', 'ipvsadm', 'ipset', 'conntrack', 'ss', 'curl', 'ping',
  'traceroute', 'nslookup', 'dig', 'host', 'crictl', 'tcpdump', 'nc', 'ethtool', 'sudo', 'ssh', ...GNU_EXTRAS,
];

/** What an image family carries, beyond BASE_TOOLS. */
export interface ImageProfile {
  family: 'busybox' | 'alpine' | 'curl' | 'netshoot' | 'agnhost' | 'nginx' | 'httpd' | 'debian';
  flavour: ShellFlavour;
  nslookup: NslookupFlavour;
  tools: string[];
}

export type ShellFlavour = 'bash' | 'busybox';
export type NslookupFlavour = 'busybox' | 'bind';

const PROFILES: Record<ImageProfile['family'], ImageProfile> = {
  busybox: { family: 'busybox', flavour: 'busybox', nslookup: 'busybox', tools: [...BUSYBOX_NET] },
  alpine: { family: 'alpine', flavour: 'busybox', nslookup: 'busybox', tools: [...BUSYBOX_NET] },
  // curlimages/curl is alpine with curl on top
  curl: { family: 'curl', flavour: 'busybox', nslookup: 'busybox', tools: [...BUSYBOX_NET, 'curl'] },
  // nicolaka/netshoot: alpine with bash, bind-tools, iproute2, iptables, ipvsadm, conntrack-tools, tcpdump…
  netshoot: {
    family: 'netshoot', flavour: 'bash', nslookup: 'bind',
    tools: [...GNU_EXTRAS, 'arp', 'bridge', 'conntrack', 'curl', 'dig', 'host', 'ifconfig', 'ip', 'ip6tables', 'ipset', 'iptables', 'iptables-save', 'ipvsadm', 'nc', 'netstat', 'nslookup', 'ping', 'route', 'ss', 'tcpdump', 'traceroute', 'wget'],
  },
  // registry.k8s.io/e2e-test-images/agnhost: alpine + bind-tools, curl, netcat, iproute2 (test/images/agnhost/Dockerfile)
  agnhost: { family: 'agnhost', flavour: 'busybox', nslookup: 'bind', tools: ['bash', 'curl', 'dig', 'host', 'ifconfig', 'ip', 'nc', 'netstat', 'nslookup', 'ping', 'route', 'ss', 'traceroute', 'wget'] },
  // the official nginx image is debian-slim with curl; no ping, ip or nslookup
  nginx: { family: 'nginx', flavour: 'bash', nslookup: 'bind', tools: [...DEBIAN_SLIM, 'curl'] },
  httpd: { family: 'httpd', flavour: 'bash', nslookup: 'bind', tools: [...DEBIAN_SLIM] },
  debian: { family: 'debian', flavour: 'bash', nslookup: 'bind', tools: [...DEBIAN_SLIM] },
};

/** `docker.io/library/busybox:1.36@sha256:…` → `busybox`; `curlimages/curl:8.5.0` → `curlimages/curl`. */
export function imageName(image: string): string {
  let s = image.trim();
  const at = s.indexOf('@');
  if (at >= 0) s = s.slice(0, at);
  const slash = s.lastIndexOf('/');
  const colon = s.lastIndexOf(':');
  if (colon > slash) s = s.slice(0, colon);
  const parts = s.split('/');
  if (parts.length > 1 && (parts[0].includes('.') || parts[0].includes(':') || parts[0] === 'localhost')) parts.shift();
  if (parts[0] === 'library' && parts.length > 1) parts.shift();
  return parts.join('/');
}

export function imageProfile(image: string | undefined): ImageProfile {
  const name = imageName(image ?? '');
  const last = name.split('/').pop() ?? '';
  if (last === 'busybox') return PROFILES.busybox;
  if (last === 'alpine') return PROFILES.alpine;
  if (name === 'curlimages/curl' || last === 'curl') return PROFILES.curl;
  if (last === 'netshoot') return PROFILES.netshoot;
  if (last === 'agnhost') return PROFILES.agnhost;
  if (last === 'nginx' || last === 'nginx-unprivileged') return PROFILES.nginx;
  if (last === 'httpd') return PROFILES.httpd;
  return PROFILES.debian;
}

/** The pod a host refers to, if any. */
export function hostPod(sim: Cluster, host: HostRef): KubeObject | undefined {
  return host.kind === 'pod' ? sim.store.get('Pod', host.namespace, host.pod) : undefined;
}

/** The image of the container a pod host refers to (by name, default the first). */
export function hostImage(sim: Cluster, host: HostRef): string | undefined {
  const pod = hostPod(sim, host);
  if (!pod || host.kind !== 'pod') return undefined;
  type C = { name?: string; image?: string };
  const all: C[] = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []), ...(pod.spec?.ephemeralContainers ?? [])];
  const c = all.find((x) => x?.name === host.container) ?? (pod.spec?.containers ?? [])[0];
  return c?.image;
}

export function hostProfile(sim: Cluster, host: HostRef): ImageProfile | undefined {
  return host.kind === 'pod' ? imageProfile(hostImage(sim, host)) : undefined;
}

const toolCache = new WeakMap<ImageProfile, Set<string>>();
const WS_TOOLS = new Set([...BASE_TOOLS, ...WORKSTATION]);
const NODE_TOOLS = new Set([...BASE_TOOLS, ...NODE]);

/** The command names installed on a host (whether or not the engine implements them yet). */
export function hostTools(sim: Cluster, host: HostRef): Set<string> {
  if (host.kind === 'workstation') return WS_TOOLS;
  if (host.kind === 'node') return NODE_TOOLS;
  const p = hostProfile(sim, host)!;
  let s = toolCache.get(p);
  if (!s) {
    s = new Set([...BASE_TOOLS, ...p.tools]);
    toolCache.set(p, s);
  }
  return s;
}

export function hasTool(sim: Cluster, host: HostRef, name: string): boolean {
  return hostTools(sim, host).has(name);
}

/** Which shell a host runs: bash (workstation, nodes, debian images, netshoot) or busybox ash. */
export function hostFlavour(sim: Cluster, host: HostRef): ShellFlavour {
  if (host.kind !== 'pod') return 'bash';
  return hostProfile(sim, host)!.flavour;
}

/** Which `nslookup` a host has: busybox's applet or bind's (bind-utils / dnsutils). */
export function nslookupFlavour(sim: Cluster, host: HostRef): NslookupFlavour {
  if (host.kind !== 'pod') return 'bind';
  return hostProfile(sim, host)!.nslookup;
}

/** The host's name: `workstation`, the node's name, the pod's hostname (spec.hostname or its name). */
export function hostName(sim: Cluster, host: HostRef): string {
  if (host.kind === 'workstation') return 'workstation';
  if (host.kind === 'node') return host.node;
  const pod = hostPod(sim, host);
  return (pod?.spec?.hostname as string | undefined) ?? host.pod;
}

export function hostUser(host: HostRef): string {
  return host.kind === 'workstation' ? 'learner' : 'root';
}

/** The cwd as bash's `\w` shows it: the home directory (and below) as `~`. */
export function tildePath(cwd: string, home: string): string {
  if (home !== '/' && (cwd === home || cwd.startsWith(home + '/'))) return '~' + cwd.slice(home.length);
  return cwd;
}

/**
 * The prompt: `learner@workstation:~$ `, `root@node-1:~# `, busybox's `/ # `, and
 * debian images' `root@web-7d4b9c8f5-x2kqp:/# `.
 */
export function hostPrompt(sim: Cluster, host: HostRef, cwd: string): string {
  if (host.kind === 'workstation') return `learner@workstation:${tildePath(cwd, HOME)}$ `;
  if (host.kind === 'node') return `root@${host.node}:${tildePath(cwd, '/root')}# `;
  const p = hostProfile(sim, host)!;
  const shown = tildePath(cwd, '/root');
  if (p.flavour === 'busybox' || p.family === 'netshoot') return `${shown} # `;
  return `root@${hostName(sim, host)}:${shown}# `;
}

/** Node names a learner can `ssh` to (from Node objects; scenario settings before they exist). */
export function nodeNames(sim: Cluster): string[] {
  const fromStore = sim.store.list('Node').map((n) => n.metadata.name);
  if (fromStore.length) return fromStore;
  return sim.settings.nodes.map((n) => n.name);
}

export function sameHost(a: HostRef, b: HostRef): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'node') return a.node === (b as typeof a).node;
  if (a.kind === 'pod') {
    const c = b as typeof a;
    return a.namespace === c.namespace && a.pod === c.pod && a.container === c.container;
  }
  return true;
}
