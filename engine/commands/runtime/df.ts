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
 * GNU df (coreutils 8.32 src/df.c): 1K-blocks, Used, Available, Use% (used/(used+avail)
 * rounded up), columns as wide as their widest cell (print_table, field_data's minimum
 * widths), -h/-H rounding up (human_ceiling), -T, -t/-x, -a, -P, --total, FILE operands;
 * filter_mount_list keeps one mount per device, the one nearest the root. busybox df
 * (coreutils/df.c 1_36_1): every mount with blocks, `%-20s %9s %9s %9s %3u%% %s`, -h by
 * make_human_readable_str, -T, -t, -k/-m/-P.
 */
import type { RunResult } from '../../types';
import type { CommandContext, CommandSpec } from '../../shell/command';
import type { KubeObject } from '../../cluster/types';
import type { ClusterRuntime } from '../../controllers/runtime';
import { hostPod, hostProfile, isBusyboxApplet } from '../../hosts/hosts';
import { imageSize } from '../../controllers/images';
import { normalizePath } from '../../hosts/vfs';
import { nodeImageRefs } from './crictl-status';
import { containersOf, sandboxId, sandboxesOn } from './sandboxes';
import { nodeMemTotal } from './machine';
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
}

const pagesKb = (kb: number) => Math.floor(kb / 4) * 4;

/** The node's root ext4: size from ephemeral-storage capacity, used by the OS, images and writable layers; 5% reserved. */
function rootFs(cluster: ClusterRuntime, node: string): { size: number; used: number; avail: number } {
  const n = cluster.store.get('Node', undefined, node);
  const m = /^(\d+)Ki$/.exec(String(n?.status?.capacity?.['ephemeral-storage'] ?? ''));
  const size = m ? Number(m[1]) : 61_202_244;
  const images = nodeImageRefs(cluster, node).reduce((s, ref) => s + imageSize(ref), 0);
  const boxes = sandboxesOn(cluster, node).filter((b) => b.sandbox.state === 'Ready');
  const containers = boxes.reduce((s, b) => s + containersOf(b.pod, b.sandbox).filter((c) => c.state === 'Running').length, 0);
  // Ubuntu server, the Kubernetes packages, /var/log and the journal
  const used = pagesKb(4_386_712 + Math.round((images * 3.3) / 1024) + 48 * containers + 24 * boxes.length);
  const reserved = Math.floor(size * 0.05);
  return { size, used, avail: Math.max(0, size - used - reserved) };
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
  for (const v of (pod.spec?.volumes ?? []) as Vol[]) {
    const plugin = v.projected ? 'kubernetes.io~projected' : v.secret ? 'kubernetes.io~secret' : undefined;
    if (!plugin) continue;
    let used = 12;
    if (v.secret) {
      const s = cluster.store.get('Secret', pod.metadata.namespace, v.secret.secretName ?? '');
      used = 4 * Math.max(1, Object.keys(s?.data ?? {}).length);
    }
    out.push({ source: 'tmpfs', type: 'tmpfs', target: `/var/lib/kubelet/pods/${pod.metadata.uid}/volumes/${plugin}/${v.name}`, size, used, avail: size - used, dev: `tmpfs:${pod.metadata.uid}/${v.name}` });
  }
  return out;
}

const SHM = 65_536;

