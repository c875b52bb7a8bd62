/**
 * df — the mounts a host sees and their usage, derived from the node's state.
 *
 * A node (an Ubuntu 22.04 cloud image on a t3.medium, machine.ts) mounts, in boot order: the
 * root ext4 (/dev/root, as big as the Node's ephemeral-storage capacity — the kubelet
 * reports statfs of its root directory), the tmpfs /dev/shm (half the RAM), /run (20%, the
 * initramfs's RUNSIZE) and /run/lock (5 MiB), the EFI partition; then, as each Pod came, the
 * kubelet's tmpfs for its projected service-account token (sized by the Pod's memory limit,
 * else the node's allocatable memory; 3 files, 12K) and for secret volumes, containerd's
 * 64M `shm` for the sandbox (unless hostIPC), and an overlay rootfs for the sandbox and for
 * each running container, all under /run/containerd; last the learner's login session's
 * /run/user/0 (10%). The root's usage is the OS, each image the node holds unpacked beside
 * its compressed blobs (crictl images' sizes), each container's writable layer; ext4
 * reserves 5% of the blocks for root, so Avail is less than Size − Used.
 *
 * A container sees its own mount namespace: the overlay root, runc's 64M /dev tmpfs, the
 * kubelet's bind mounts of files on the node's disk (/dev/termination-log, /etc/resolv.conf,
 * /etc/hostname, /etc/hosts), its shm, the token volume (at /run/secrets/… where the image's
 * /var/run links to /run), and the kubelet's masked paths (pkg/securitycontext
 * defaultMaskedPaths: the directories that exist on this kernel get a read-only tmpfs of
 * half the RAM, the files a bind of /dev/null, which is on the /dev tmpfs).
 *
 * Both also carry the filesystems without blocks (proc, sysfs, devpts, cgroup2, nsfs…) that
 * only -a lists, and each filesystem's inode counts (statfs f_files/f_ffree: ext4's from its
 * block groups, tmpfs's nr_inodes — shmem_default_max_inodes unless the mount set one —, 0
 * for vfat and the pseudo filesystems) for -i.
 *
 * GNU df (coreutils 8.32 src/df.c): 1K-blocks, Used, Available, Use% (used/(used+avail)
 * rounded up), columns as wide as their widest cell (print_table, field_data's minimum
 * widths), -h/-H rounding up (human_ceiling), -T, -t/-x, -P, --total, FILE operands;
 * filter_mount_list keeps one mount per device, the one nearest the root; -a keeps every
 * mount, and get_dev prints `-` for one whose mount point another mount covers (systemd-1's
 * autofs under binfmt_misc); -i the Inodes/IUsed/IFree/IUse% columns (field_data's itotal…
 * ipcent), `-` where a filesystem has no inodes. busybox df (coreutils/df.c 1_36_1, built
 * with FEATURE_DF_FANCY): every mount with blocks, all with -a, `%-20s %9s %9s %9s %3u%% %s`,
 * -h by make_human_readable_str, -T, -t, -k/-m/-P, -B SIZE (kmg_i_suffixes), -i (the
 * `   Inodes` header, f_frsize 1).
 */
import type { RunResult } from '../../types';
import type { CommandContext, CommandSpec } from '../../shell/command';
import type { KubeObject } from '../../cluster/types';
import type { ClusterRuntime } from '../../controllers/runtime';
import { hostPod, hostProfile, isBusyboxApplet, isMuslHost } from '../../hosts/hosts';
import { imageSize } from '../../controllers/images';
import { normalizePath } from '../../hosts/vfs';
import { nodeImageRefs } from './crictl-status';
import { containersOf, sandboxId, sandboxesOn } from './sandboxes';
import { nodeMemTotal } from './machine';
import { netnsName } from '../../controllers/cni/netdev';
import { bbHuman } from './systools';
import { bbUsage } from '../net/host/busybox';

export interface Mount {
  source: string;
  type: string;
  target: string;
  /** Sizes in KiB. */
  size: number;
  used: number;
  avail: number;
  /** Its device (st_dev): bind mounts of one filesystem share it. */
  dev: string;
  /** statfs f_files and f_ffree (0 where the filesystem keeps no inode count: vfat, the pseudo filesystems). */
  files?: number;
  ffree?: number;
}

/**
 * A filesystem without blocks (statfs f_blocks = 0: proc, sysfs, cgroup2, devpts, mqueue…,
 * each answering simple_statfs, and the kernel's own devtmpfs mount, SB_KERNMOUNT so
 * unlimited): df lists it only with -a.
 */
const pseudo = (source: string, type: string, target: string, dev = `${type}:${target}`): Mount => ({ source, type, target, size: 0, used: 0, avail: 0, dev, files: 0, ffree: 0 });

/**
 * tmpfs's inode limit when the mount names none (mm/shmem.c shmem_default_max_inodes on a
 * 64-bit machine without highmem: totalram_pages / 2); MemTotal is totalram_pages × 4 KiB.
 */
