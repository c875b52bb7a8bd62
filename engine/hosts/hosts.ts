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
import { HOME, normalizePath, type Mount } from './vfs';
import { isNginxImage, nginxImageEnv } from './nginx';
import { GNU_EXTRAS, ROOT_USER, catalogToolNames, imageName, imageProfile, imageTag, type ImageProfile, type ImageUser, type NslookupFlavour, type ShellFlavour } from './images';

export { imageName, imageTag, imageProfile } from './images';
export type { ImageProfile, ImageUser, NslookupFlavour, ShellFlavour } from './images';

/** Shell builtins and text tools every host has (bash builtins, coreutils or busybox applets). */
export const BASE_TOOLS = [
  ':', '[', 'alias', 'command', 'awk', 'base64', 'basename', 'dirname', 'jobs', 'fg', 'kill', 'printenv', 'timeout', 'wait', 'cat', 'cd', 'clear', 'cut', 'date', 'echo', 'env', 'exit', 'export', 'false', 'grep',
  'head', 'help', 'history', 'hostname', 'id', 'ls', 'mkdir', 'printf', 'pwd', 'read', 'rm', 'sed', 'seq', 'sh', 'sleep',
  'sort', 'tail', 'tee', 'test', 'touch', 'tr', 'true', 'type', 'unalias', 'uname', 'uniq', 'unset', 'watch', 'wc', 'which', 'whoami', 'xargs',
];

const WORKSTATION = ['kubectl', 'helm', 'hubble', 'istioctl', 'curl', 'openssl', 'dig', 'nslookup', 'host', 'ssh', 'ping', 'nc', 'answer', 'sudo', 'nohup', 'setsid', ...GNU_EXTRAS];

const NODE = [
  'ip', 'bridge', 'iptables', 'iptables-save', 'ip6tables', 'ip6tables-save', 'ipvsadm', 'ipset', 'conntrack', 'nft', 'ss', 'curl', 'ping',
  'traceroute', 'nslookup', 'dig', 'host', 'crictl', 'tcpdump', 'nc', 'ethtool', 'getent', 'ps', 'sudo', 'ssh', 'sysctl', 'systemctl', 'journalctl', 'file', ...GNU_EXTRAS,
  // procps, util-linux and the Kubernetes packages' binaries (commands/runtime)
  'pgrep', 'pidof', 'nsenter', 'lsmod', 'kubectl', 'kubelet', 'kubeadm', 'containerd', 'ctr', 'runc',
  // procps, coreutils and util-linux over the machine (commands/runtime/systools.ts, df.ts, dmesg.ts)
  'free', 'top', 'uptime', 'nproc', 'df', 'dmesg',
  // coreutils' nohup and util-linux's setsid (commands/text/nohup.ts)
  'nohup', 'setsid',
  // systemd-resolved's client (commands/runtime/resolvectl.ts)
  'resolvectl',
];

/** Every tool name a host can have: the command table answers each one, modelled or not (commands/net/catalog). */
export function installableTools(): string[] {
  return [...new Set([...BASE_TOOLS, ...WORKSTATION, ...NODE, ...catalogToolNames()])];
}

/** The pod a host refers to, if any. */
export function hostPod(cluster: Cluster, host: HostRef): KubeObject | undefined {
  return host.kind === 'pod' ? cluster.store.get('Pod', host.namespace, host.pod) : undefined;
}

/** The image of the container a pod host refers to (by name, default the first). */
export function hostImage(cluster: Cluster, host: HostRef): string | undefined {
  const pod = hostPod(cluster, host);
  if (!pod || host.kind !== 'pod') return undefined;
  type C = { name?: string; image?: string };
  const all: C[] = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []), ...(pod.spec?.ephemeralContainers ?? [])];
  const c = all.find((x) => x?.name === host.container) ?? (pod.spec?.containers ?? [])[0];
  // a running container keeps the image it started from until the kubelet restarts it for a
  // new one (kubectl set image on a Pod): its status names the image it runs
  type S = { name?: string; image?: string; state?: { running?: unknown } };
  const st = ((pod.status as { containerStatuses?: S[] } | undefined)?.containerStatuses ?? []).find((x) => x?.name === c?.name);
  const norm = (i: string) => `${imageName(i).replace(/^library\//, '')}:${imageTag(i)}`;
  if (c?.image && st?.state?.running && st.image && norm(st.image) !== norm(c.image)) return st.image.replace(/^docker\.io\/(library\/)?/, '');
  return c?.image;
}