/** The node's mounts in /proc/self/mountinfo order. */
export function nodeMounts(cluster: ClusterRuntime, node: string): Mount[] {
  const total = nodeMemTotal(cluster, node);
  const pages = Math.floor(total / 4);
  const root = rootFs(cluster, node);
  const shmem = (pct: number) => Math.floor((pages * pct) / 100) * 4;
  const boxes = sandboxesOn(cluster, node).filter((b) => b.sandbox.state === 'Ready');
  const runUsed = 1_216 + 16 * boxes.length;
  const out: Mount[] = [
    { source: '/dev/root', type: 'ext4', target: '/', ...root, dev: 'root' },
    { source: 'tmpfs', type: 'tmpfs', target: '/dev/shm', size: shmem(50), used: 0, avail: shmem(50), dev: 'shm' },
    { source: 'tmpfs', type: 'tmpfs', target: '/run', size: shmem(20), used: runUsed, avail: shmem(20) - runUsed, dev: 'run' },
    { source: 'tmpfs', type: 'tmpfs', target: '/run/lock', size: 5_120, used: 0, avail: 5_120, dev: 'lock' },
    { source: '/dev/nvme0n1p15', type: 'vfat', target: '/boot/efi', size: 106_858, used: 6_186, avail: 100_672, dev: 'efi' },
  ];
  const timed: { at: number; seq: number; m: Mount }[] = [];
  const overlay = (id: string): Mount => ({ source: 'overlay', type: 'overlay', target: `/run/containerd/io.containerd.runtime.v2.task/k8s.io/${id}/rootfs`, ...root, dev: `overlay:${id}` });
  // the oldest sandbox first: the kubelet mounts volumes, containerd the shm and the sandbox's root, then each container's
  for (const { pod, sandbox } of [...boxes].reverse()) {
    const at = sandbox.created;
    for (const m of podTmpfs(cluster, node, pod)) timed.push({ at: at - 1, seq: timed.length, m });
    if (!pod.spec?.hostIPC) timed.push({ at, seq: timed.length, m: { source: 'shm', type: 'tmpfs', target: `/run/containerd/io.containerd.grpc.v1.cri/sandboxes/${sandbox.id}/shm`, size: SHM, used: 0, avail: SHM, dev: `shm:${sandbox.id}` } });
    timed.push({ at, seq: timed.length, m: overlay(sandboxId(pod)) });
    for (const c of containersOf(pod, sandbox).filter((x) => x.state === 'Running')) timed.push({ at: Number.isFinite(c.created) ? Math.max(at, c.created) : at, seq: timed.length, m: overlay(c.id) });
  }
  timed.sort((a, b) => a.at - b.at || a.seq - b.seq);
  out.push(...timed.map((t) => t.m));
  out.push({ source: 'tmpfs', type: 'tmpfs', target: '/run/user/0', size: shmem(10), used: 4, avail: shmem(10) - 4, dev: 'user0' });
  return out;
}

/** Paths the kubelet masks (defaultMaskedPaths) that exist on the node's 5.15 kernel: directories and files. */
const MASKED: [string, 'dir' | 'file'][] = [['/proc/acpi', 'dir'], ['/proc/kcore', 'file'], ['/proc/keys', 'file'], ['/proc/timer_list', 'file'], ['/proc/scsi', 'dir'], ['/sys/firmware', 'dir']];