const tmpfsInodes = (memTotalKb: number) => Math.floor(Math.floor(memTotalKb / 4) / 2);
const tmpfsNode = (m: Omit<Mount, 'files' | 'ffree'>, files: number, used: number): Mount => ({ ...m, files, ffree: files - used });

const pagesKb = (kb: number) => Math.floor(kb / 4) * 4;

/** The node's root ext4: size from ephemeral-storage capacity, used by the OS, images and writable layers; 5% reserved. */
function rootFs(cluster: ClusterRuntime, node: string): { size: number; used: number; avail: number; files: number; ffree: number } {
  const n = cluster.store.get('Node', undefined, node);
  const m = /^(\d+)Ki$/.exec(String(n?.status?.capacity?.['ephemeral-storage'] ?? ''));
  const size = m ? Number(m[1]) : 61_202_244;
  const images = nodeImageRefs(cluster, node).reduce((s, ref) => s + imageSize(ref), 0);
  const boxes = sandboxesOn(cluster, node).filter((b) => b.sandbox.state === 'Ready');
  const containers = boxes.reduce((s, b) => s + containersOf(b.pod, b.sandbox).filter((c) => c.state === 'Running').length, 0);
  // Ubuntu server, the Kubernetes packages, /var/log and the journal
  const used = pagesKb(4_386_712 + Math.round((images * 3.3) / 1024) + 48 * containers + 24 * boxes.length);
  const reserved = Math.floor(size * 0.05);
  // inodes: mke2fs's default inode_ratio (16384) gives 8192 inodes per 128 MiB block group,
  // kept per group when cloud-init's growpart/resize2fs grows the image to the volume; in use:
  // the OS and packages, each image's unpacked files (about one per 24 KiB unpacked), each
  // container's writable layer and sandbox directory
  const files = Math.ceil((size * 1024) / 4096 / 32_768) * 8192;
  const iused = 71_358 + Math.round((images * 3.3) / 24_576) + 14 * containers + 9 * boxes.length;
  return { size, used, avail: Math.max(0, size - used - reserved), files, ffree: Math.max(0, files - iused) };
}

function allocatableMemory(cluster: ClusterRuntime, node: string): number {
  const n = cluster.store.get('Node', undefined, node);
  const m = /^(\d+)Ki$/.exec(String(n?.status?.allocatable?.memory ?? ''));
  return m ? Number(m[1]) : nodeMemTotal(cluster, node);
}

/** A quantity of memory in KiB (`170Mi`, `1Gi`, `512M`, `128974848`). */
function memKb(q: string | undefined): number | undefined {
  if (!q) return undefined;
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(q);
  if (!m) return undefined;
  const mult: Record<string, number> = { Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };
  return Math.floor((Number(m[1]) * (m[2] ? mult[m[2]] : 1)) / 1024);
}

/** The kubelet's memory-backed volume size: the Pod's memory limit when every container has one, else the node's allocatable memory. */
function volumeSize(cluster: ClusterRuntime, node: string, pod: KubeObject): number {
  const cs = (pod.spec?.containers ?? []) as { resources?: { limits?: { memory?: string } } }[];
  const limits = cs.map((c) => memKb(c.resources?.limits?.memory));
  const alloc = allocatableMemory(cluster, node);
  if (cs.length && limits.every((l) => l !== undefined)) return pagesKb(Math.min(alloc, limits.reduce((s, l) => s! + l!, 0)!));
  return pagesKb(alloc);
}

type Vol = { name: string; projected?: unknown; secret?: { secretName?: string } };

/** The Pod's memory-backed volumes (projected and secret), as the kubelet mounts them. */
function podTmpfs(cluster: ClusterRuntime, node: string, pod: KubeObject): Mount[] {
  const out: Mount[] = [];
  const size = volumeSize(cluster, node, pod);
  const files = tmpfsInodes(nodeMemTotal(cluster, node));
  for (const v of (pod.spec?.volumes ?? []) as Vol[]) {
    const plugin = v.projected ? 'kubernetes.io~projected' : v.secret ? 'kubernetes.io~secret' : undefined;
    if (!plugin) continue;
    let used = 12;
    // the atomic writer's layout: the root, the timestamped directory with each key, the
    // ..data link and a link per key (3 keys for the token's projection)
    let keys = 3;
    if (v.secret) {
      const s = cluster.store.get('Secret', pod.metadata.namespace, v.secret.secretName ?? '');
      keys = Object.keys(s?.data ?? {}).length;
      used = 4 * Math.max(1, keys);
    }
    out.push(tmpfsNode({ source: 'tmpfs', type: 'tmpfs', target: `/var/lib/kubelet/pods/${pod.metadata.uid}/volumes/${plugin}/${v.name}`, size, used, avail: size - used, dev: `tmpfs:${pod.metadata.uid}/${v.name}` }, files, 3 + 2 * keys));
  }
  return out;
}