export function hostProfile(cluster: Cluster, host: HostRef): ImageProfile | undefined {
  return host.kind === 'pod' ? imageProfile(hostImage(cluster, host)) : undefined;
}

const toolCache = new WeakMap<ImageProfile, Set<string>>();
const WS_TOOLS = new Set([...BASE_TOOLS, ...WORKSTATION]);
const NODE_TOOLS = new Set([...BASE_TOOLS, ...NODE]);

/**
 * The ENV an image's Dockerfile sets besides PATH, in its order: containerd's CRI applies the
 * image's env after its own HOSTNAME and before the container's (oci.WithEnv replaces a key in
 * place), so nicolaka/netshoot's `ENV HOSTNAME netshoot` (v0.13 Dockerfile) wins over the Pod's
 * name in $HOSTNAME, and nginx's NGINX_VERSION, NJS_VERSION… (hosts/nginx.ts) follow it.
 */
export function imageEnv(image: string | undefined): [string, string][] {
  if (isNginxImage(image)) return nginxImageEnv(image!);
  if (imageProfile(image).family === 'netshoot') return [['HOSTNAME', 'netshoot']];
  return [];
}

/** The command names installed on a host (whether or not the engine implements them yet). */
export function hostTools(cluster: Cluster, host: HostRef): Set<string> {
  if (host.kind === 'workstation') return WS_TOOLS;
  if (host.kind === 'node') return NODE_TOOLS;
  const p = hostProfile(cluster, host)!;
  let s = toolCache.get(p);
  if (!s) {
    s = new Set([...(p.bare ? [] : BASE_TOOLS), ...p.tools]);
    toolCache.set(p, s);
  }
  return s;
}

export function hasTool(cluster: Cluster, host: HostRef, name: string): boolean {
  return hostTools(cluster, host).has(name);
}

/** Images built on Alpine, whose programs link musl (getopt's "unrecognized option: X", musl's strerror texts). */
export function isMuslHost(cluster: Cluster, host: HostRef): boolean {
  return host.kind === 'pod' && ['alpine', 'curl', 'netshoot', 'agnhost', 'nginx-alpine', 'ingress-nginx'].includes(hostProfile(cluster, host)?.family ?? '');
}

/** Busybox-based images (busybox, alpine, curlimages/curl, agnhost): ping, nc, traceroute are busybox's applets. */
export function isBusyboxHost(cluster: Cluster, host: HostRef): boolean {
  return host.kind === 'pod' && hostProfile(cluster, host)!.flavour === 'busybox';
}

/**
 * Whether the host's `name` is a busybox applet: busybox, alpine and curl images, and in
 * netshoot or agnhost the applets no package replaced (netshoot's ps, ifconfig, route, arp,
 * netstat, traceroute). Nodes and the workstation carry the GNU and iproute2 tools.
 */
export function isBusyboxApplet(cluster: Cluster, host: HostRef, name: string): boolean {
  return host.kind === 'pod' && hostProfile(cluster, host)!.applets.has(name);
}

/** Which shell a host runs: bash (workstation, nodes, debian images, netshoot) or busybox ash. */
export function hostFlavour(cluster: Cluster, host: HostRef): ShellFlavour {
  if (host.kind !== 'pod') return 'bash';
  return hostProfile(cluster, host)!.flavour;
}

/** Which `nslookup` a host has: busybox's applet or bind's (bind-utils / dnsutils). */
export function nslookupFlavour(cluster: Cluster, host: HostRef): NslookupFlavour {
  if (host.kind !== 'pod') return 'bind';
  return hostProfile(cluster, host)!.nslookup;
}