/** A container's mounts in mountinfo order (those with blocks: proc, sysfs, devpts, mqueue and cgroup2 have none). */
export function containerMounts(cluster: ClusterRuntime, host: CommandContext['host']): Mount[] {
  const pod = hostPod(cluster, host);
  const node = pod?.spec?.nodeName as string | undefined;
  if (!pod || !node) return [];
  const root = rootFs(cluster, node);
  const total = nodeMemTotal(cluster, node);
  const half = Math.floor(Math.floor(total / 4) / 2) * 4;
  const dev: Mount = { source: 'tmpfs', type: 'tmpfs', target: '/dev', size: SHM, used: 0, avail: SHM, dev: 'devtmp' };
  const disk = (target: string): Mount => ({ source: '/dev/root', type: 'ext4', target, ...root, dev: 'root' });
  const out: Mount[] = [
    { source: 'overlay', type: 'overlay', target: '/', ...root, dev: 'overlay' },
    dev,
    disk('/dev/termination-log'), disk('/etc/resolv.conf'), disk('/etc/hostname'), disk('/etc/hosts'),
  ];
  if (!pod.spec?.hostIPC) out.push({ source: 'shm', type: 'tmpfs', target: '/dev/shm', size: SHM, used: 0, avail: SHM, dev: 'shm' });
  // /var/run is a link to /run in Alpine and Debian images; busybox's image has neither
  const family = hostProfile(cluster, host)?.family;
  const varRun = family === 'busybox' ? '/var/run' : '/run';
  type C = { name: string; volumeMounts?: { name: string; mountPath: string }[] };
  const all: C[] = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []), ...(pod.spec?.ephemeralContainers ?? [])];
  const c = all.find((x) => host.kind === 'pod' && x.name === host.container) ?? all[0];
  for (const m of podTmpfs(cluster, node, pod)) {
    const vm = c?.volumeMounts?.find((x) => m.target.endsWith(`/${x.name}`));
    if (!vm) continue;
    out.push({ ...m, target: normalizePath(vm.mountPath).replace(/^\/var\/run\//, `${varRun}/`) });
  }
  for (const [path, kind] of MASKED) out.push(kind === 'dir' ? { source: 'tmpfs', type: 'tmpfs', target: path, size: half, used: 0, avail: half, dev: `mask:${path}` } : { ...dev, target: path });
  return out;
}

function mountsOf(ctx: CommandContext): Mount[] | undefined {
  if (ctx.host.kind === 'node') return nodeMounts(ctx.cluster, ctx.host.node);
  if (ctx.host.kind === 'pod') return containerMounts(ctx.cluster, ctx.host);
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
  const all = false;
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
      else if (name === '--all') return { stdout: '', stderr: 'netlab: df --all is not simulated here: the pseudo filesystems (proc, sysfs, cgroup2, devpts, mqueue) are not listed\n', exitCode: 1 };
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
      } else if (name === '--inodes' || name === '--output') return { stdout: '', stderr: `netlab: df ${name} is not simulated here (-h, -H, -k, -m, -T, -t, -x, -a, -P, --total are)\n`, exitCode: 1 };
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
        else if (c === 'a') return { stdout: '', stderr: 'netlab: df -a is not simulated here: the pseudo filesystems (proc, sysfs, cgroup2, devpts, mqueue) are not listed\n', exitCode: 1 };
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
        } else if (c === 'i') return { stdout: '', stderr: `netlab: df -i is not simulated here (-h, -H, -k, -m, -B, -T, -t, -x, -a, -P, --total are)\n`, exitCode: 1 };
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
    if (!all) {
      // filter_mount_list: one mount per device, the one whose mount point is nearest the root
      const seen = new Map<string, number>();
      const keep: (Mount | undefined)[] = [];
      for (const m of rows) {
        const at = seen.get(m.dev);
        if (at === undefined) {
          seen.set(m.dev, keep.length);
          keep.push(m);
        } else if (keep[at]!.target.length > m.target.length) {
          keep[at] = undefined;
          seen.set(m.dev, keep.length);
          keep.push(m);
        }
      }
      rows = keep.filter((m): m is Mount => !!m);
    }
    if (!rows.length) return { stdout: '', stderr: 'df: no file systems processed\n', exitCode: 1 };
  }
  if (!rows.length) return { stdout: '', stderr, exitCode: status };
  const size = (kb: number) => (human ? humanCeil(kb * 1024, human) : block ? `${Math.ceil((kb * 1024) / block.bytes)}${block.suffix}` : String(Math.ceil(kb / blockKb)));
  const pct = (m: { used: number; avail: number; size: number }) => {
    const t = m.used + m.avail;
    if (!m.size) return '-';
    return `${t ? Math.ceil((m.used * 100) / t) : 0}%`;
  };
  const sizeHead = human ? 'Size' : block ? `${posix ? String(block.bytes) : blockHeader(block.bytes)}-blocks` : posix ? `${blockKb * 1024}-blocks` : blockKb === 1 ? '1K-blocks' : '1M-blocks';
  const head = ['Filesystem', ...(showType ? ['Type'] : []), sizeHead, 'Used', human ? 'Avail' : 'Available', posix ? 'Capacity' : 'Use%', 'Mounted on'];
  const mins = [14, ...(showType ? [4] : []), 5, 5, 5, 4, 0];
  const table: string[][] = [head];
  const list = [...rows];
  for (const m of list) table.push([m.source, ...(showType ? [m.type] : []), size(m.size), size(m.used), size(m.avail), pct(m), m.target]);
  if (total) {
    const t = list.reduce((s, m) => ({ size: s.size + m.size, used: s.used + m.used, avail: s.avail + m.avail }), { size: 0, used: 0, avail: 0 });
    table.push(['total', ...(showType ? ['-'] : []), size(t.size), size(t.used), size(t.avail), pct(t), '-']);
  }
  const widths = head.map((_, i) => Math.max(mins[i], ...table.map((r) => r[i].length)));
  const left = (i: number) => i === 0 || (showType && i === 1) || i === head.length - 1;
  let out = '';
  for (const r of table) out += r.map((cell, i) => (i === r.length - 1 ? cell : left(i) ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(' ') + '\n';
  return { stdout: out, stderr, exitCode: status };
}

// ---------------------------------------------------------------- busybox df

const BB_DF_USAGE = bbUsage(
  'df',
  '[-PkmhT] [-t TYPE] [FILESYSTEM]...',
  'Print filesystem usage statistics\n\n\t-P\tPOSIX output format\n\t-k\t1024-byte blocks (default)\n\t-m\t1M-byte blocks\n\t-h\tHuman readable (e.g. 1K 243M 2G)\n\t-T\tPrint filesystem type\n\t-t TYPE\tPrint only mounts of this type',
);

function busyboxDf(args: string[], ctx: CommandContext, mounts: Mount[], musl: boolean): RunResult {
  let unit = 1024;
  let posix = false;
  let showType = false;
  let onlyType: string | undefined;
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j];
        if (c === 'k') unit = 1024;
        else if (c === 'm') unit = 1024 * 1024;
        else if (c === 'h') unit = 0;
        else if (c === 'P') posix = true;
        else if (c === 'T') showType = true;
        else if (c === 't') {
          onlyType = j + 1 < a.length ? a.slice(j + 1) : args[++i];
          if (onlyType === undefined) return { stdout: '', stderr: (musl ? "df: option requires an argument: t\n" : "df: option requires an argument -- 't'\n") + BB_DF_USAGE, exitCode: 1 };
          break;
        } else return { stdout: '', stderr: (musl ? `df: unrecognized option: ${c}\n` : `df: invalid option -- '${c}'\n`) + BB_DF_USAGE, exitCode: 1 };
      }
    } else operands.push(a);
  }
  // make_human_readable_str(unit, 0, POSIX): "1K", "1M"; with -P the plain number
  const unitsHdr = unit === 0 ? '     Size' : posix ? `${unit}-blocks` : unit === 1024 ? '1K-blocks' : '1M-blocks';
  let out = `Filesystem           ${showType ? 'Type       ' : ''}${unitsHdr.padEnd(15)}Used Available ${posix ? 'Capacity' : 'Use%'} Mounted on\n`;
  let status = 0;
  let stderr = '';
  let rows: Mount[] = mounts;
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
    const bsize = 4096;
    const blocks = m.size / 4;
    const used = m.used / 4;
    const avail = m.avail / 4;
    const t = used + avail;
    const pct = t ? Math.floor((used * 100 + Math.floor(t / 2)) / t) : 0;
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
      const musl = ['alpine', 'curl', 'netshoot', 'agnhost', 'nginx-alpine', 'ingress-nginx'].includes(hostProfile(ctx.cluster, ctx.host)?.family ?? '');
      return busyboxDf(args, ctx, mounts, musl);
    }
    return gnuDf(args, ctx, mounts);
  },
};