const SHM = 65_536;

/**
 * The node's mounts in /proc/self/mountinfo order. Booted without an initramfs (the root is
 * /dev/root): the kernel mounts the root and its devtmpfs on /dev, then systemd's
 * mount_table (src/shared/mount-setup.c, v249: proc, sysfs, securityfs, /dev/shm, devpts,
 * /run with TMPFS_LIMITS_RUN `size=20%,nr_inodes=800k`, Debian's /run/lock, cgroup2, pstore,
 * bpf), its .mount and .automount units (binfmt_misc's autofs trigger, hugetlbfs, mqueue,
 * debugfs, tracefs, fusectl, configfs), /boot/efi from fstab, binfmt_misc once the trigger
 * fired; then the Pods' mounts. containerd keeps each sandbox's network namespace bound at
 * /run/netns/cni-…: the first one bind-mounts /run/netns on itself and makes it shared
 * (pkg/netns/netns_linux.go), so each nsfs mount also propagates to /run's own peer and is
 * listed twice. `all`: with the filesystems that have no blocks, which df shows only with -a.
 */
export function nodeMounts(cluster: ClusterRuntime, node: string, all = false): Mount[] {
  const total = nodeMemTotal(cluster, node);
  const pages = Math.floor(total / 4);
  const root = rootFs(cluster, node);
  const shmem = (pct: number) => Math.floor((pages * pct) / 100) * 4;
  const inodes = tmpfsInodes(total);
  const boxes = sandboxesOn(cluster, node).filter((b) => b.sandbox.state === 'Ready');
  const runUsed = 1_216 + 16 * boxes.length;
  // /run's inodes: systemd's, udev's and the services' files, and per sandbox containerd's task
  // directories (a bundle of 9 entries per task) and its shm directory
  const tasks = boxes.reduce((n, b) => n + 1 + containersOf(b.pod, b.sandbox).filter((c) => c.state === 'Running').length, 0);
  const runInodes = 734 + 9 * tasks + 2 * boxes.length;
  const rootMount: Mount = { source: '/dev/root', type: 'ext4', target: '/', ...root, dev: 'root' };
  const out: Mount[] = [
    rootMount,
    pseudo('devtmpfs', 'devtmpfs', '/dev'),
    pseudo('proc', 'proc', '/proc'),
    pseudo('sysfs', 'sysfs', '/sys'),
    pseudo('securityfs', 'securityfs', '/sys/kernel/security'),
    tmpfsNode({ source: 'tmpfs', type: 'tmpfs', target: '/dev/shm', size: shmem(50), used: 0, avail: shmem(50), dev: 'shm' }, inodes, 1),
    pseudo('devpts', 'devpts', '/dev/pts'),
    tmpfsNode({ source: 'tmpfs', type: 'tmpfs', target: '/run', size: shmem(20), used: runUsed, avail: shmem(20) - runUsed, dev: 'run' }, 819_200, runInodes),
    tmpfsNode({ source: 'tmpfs', type: 'tmpfs', target: '/run/lock', size: 5_120, used: 0, avail: 5_120, dev: 'lock' }, inodes, 1),
    pseudo('cgroup2', 'cgroup2', '/sys/fs/cgroup'),
    pseudo('pstore', 'pstore', '/sys/fs/pstore'),
    pseudo('bpf', 'bpf', '/sys/fs/bpf'),
    pseudo('systemd-1', 'autofs', '/proc/sys/fs/binfmt_misc'),
    pseudo('hugetlbfs', 'hugetlbfs', '/dev/hugepages'),
    pseudo('mqueue', 'mqueue', '/dev/mqueue'),
    pseudo('debugfs', 'debugfs', '/sys/kernel/debug'),
    pseudo('tracefs', 'tracefs', '/sys/kernel/tracing'),
    pseudo('fusectl', 'fusectl', '/sys/fs/fuse/connections'),
    pseudo('configfs', 'configfs', '/sys/kernel/config'),
    { source: '/dev/nvme0n1p15', type: 'vfat', target: '/boot/efi', size: 106_858, used: 6_186, avail: 100_672, dev: 'efi', files: 0, ffree: 0 },
    pseudo('binfmt_misc', 'binfmt_misc', '/proc/sys/fs/binfmt_misc'),
  ];
  const timed: { at: number; seq: number; m: Mount }[] = [];
  const overlay = (id: string): Mount => ({ source: 'overlay', type: 'overlay', target: `/run/containerd/io.containerd.runtime.v2.task/k8s.io/${id}/rootfs`, ...root, dev: `overlay:${id}` });
  let netnsBound = false;
  // the oldest sandbox first: the kubelet mounts volumes, containerd the network namespace, the shm and the sandbox's root, then each container's
  for (const { pod, sandbox } of [...boxes].reverse()) {
    const at = sandbox.created;
    for (const m of podTmpfs(cluster, node, pod)) timed.push({ at: at - 1, seq: timed.length, m });
    if (!pod.spec?.hostNetwork) {
      if (!netnsBound) timed.push({ at, seq: timed.length, m: { ...out[7], target: '/run/netns' } });
      netnsBound = true;
      const ns = pseudo('nsfs', 'nsfs', `/run/netns/${netnsName(pod)}`, 'nsfs');
      timed.push({ at, seq: timed.length, m: ns }, { at, seq: timed.length + 1, m: ns });
    }
    if (!pod.spec?.hostIPC) timed.push({ at, seq: timed.length, m: tmpfsNode({ source: 'shm', type: 'tmpfs', target: `/run/containerd/io.containerd.grpc.v1.cri/sandboxes/${sandbox.id}/shm`, size: SHM, used: 0, avail: SHM, dev: `shm:${sandbox.id}` }, inodes, 1) });
    timed.push({ at, seq: timed.length, m: overlay(sandboxId(pod)) });
    for (const c of containersOf(pod, sandbox).filter((x) => x.state === 'Running')) timed.push({ at: Number.isFinite(c.created) ? Math.max(at, c.created) : at, seq: timed.length, m: overlay(c.id) });
  }
  timed.sort((a, b) => a.at - b.at || a.seq - b.seq);
  out.push(...timed.map((t) => t.m));
  // logind's runtime directory: RuntimeDirectorySize=10%, RuntimeDirectoryInodesMax its size / 4096
  out.push(tmpfsNode({ source: 'tmpfs', type: 'tmpfs', target: '/run/user/0', size: shmem(10), used: 4, avail: shmem(10) - 4, dev: 'user0' }, Math.ceil(shmem(10) / 4), 13));
  return all ? out : out.filter((m) => m.size > 0);
}