/** The host's name: `workstation`, the node's name, the pod's hostname (spec.hostname or its name). */
export function hostName(cluster: Cluster, host: HostRef): string {
  if (host.kind === 'workstation') return 'workstation';
  if (host.kind === 'node') return host.node;
  const pod = hostPod(cluster, host);
  // a hostNetwork Pod shares the node's UTS namespace: its hostname is the node's
  if (pod?.spec?.hostNetwork && pod.spec.nodeName) return pod.spec.nodeName;
  return (pod?.spec?.hostname as string | undefined) ?? host.pod;
}

/** The learner on the workstation (uid 1000, in sudo), root on nodes, the image's USER in a container (images.ts), or who the securityContext says. */
export function hostIdentity(cluster: Cluster, host: HostRef): ImageUser {
  if (host.kind === 'workstation') return { uid: 1000, user: 'learner', gid: 1000, group: 'learner', home: HOME };
  if (host.kind === 'node') return ROOT_USER;
  return containerIdentity(cluster, host).user;
}

/** A container's process identity: its user (names '' where the image's /etc/passwd or /etc/group has none) and its supplementary groups. */
export interface ContainerIdentity {
  user: ImageUser;
  /** getgroups(): the kernel keeps them sorted (groups_sort); the primary gid is among them. */
  groups: number[];
  /** Whether the securityContext chose the uid or gid (else the image's USER decides). */
  overridden: boolean;
}

/**
 * Who a container's processes run as. The kubelet passes runAsUser / runAsGroup (the
 * container's securityContext over the Pod's) and the Pod's supplementalGroups and fsGroup to
 * containerd, whose CRI plugin (internal/cri/server/container_create_linux.go, 1.7: WithUser
 * → oci.WithUserID, WithAdditionalGIDs) sets the uid, the gid (runAsGroup, else the image's
 * /etc/passwd entry for that uid, else 0) and HOME (the entry's, else /); the additional gids
 * are the primary one, the user's /etc/group memberships and the Pod's groups. Names come from
 * the image's files: root, and the image's own USER (nginx, curl_user…); any other id has none.
 */
export function containerIdentity(cluster: Cluster, host: HostRef & { kind: 'pod' }): ContainerIdentity {
  const image = hostProfile(cluster, host)?.user ?? ROOT_USER;
  const pod = hostPod(cluster, host);
  type Sc = { runAsUser?: number; runAsGroup?: number; fsGroup?: number; supplementalGroups?: number[] };
  type C = { name?: string; securityContext?: Sc };
  const all: C[] = [...(pod?.spec?.containers ?? []), ...(pod?.spec?.initContainers ?? []), ...(pod?.spec?.ephemeralContainers ?? [])];
  const c = all.find((x) => x?.name === host.container) ?? (pod?.spec?.containers ?? [])[0];
  const ps: Sc = (pod?.spec?.securityContext as Sc | undefined) ?? {};
  const num = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined);
  const runAsUser = num(c?.securityContext?.runAsUser) ?? num(ps.runAsUser);
  const runAsGroup = num(c?.securityContext?.runAsGroup) ?? num(ps.runAsGroup);
  const extra = [num(ps.fsGroup), ...(Array.isArray(ps.supplementalGroups) ? ps.supplementalGroups.map(num) : [])].filter((g): g is number => g !== undefined);
  if (runAsUser === undefined && runAsGroup === undefined && extra.length === 0) return { user: image, groups: [image.gid], overridden: false };
  const uid = runAsUser ?? image.uid;
  const known = uid === image.uid ? image : uid === 0 ? ROOT_USER : undefined;
  const gid = runAsGroup ?? known?.gid ?? 0;
  const group = gid === 0 ? 'root' : gid === image.gid ? image.group : '';
  const user: ImageUser = { uid, user: known?.user ?? '', gid, group, home: known?.home ?? '/' };
  // the user's memberships in the image's /etc/group: root is in wheel (10) in busybox's and Alpine's
  const members = uid === 0 && hostProfile(cluster, host)?.flavour === 'busybox' ? [10] : [];
  const groups = [...new Set([gid, ...members, ...extra])].sort((a, b) => a - b);
  return { user, groups, overridden: true };
}

/** Directories of mode 1777 in every image (and Debian's /run/lock): anyone may create files there. */
const WORLD_WRITABLE = ['/tmp', '/var/tmp', '/dev/shm', '/run/lock'];

/**
 * Whether a container's user may create or replace the file at `path` (write permission on its
 * directory, or on the file: /dev/termination-log is 0666): root anywhere; any other uid in the
 * world-writable directories, the Pod's emptyDir volumes (the kubelet creates them 0777:
 * pkg/volume/emptydir setupDir), and its own home directory. Read-only mounts are not
 * modelled. Nodes and the workstation are not checked (root, and the learner's sudo).
 */
export function mayWrite(cluster: Cluster, host: HostRef, path: string): boolean {
  if (host.kind !== 'pod') return true;
  const { user } = containerIdentity(cluster, host);
  if (user.uid === 0 || path === '/dev/termination-log') return true;
  const under = (dir: string) => path === dir || path.startsWith(dir === '/' ? '/' : dir + '/');
  if (WORLD_WRITABLE.some((d) => under(d) && path !== d)) return true;
  if (user.home !== '/' && under(user.home) && path !== user.home) return true;
  const pod = hostPod(cluster, host);
  type C = { name?: string; volumeMounts?: { name: string; mountPath: string }[] };
  const all: C[] = [...(pod?.spec?.containers ?? []), ...(pod?.spec?.initContainers ?? []), ...(pod?.spec?.ephemeralContainers ?? [])];
  const c = all.find((x) => x?.name === host.container) ?? (pod?.spec?.containers ?? [])[0];
  const empty = new Set(((pod?.spec?.volumes ?? []) as { name: string; emptyDir?: unknown }[]).filter((v) => v.emptyDir).map((v) => v.name));
  return (c?.volumeMounts ?? []).some((m: { name: string; mountPath: string }) => empty.has(m.name) && under(normalizePath(m.mountPath)) && path !== normalizePath(m.mountPath));
}

export function hostUser(cluster: Cluster, host: HostRef): string {
  return hostIdentity(cluster, host).user;
}

/** Where a container's process starts: the container's workingDir, else the image's WORKDIR, else /. */
export function hostWorkdir(cluster: Cluster, host: HostRef): string {
  if (host.kind === 'workstation') return HOME;
  if (host.kind === 'node') return '/root';
  const pod = hostPod(cluster, host);
  type C = { name?: string; workingDir?: string };
  const all: C[] = [...(pod?.spec?.containers ?? []), ...(pod?.spec?.initContainers ?? []), ...(pod?.spec?.ephemeralContainers ?? [])];
  const c = all.find((x) => x?.name === host.container);
  return c?.workingDir ?? hostProfile(cluster, host)?.workdir ?? '/';
}

/** The shell a container session runs when none was named: the container's command (or args), else the image's CMD. */
function defaultShell(cluster: Cluster, host: HostRef & { kind: 'pod' }): string | undefined {
  const pod = hostPod(cluster, host);
  type C = { name?: string; command?: string[]; args?: string[] };
  const all: C[] = [...(pod?.spec?.containers ?? []), ...(pod?.spec?.initContainers ?? []), ...(pod?.spec?.ephemeralContainers ?? [])];
  const c = all.find((x) => x?.name === host.container);
  const first = c?.command?.[0] ?? c?.args?.[0];
  return first ? first.slice(first.lastIndexOf('/') + 1) : hostProfile(cluster, host)?.cmdShell;
}