/** Paths the kubelet masks (defaultMaskedPaths) that exist on the node's 5.15 kernel: directories and files. */
const MASKED: [string, 'dir' | 'file'][] = [['/proc/acpi', 'dir'], ['/proc/kcore', 'file'], ['/proc/keys', 'file'], ['/proc/timer_list', 'file'], ['/proc/scsi', 'dir'], ['/sys/firmware', 'dir']];

/** The read-only /proc paths (kubelet defaultReadonlyPaths) that exist on the node's kernel (no /proc/asound: no sound card): binds of proc, after the root's own. */
const READONLY_PROC = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

/**
 * A container's mounts in mountinfo order: runc mounts the OCI spec's list (containerd's
 * defaults: /proc, /dev, /dev/pts, /dev/mqueue, /sys, /sys/fs/cgroup, then the kubelet's
 * files, /dev/shm and volumes), then the read-only paths, then the masked ones
 * (libcontainer/rootfs_linux.go readonlyPath, maskPath). `all`: with those without blocks.
 */
export function containerMounts(cluster: ClusterRuntime, host: CommandContext['host'], all = false): Mount[] {
  const pod = hostPod(cluster, host);
  const node = pod?.spec?.nodeName as string | undefined;
  if (!pod || !node) return [];
  const root = rootFs(cluster, node);
  const total = nodeMemTotal(cluster, node);
  const half = Math.floor(Math.floor(total / 4) / 2) * 4;
  const inodes = tmpfsInodes(total);
  // runc's /dev: the root, null zero full random urandom tty, the pts, shm and mqueue mount
  // points, the fd stdin stdout stderr ptmx core links, the termination-log file
  const dev: Mount = tmpfsNode({ source: 'tmpfs', type: 'tmpfs', target: '/dev', size: SHM, used: 0, avail: SHM, dev: 'devtmp' }, inodes, 17);
  const disk = (target: string): Mount => ({ source: '/dev/root', type: 'ext4', target, ...root, dev: 'root' });
  const out: Mount[] = [
    { source: 'overlay', type: 'overlay', target: '/', ...root, dev: 'overlay' },
    pseudo('proc', 'proc', '/proc', 'proc'),
    dev,
    pseudo('devpts', 'devpts', '/dev/pts'),
    pseudo('mqueue', 'mqueue', '/dev/mqueue'),
    pseudo('sysfs', 'sysfs', '/sys'),
    pseudo('cgroup', 'cgroup2', '/sys/fs/cgroup'),
    disk('/dev/termination-log'), disk('/etc/resolv.conf'), disk('/etc/hostname'), disk('/etc/hosts'),
  ];
  if (!pod.spec?.hostIPC) out.push(tmpfsNode({ source: 'shm', type: 'tmpfs', target: '/dev/shm', size: SHM, used: 0, avail: SHM, dev: 'shm' }, inodes, 1));
  // /var/run is a link to /run in Alpine and Debian images; busybox's image has neither
  const family = hostProfile(cluster, host)?.family;
  const varRun = family === 'busybox' ? '/var/run' : '/run';
  type C = { name: string; volumeMounts?: { name: string; mountPath: string }[] };
  const list: C[] = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []), ...(pod.spec?.ephemeralContainers ?? [])];
  const c = list.find((x) => host.kind === 'pod' && x.name === host.container) ?? list[0];
  for (const m of podTmpfs(cluster, node, pod)) {
    const vm = c?.volumeMounts?.find((x) => m.target.endsWith(`/${x.name}`));
    if (!vm) continue;
    out.push({ ...m, target: normalizePath(vm.mountPath).replace(/^\/var\/run\//, `${varRun}/`) });
  }
  for (const path of READONLY_PROC) out.push(pseudo('proc', 'proc', path, 'proc'));
  for (const [path, kind] of MASKED) out.push(kind === 'dir' ? tmpfsNode({ source: 'tmpfs', type: 'tmpfs', target: path, size: half, used: 0, avail: half, dev: `mask:${path}` }, inodes, 1) : { ...dev, target: path });
  return all ? out : out.filter((m) => m.size > 0);
}

function mountsOf(ctx: CommandContext): Mount[] | undefined {
  if (ctx.host.kind === 'node') return nodeMounts(ctx.cluster, ctx.host.node, true);
  if (ctx.host.kind === 'pod') return containerMounts(ctx.cluster, ctx.host, true);
  return undefined;
}

/** The mount a path lives on: the last mounted whose target is the path or one of its parents. */
function mountFor(mounts: Mount[], path: string): Mount | undefined {
  let best: Mount | undefined;
  for (const m of mounts) if (path === m.target || m.target === '/' || path.startsWith(m.target + '/')) if (!best || m.target.length >= best.target.length) best = m;
  return best;
}

// ---------------------------------------------------------------- GNU df

/** gnulib human_readable with human_autoscale | human_SI | human_ceiling, from a byte count. */
function humanCeil(bytes: number, base: 1024 | 1000): string {
  if (bytes < base) return String(bytes);
  const units = ['', 'K', 'M', 'G', 'T', 'P', 'E'];
  let e = 0;
  let v = bytes;
  while (v >= base && e < units.length - 1) {
    v /= base;
    e++;
  }
  if (v < 10) {
    let t = Math.ceil(Math.round(v * 1e6) / 1e5) / 10;
    if (t >= 10) return `${Math.ceil(v)}${units[e]}`;
    if (t >= base) {
      t = 1;
      e++;
    }
    return `${t.toFixed(1)}${units[e]}`;
  }
  let n = Math.ceil(Math.round(v * 1e6) / 1e6);
  if (n >= base) {
    n = 1;
    e++;
    return `${n.toFixed(1)}${units[e]}`;
  }
  return `${n}${units[e]}`;
}

const DF_TRY = "Try 'df --help' for more information.\n";

/**
 * gnulib human.c humblock for -B/--block-size: `[N][UNIT]`, UNIT K M G T P E (powers of
 * 1024), with B (KB, MB: powers of 1000) or iB (KiB: 1024). A SIZE that begins with its unit
 * (`M`, `KB`) prints that unit after every number (human_SI); one with digits first does not.
 */
function blockSize(spec: string): { bytes: number; suffix: string } | undefined {
  const m = /^(\d*)([KMGTPE]?)(iB|B)?$/i.exec(spec);
  if (!m || (!m[1] && !m[2]) || /^0+$/.test(m[1])) return undefined;
  const n = m[1] ? Number(m[1]) : 1;
  const unit = m[2].toUpperCase();
  if (!unit && m[3]) return undefined;
  const si = m[3] === 'B' || m[3] === 'b';
  const power = unit ? 'KMGTPE'.indexOf(unit) + 1 : 0;
  const bytes = n * (si ? 1000 : 1024) ** power;
  if (!Number.isSafeInteger(bytes)) return undefined;
  // the suffix human_readable appends: the unit letter (k for SI kilo), B for SI, iB kept
  const letter = si && unit === 'K' ? 'k' : unit;
  const suffix = m[1] ? '' : `${letter}${si ? 'B' : m[3] === 'iB' ? 'iB' : ''}`;
  return { bytes, suffix };
}

/** df.c get_header: the block size as human_readable shows it, 1024-based when it divides evenly, else 1000-based, else bytes (`1M`, `1kB`, `512B`). */
function blockHeader(bytes: number): string {
  for (let p = 6; p >= 1; p--) {
    if (bytes % 1024 ** p === 0) return `${bytes / 1024 ** p}${'KMGTPE'[p - 1]}`;
    if (bytes % 1000 ** p === 0) return `${bytes / 1000 ** p}${'kMGTPE'[p - 1]}B`;
  }
  return `${bytes}B`;
}

function gnuDf(args: string[], ctx: CommandContext, mounts: Mount[]): RunResult {
  let human: 0 | 1024 | 1000 = 0;
  let blockKb = 1;
  /** -B/--block-size: the block in bytes, and the suffix each number carries (a SIZE that starts with its unit: -BM → `M`). */
  let block: { bytes: number; suffix: string } | undefined;
  let showType = false;
  let all = false;
  let inodes = false;
  let posix = false;
  let total = false;
  const onlyTypes: string[] = [];
  const exclude: string[] = [];
  const files: string[] = [];
  const bad = (s: string): RunResult => ({ stdout: '', stderr: s + DF_TRY, exitCode: 1 });
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      files.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const [name, inline] = a.split(/=(.*)/s);
      const val = () => inline ?? args[++i];
      if (name === '--human-readable') human = 1024;
      else if (name === '--si') human = 1000;
      else if (name === '--print-type') showType = true;
      else if (name === '--all') all = true;
      else if (name === '--inodes') inodes = true;
      else if (name === '--portability') posix = true;
      else if (name === '--total') total = true;
      else if (name === '--local' || name === '--sync' || name === '--no-sync') continue;
      else if (name === '--type' || name === '--exclude-type') {
        const v = val();
        if (v === undefined) return bad(`df: option '${name}' requires an argument\n`);
        (name === '--type' ? onlyTypes : exclude).push(v);
      } else if (name === '--block-size') {
        const v = val();
        if (v === undefined) return bad(`df: option '--block-size' requires an argument\n`);
        const b = blockSize(v);
        // gnulib xstrtol_fatal: the message alone, no --help hint
        if (!b) return { stdout: '', stderr: `df: invalid --block-size argument '${v}'\n`, exitCode: 1 };
        [block, human] = [b, 0];
      } else if (name === '--output') return { stdout: '', stderr: `netlab: df ${name} is not simulated here (-h, -H, -k, -m, -B, -i, -T, -t, -x, -a, -P, --total are)\n`, exitCode: 1 };
      else if (name === '--help') return { stdout: 'Usage: df [OPTION]... [FILE]...\nShow information about the file system on which each FILE resides,\nor all file systems by default.\n', stderr: '', exitCode: 0 };
      else if (name === '--version') return { stdout: 'df (GNU coreutils) 8.32\n', stderr: '', exitCode: 0 };
      else return bad(`df: unrecognized option '${a}'\n`);
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j];
        if (c === 'h') human = 1024;
        else if (c === 'H') human = 1000;
        else if (c === 'k') [human, blockKb, block] = [0, 1, undefined];
        else if (c === 'm') [human, blockKb, block] = [0, 1024, undefined];
        else if (c === 'T') showType = true;
        else if (c === 'a') all = true;
        else if (c === 'P') posix = true;
        else if (c === 'l') continue;
        else if (c === 't' || c === 'x') {
          const v = j + 1 < a.length ? a.slice(j + 1) : args[++i];
          if (v === undefined) return bad(`df: option requires an argument -- '${c}'\n`);
          (c === 't' ? onlyTypes : exclude).push(v);
          break;
        } else if (c === 'B') {
          const v = j + 1 < a.length ? a.slice(j + 1) : args[++i];
          if (v === undefined) return bad(`df: option requires an argument -- 'B'\n`);
          const b = blockSize(v);
          if (!b) return { stdout: '', stderr: `df: invalid -B argument '${v}'\n`, exitCode: 1 };
          [block, human] = [b, 0];
          break;
        } else if (c === 'i') inodes = true;
        else return bad(`df: invalid option -- '${c}'\n`);
      }
      continue;
    }
    files.push(a);
  }
  let rows: Mount[];
  let status = 0;
  let stderr = '';
  if (files.length) {
    rows = [];
    for (const f of files) {
      const path = normalizePath(f.startsWith('/') ? f : `${ctx.cwd}/${f}`);
      if (!ctx.cluster.fs.exists(ctx.host, path) && !mounts.some((m) => m.target === path)) {
        stderr += `df: ${f}: No such file or directory\n`;
        status = 1;
        continue;
      }
      const m = mountFor(mounts, path);
      if (m) rows.push(m);
    }
  } else {
    rows = mounts.filter((m) => (!onlyTypes.length || onlyTypes.includes(m.type)) && !exclude.includes(m.type));
    // filter_mount_list: one mount per device, the one whose mount point is nearest the root;
    // with -a every mount stays and the list only records each device's entry (me_for_dev)
    const winners = new Map<string, Mount>();
    const keep: (Mount | undefined)[] = [];
    const at = new Map<string, number>();
    for (const m of rows) {
      const seen = winners.get(m.dev);
      if (!seen || seen.target.length > m.target.length) {
        if (seen) keep[at.get(m.dev)!] = undefined;
        winners.set(m.dev, m);
        at.set(m.dev, keep.length);
        keep.push(m);
      }
    }
    if (!all) rows = keep.filter((m): m is Mount => !!m && m.size > 0);
    else {
      // get_dev with process_all && show_all_fs: a mount point another mount covers (systemd's
      // autofs trigger under binfmt_misc) stats as the covering device: its values print as `-`
      rows = rows.map((m) => {
        const top = [...mounts].reverse().find((x) => x.target === m.target);
        const devMe = top && winners.get(top.dev);
        return devMe && devMe.source !== m.source ? { ...m, type: '-', unknown: true } : m;
      });
    }
    if (!rows.length) return { stdout: '', stderr: 'df: no file systems processed\n', exitCode: 1 };
  }
  if (!rows.length) return { stdout: '', stderr, exitCode: status };
  const size = (kb: number) => (human ? humanCeil(kb * 1024, human) : block ? `${Math.ceil((kb * 1024) / block.bytes)}${block.suffix}` : String(Math.ceil(kb / blockKb)));
  const count = (n: number) => (human ? humanCeil(n, human) : String(n));
  const pctOf = (used: number, avail: number) => (used + avail ? `${Math.ceil((used * 100) / (used + avail))}%` : '-');
  type Row = Mount & { unknown?: boolean };
  // the block or inode columns of one row: size, used, available, use%
  const cells = (m: Row): string[] => {
    if (m.unknown) return ['-', '-', '-', '-'];
    if (inodes) {
      const files = m.files ?? 0;
      const free = m.ffree ?? 0;
      return [count(files), count(files - free), count(free), pctOf(files - free, free)];
    }
    return [size(m.size), size(m.used), size(m.avail), m.size ? pctOf(m.used, m.avail) : '-'];
  };
  const sizeHead = human ? 'Size' : block ? `${posix ? String(block.bytes) : blockHeader(block.bytes)}-blocks` : posix ? `${blockKb * 1024}-blocks` : blockKb === 1 ? '1K-blocks' : '1M-blocks';
  const head = inodes
    ? ['Filesystem', ...(showType ? ['Type'] : []), 'Inodes', 'IUsed', 'IFree', 'IUse%', 'Mounted on']
    : ['Filesystem', ...(showType ? ['Type'] : []), sizeHead, 'Used', human ? 'Avail' : 'Available', posix ? 'Capacity' : 'Use%', 'Mounted on'];
  const mins = [14, ...(showType ? [4] : []), 5, 5, 5, 4, 0];
  const table: string[][] = [head];
  const list: Row[] = [...rows];
  for (const m of list) table.push([m.source, ...(showType ? [m.type] : []), ...cells(m), m.target]);
  if (total) {
    const t = list.filter((m) => !m.unknown).reduce((s, m) => ({ size: s.size + m.size, used: s.used + m.used, avail: s.avail + m.avail, files: s.files + (m.files ?? 0), ffree: s.ffree + (m.ffree ?? 0) }), { size: 0, used: 0, avail: 0, files: 0, ffree: 0 });
    table.push(['total', ...(showType ? ['-'] : []), ...cells({ ...t, source: 'total', type: '-', target: '-', dev: '' }), '-']);
  }
  const widths = head.map((_, i) => Math.max(mins[i], ...table.map((r) => r[i].length)));
  const left = (i: number) => i === 0 || (showType && i === 1) || i === head.length - 1;
  let out = '';
  for (const r of table) out += r.map((cell, i) => (i === r.length - 1 ? cell : left(i) ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(' ') + '\n';
  return { stdout: out, stderr, exitCode: status };
}

// ---------------------------------------------------------------- busybox df

// docker-library's busybox and Alpine's both build with FEATURE_DF_FANCY (its default): -a, -i, -B
const BB_DF_USAGE = bbUsage(
  'df',
  '[-PkmhTai] [-B SIZE] [-t TYPE] [FILESYSTEM]...',
  'Print filesystem usage statistics\n\n\t-P\tPOSIX output format\n\t-k\t1024-byte blocks (default)\n\t-m\t1M-byte blocks\n\t-h\tHuman readable (e.g. 1K 243M 2G)\n\t-T\tPrint filesystem type\n\t-t TYPE\tPrint only mounts of this type\n\t-a\tShow all filesystems\n\t-i\tInodes\n\t-B SIZE\tBlocksize',
);

/** libbb xatonum.c kmg_i_suffixes: -B's units. */
const KMG_I: [string, number][] = [
  ['KiB', 1024], ['kiB', 1024], ['K', 1024], ['k', 1024],
  ['MiB', 1048576], ['miB', 1048576], ['M', 1048576], ['m', 1048576],
  ['GiB', 1073741824], ['giB', 1073741824], ['G', 1073741824], ['g', 1073741824],
  ['KB', 1000], ['MB', 1000000], ['GB', 1000000000],
];

/** df_main's -B: a unit alone (`M`), else xatoul_range_sfx(SIZE, 1, ULONG_MAX, kmg_i_suffixes); undefined: "invalid number". */
function bbBlockSize(spec: string): number | undefined {
  const exact = KMG_I.find(([suf]) => suf === spec);
  if (exact) return exact[1];
  const m = /^(\d+)(.*)$/.exec(spec);
  if (!m) return undefined;
  const mult = m[2] === '' ? 1 : KMG_I.find(([suf]) => suf === m[2])?.[1];
  const v = mult === undefined ? NaN : Number(m[1]) * mult;
  return Number.isSafeInteger(v) && v >= 1 ? v : undefined;
}

/**
 * busybox df (coreutils/df.c 1_36_1): getopt32 "kPTt:aiB:hHm" with k, m and B excluding each
 * other (the last wins); every mount of /proc/mounts with blocks (all of them with -a, each
 * FILESYSTEM's even without), -i swapping in the inode counts (f_frsize 1).
 */
function busyboxDf(args: string[], ctx: CommandContext, mounts: Mount[], musl: boolean): RunResult {
  let unit = 1024;
  let posix = false;
  let showType = false;
  let all = false;
  let inodes = false;
  let human = false;
  let onlyType: string | undefined;
  const operands: string[] = [];
  const usage = (first: string): RunResult => ({ stdout: '', stderr: first + BB_DF_USAGE, exitCode: 1 });
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j];
        if (c === 'k') [unit, human] = [1024, false];
        else if (c === 'm') [unit, human] = [1024 * 1024, false];
        else if (c === 'h' || c === 'H') human = true;
        else if (c === 'P') posix = true;
        else if (c === 'T') showType = true;
        else if (c === 'a') all = true;
        else if (c === 'i') inodes = true;
        else if (c === 't' || c === 'B') {
          const v = j + 1 < a.length ? a.slice(j + 1) : args[++i];
          if (v === undefined) return usage(musl ? `df: option requires an argument: ${c}\n` : `df: option requires an argument -- '${c}'\n`);
          if (c === 't') onlyType = v;
          else {
            const b = bbBlockSize(v);
            if (b === undefined) return { stdout: '', stderr: `df: invalid number '${v}'\n`, exitCode: 1 };
            [unit, human] = [b, false];
          }
          break;
        } else return usage(musl ? `df: unrecognized option: ${c}\n` : `df: invalid option -- '${c}'\n`);
      }
    } else operands.push(a);
  }
  if (human) unit = 0;
  // make_human_readable_str(unit, 0, POSIX): "1K", "1M"; with -P the plain number
  const unitsHdr = inodes ? '   Inodes' : human ? '     Size' : `${bbHuman(unit, 0, posix ? 1 : 0)}-blocks`;
  if (inodes && unit) unit = 1;
  let out = `Filesystem           ${showType ? 'Type       ' : ''}${unitsHdr.padEnd(15)}Used Available ${posix ? 'Capacity' : 'Use%'} Mounted on\n`;
  let status = 0;
  let stderr = '';
  let rows: Mount[] = mounts.filter((m) => m.size > 0 || all);
  if (operands.length) {
    rows = [];
    for (const f of operands) {
      const m = mountFor(mounts, normalizePath(f.startsWith('/') ? f : `${ctx.cwd}/${f}`));
      if (!m || !ctx.cluster.fs.exists(ctx.host, normalizePath(f.startsWith('/') ? f : `${ctx.cwd}/${f}`))) {
        stderr += `df: ${f}: can't find mount point\n`;
        status = 1;
        continue;
      }
      rows.push(m);
    }
  }
  for (const m of rows) {
    if (onlyType && m.type !== onlyType) continue;
    let bsize = 4096;
    let blocks = m.size / 4;
    let used = m.used / 4;
    let avail = m.avail / 4;
    if (inodes) {
      [bsize, blocks, avail] = [1, m.files ?? 0, m.ffree ?? 0];
      used = blocks - avail;
    }
    let t = used + avail;
    let u = used;
    while (t >= Math.floor(0x7fffffff / 101)) {
      t = Math.floor(t / 2);
      u = Math.floor(u / 2);
    }
    const pct = t ? Math.floor((u * 100 + Math.floor(t / 2)) / t) : 0;
    const fmt = (b: number) => bbHuman(b, bsize, unit);
    let line = m.source.length > 20 && !posix ? `${m.source}\n${''.padEnd(20)}` : m.source.padEnd(20);
    if (showType) line += m.type.length > 10 && !posix ? ` ${m.type}\n${''.padEnd(30)}` : ` ${m.type.padEnd(10)}`;
    line += ` ${fmt(blocks).padStart(9)} ${fmt(used).padStart(9)} ${fmt(avail).padStart(9)} ${String(pct).padStart(3)}% ${m.target}\n`;
    out += line;
  }
  return { stdout: out, stderr, exitCode: status };
}

export const dfCommand: CommandSpec = {
  name: 'df',
  summary: 'report file system disk space usage',
  run(args, ctx) {
    const mounts = mountsOf(ctx);
    if (!mounts) return { stdout: '', stderr: 'netlab: df is installed here but is not simulated here\n', exitCode: 1 };
    if (isBusyboxApplet(ctx.cluster, ctx.host, 'df')) {
      return busyboxDf(args, ctx, mounts, isMuslHost(ctx.cluster, ctx.host));
    }
    return gnuDf(args, ctx, mounts);
  },
};