/** The cwd as bash's `\w` shows it: the home directory (and below) as `~`. */
export function tildePath(cwd: string, home: string): string {
  if (home !== '/' && (cwd === home || cwd.startsWith(home + '/'))) return '~' + cwd.slice(home.length);
  return cwd;
}

/**
 * The prompt: `learner@workstation:~$ `, `root@node-1:~# `, busybox ash's default `\w \$ `
 * (`/ # `, curlimages/curl's curl_user in its home: `~ $ `), and debian images' bash
 * `root@web-7d4b9c8f5-x2kqp:/# `. In netshoot the shell decides: ash keeps busybox's default,
 * bash reads Alpine's /etc/bash/bashrc (aports main/bash/bashrc: `PS1='\h:\w\$ '` →
 * `debug:~# `), zsh (the image's CMD) prints zsh's built-in default `%m%# ` (`debug# `) — the
 * image's ~/.zshrc loads oh-my-zsh with powerlevel10k, whose prompt is not modelled.
 */
export function hostPrompt(cluster: Cluster, host: HostRef, cwd: string, shell?: string): string {
  if (host.kind === 'workstation') return `learner@workstation:${tildePath(cwd, HOME)}$ `;
  // dash (the node's /bin/sh, `chroot /host` without $SHELL) has no prompt escapes: its default PS1 for root is `# `
  if (host.kind === 'node') return shell === 'dash' ? '# ' : `root@${host.node}:${tildePath(cwd, '/root')}# `;
  const p = hostProfile(cluster, host)!;
  const id = hostIdentity(cluster, host);
  const shown = tildePath(cwd, id.home);
  const sign = id.uid === 0 ? '#' : '$';
  // \h: the hostname up to its first dot
  const h = hostName(cluster, host).split('.')[0];
  // radial/busyboxplus sets PS1 to `[ \u@\h:\w ]$ ` (the Connect Applications page's `[ root@curl-…:/ ]$ `)
  if (p.family === 'busyboxplus') return `[ ${id.user}@${hostName(cluster, host)}:${cwd} ]$ `;
  if (p.flavour === 'busybox') return `${shown} ${sign} `;
  if (p.family === 'netshoot') {
    const sh = shell ?? defaultShell(cluster, host) ?? 'sh';
    if (sh === 'bash') return `${h}:${shown}${sign} `;
    if (sh === 'zsh') return `${h}${sign} `;
    return `${shown} ${sign} `;
  }
  return `${id.user}@${hostName(cluster, host)}:${shown}${sign} `;
}

/** Node names a learner can `ssh` to (from Node objects; scenario settings before they exist). */
export function nodeNames(cluster: Cluster): string[] {
  const fromStore = cluster.store.list('Node').map((n) => n.metadata.name);
  if (fromStore.length) return fromStore;
  return cluster.settings.nodes.map((n) => n.name);
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

/**
 * The hostPath volumes a Pod's container mounts: the node's directory at the mount path
 * (kubectl debug node/NAME's host-root at /host, kube-proxy's /lib/modules…).
 */
export function hostPathMounts(cluster: Pick<Cluster, 'store'>, host: HostRef): Mount[] {
  if (host.kind !== 'pod') return [];
  const pod = cluster.store.get('Pod', host.namespace, host.pod);
  const node = pod?.spec?.nodeName as string | undefined;
  if (!pod || !node) return [];
  type Vm = { name: string; mountPath: string };
  type C = { name?: string; volumeMounts?: Vm[] };
  const all: C[] = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []), ...(pod.spec?.ephemeralContainers ?? [])];
  const c = all.find((x) => x.name === host.container) ?? (pod.spec?.containers ?? [])[0];
  const volumes: { name: string; hostPath?: { path: string } }[] = pod.spec?.volumes ?? [];
  const out: Mount[] = [];
  for (const vm of c?.volumeMounts ?? []) {
    const v = volumes.find((x) => x.name === vm.name);
    if (v?.hostPath?.path) out.push({ at: normalizePath(vm.mountPath), host: { kind: 'node', node }, path: normalizePath(v.hostPath.path) });
  }
  return out;
}
