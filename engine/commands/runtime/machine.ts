/**
 * A node as a machine: its CPUs, memory, uptime and load, derived from the cluster so that
 * free, uptime, top, nproc and /proc/meminfo, /proc/loadavg, /proc/uptime, /proc/cpuinfo all
 * agree — on the node and in every container on it (a container reads the host kernel's
 * /proc: no LXCFS on a kubeadm node).
 *
 *  - CPUs and MemTotal are the Node's status.capacity (the kubelet reports cadvisor's
 *    machine info: num_cores and /proc/meminfo's MemTotal). The CPU is an AWS t3.medium's
 *    (2 vCPUs, one core with two threads, Xeon Platinum 8259CL under KVM) — the simulated
 *    machine, a choice, not derived.
 *  - Boot is 42 s before the kubelet came up (processes.ts nodeBoot); uptime runs on the
 *    virtual clock.
 *  - Memory: every process of the node's table (processes.ts) counts its RSS as anonymous
 *    memory with a file-mapped share; the kernel's slab, stacks (16 KiB a thread) and page
 *    tables grow with the processes; the page cache holds the base system plus each running
 *    container's image layers; the rest is free. MemAvailable is si_mem_available's sum
 *    (mm/page_alloc.c, 5.15). Shmem is the tmpfs pages: /run and each Pod's projected
 *    service-account token volume.
 *  - Load: the load average is the node's CPU demand (each process's share of a CPU,
 *    processes.ts profiles) times a run-queue factor, each of the 1/5/15-minute figures
 *    seeded by the node's name: stable while the node runs the same Pods.
 * Kernel threads are not in the process table, so task counts are the user-space ones.
 */
import type { ClusterRuntime } from '../../controllers/runtime';
import type { HostRef } from '../../types';
import { sha1 } from '../../cluster/hash';
import { nodeBoot, nodeCpus, nodeProcesses, type NodeProcess } from './processes';
import { containersOf, sandboxesOn } from './sandboxes';

/** A stable fraction in [0, 1) from a key. */
export function seeded(key: string): number {
  return parseInt(sha1(key).slice(0, 8), 16) / 0x1_0000_0000;
}

/** Round to whole 4 KiB pages. */
const pages = (kb: number) => Math.max(0, Math.round(kb / 4) * 4);

export interface MemInfo {
  total: number;
  free: number;
  available: number;
  buffers: number;
  /** /proc/meminfo's Cached: the page cache including Shmem. */
  cached: number;
  activeAnon: number;
  inactiveAnon: number;
  activeFile: number;
  inactiveFile: number;
  anon: number;
  mapped: number;
  shmem: number;
  sreclaimable: number;
  sunreclaim: number;
  kernelStack: number;
  pageTables: number;
  committed: number;
  vmallocUsed: number;
  percpu: number;
  directMap4k: number;
  directMap2M: number;
}

export interface Machine {
  node: string;
  cpus: number;
  /** Boot and now (ms on the virtual clock). */
  boot: number;
  now: number;
  /** Seconds since boot. */
  uptime: number;
  procs: NodeProcess[];
  /** 1, 5 and 15-minute load averages. */
  load: [number, number, number];
  /** The CPU time split since boot (fractions of all CPUs): user, system, idle. */
  cpuSplit: { us: number; sy: number; id: number };
  mem: MemInfo;
  /** Running containers and ready sandboxes (overlay mounts). */
  containers: number;
  sandboxes: number;
}

/** The node a host's kernel is: the node itself, or the node a Pod runs on. */
export function machineNode(cluster: ClusterRuntime, host: HostRef): string | undefined {
  if (host.kind === 'node') return host.node;
  if (host.kind === 'pod') return cluster.store.get('Pod', host.namespace, host.pod)?.spec?.nodeName;
  return undefined;
}

/** MemTotal (KiB): the Node's capacity.memory. */
export function nodeMemTotal(cluster: ClusterRuntime, node: string): number {
  const n = cluster.store.get('Node', undefined, node);
  const m = /^(\d+)Ki$/.exec(String(n?.status?.capacity?.memory ?? ''));
  return m ? Number(m[1]) : 4_015_548;
}

/** min_free_kbytes for this much memory (mm/page_alloc.c init_per_zone_wmark_min: sqrt(lowmem × 16)); the low watermark is 5/4 of it. */
function watermarkLow(total: number): number {
  return Math.floor((Math.floor(Math.sqrt(total * 16)) * 5) / 4);
}

function memory(node: string, total: number, procs: NodeProcess[], containers: number, sandboxes: number, cpus: number): MemInfo {
  const h = (k: string) => seeded(`${node}/mem/${k}`);
  const rss = procs.reduce((n, p) => n + p.rss, 0);
  const threads = procs.reduce((n, p) => n + p.threads, 0);
  const anon = pages(rss * 0.78);
  const mapped = pages(rss * 0.22 + 40_000 + 6_000 * containers);
  const kernelStack = threads * 16 + 2_400 + 16 * 110;
  const pageTables = pages(procs.length * 72 + 1_800);
  const sunreclaim = pages(58_000 + 420 * procs.length + 1_600 * sandboxes);
  const percpu = 1_216 * cpus;
  const vmallocUsed = pages(21_000 + 140 * sandboxes);
  // tmpfs: /run (the units' state, containerd's sockets and shims) and each Pod's token volume
  const shmem = pages(1_220 + 28 * sandboxes);
  const buffers = pages(28_000 + h('buffers') * 30_000 + 900 * containers);
  let sreclaimable = pages(64_000 + h('slab') * 26_000 + 1_900 * sandboxes);
  let file = pages(820_000 + h('cache') * 240_000 + 96_000 * containers);
  const kernel = kernelStack + pageTables + sunreclaim + percpu + vmallocUsed + 36_000;
  // the page cache gives way when memory runs short: at least the low watermarks stay free
  const floor = 3 * watermarkLow(total);
  const room = total - anon - shmem - kernel - buffers - sreclaimable - floor;
  if (file > room) file = pages(Math.max(40_000, room));
  if (total - anon - shmem - kernel - buffers - sreclaimable - file < floor) sreclaimable = pages(Math.max(12_000, sreclaimable / 2));
  const free = Math.max(0, total - anon - shmem - kernel - buffers - sreclaimable - file);
  const activeFile = pages(file * 0.43);
  const inactiveFile = file - activeFile;
  const wmark = watermarkLow(total);
  // si_mem_available: free minus the reserve, plus the reclaimable halves of the page cache and slab
  const pagecache = activeFile + inactiveFile + buffers;
  const reserve = Math.floor(wmark * 1.2);
  const available = Math.min(total, Math.max(0, free - reserve + pagecache - Math.min(pagecache / 2, wmark) + sreclaimable - Math.min(sreclaimable / 2, wmark)));
  const activeAnon = pages(anon * 0.06);
  const direct4k = 124_788 + pages(h('dm') * 40_000);
  return {
    total, free, available: Math.round(available), buffers, cached: file + shmem,
    activeAnon, inactiveAnon: anon - activeAnon + shmem, activeFile, inactiveFile,
    anon, mapped, shmem, sreclaimable, sunreclaim, kernelStack, pageTables,
    committed: pages(procs.reduce((n, p) => n + Math.min(p.vsz, 400_000) * 0.35, 0) + 420_000),
    vmallocUsed, percpu,
    directMap4k: direct4k,
    directMap2M: Math.ceil((total + 245_000 - direct4k) / 2048) * 2048,
  };
}

/** The machine under a node, now. */
export function machine(cluster: ClusterRuntime, node: string, self?: string[]): Machine {
  const now = cluster.clock.now();
  const boot = nodeBoot(cluster, node);
  const cpus = nodeCpus(cluster, node);
  const procs = nodeProcesses(cluster, node, self);
  const boxes = sandboxesOn(cluster, node).filter((b) => b.sandbox.state === 'Ready');
  const containers = boxes.reduce((n, b) => n + containersOf(b.pod, b.sandbox).filter((c) => c.state === 'Running').length, 0);
  const uptime = Math.max(0, (now - boot) / 1000);
  // the CPU demand: each process's CPU seconds over its lifetime
  const demand = procs.filter((p) => p.state !== 'R').reduce((n, p) => n + p.cpu / Math.max(1, (now - p.start) / 1000), 0);
  const lf = (k: string, lo: number, span: number) => demand * 2.6 * (lo + span * seeded(`${node}/load/${k}`)) + 0.01 * seeded(`${node}/load/${k}/floor`);
  const load: [number, number, number] = [lf('1', 0.7, 0.7), lf('5', 0.85, 0.35), lf('15', 0.9, 0.2)];
  const busy = Math.min(0.95, demand / cpus + 0.004);
  const us = busy * (0.52 + 0.1 * seeded(`${node}/cpu/us`));
  return {
    node, cpus, boot, now, uptime, procs, load,
    cpuSplit: { us, sy: busy - us, id: 1 - busy },
    // the reader itself (ps, top, cat) is not counted: every reader sees the same memory
    mem: memory(node, nodeMemTotal(cluster, node), procs.filter((p) => p.state !== 'R'), containers, boxes.length, cpus),
    containers, sandboxes: boxes.length,
  };
}

/** The users logged in (utmp's USER_PROCESS entries): on a node, the learner's ssh session; a container has no utmp. */
export function loggedIn(host: HostRef): number {
  return host.kind === 'node' ? 1 : 0;
}

const kb = (label: string, v: number) => `${label.padEnd(16)}${String(v).padStart(8)} kB\n`;

/** /proc/meminfo as fs/proc/meminfo.c prints it on 5.15 x86_64 (show_val_kb: 16-wide label, %8lu kB; no swap; THP in madvise mode: no anonymous huge pages). */
export function procMeminfo(m: MemInfo): string {
  return [
    kb('MemTotal:', m.total), kb('MemFree:', m.free), kb('MemAvailable:', m.available), kb('Buffers:', m.buffers), kb('Cached:', m.cached),
    kb('SwapCached:', 0), kb('Active:', m.activeAnon + m.activeFile), kb('Inactive:', m.inactiveAnon + m.inactiveFile),
    kb('Active(anon):', m.activeAnon), kb('Inactive(anon):', m.inactiveAnon), kb('Active(file):', m.activeFile), kb('Inactive(file):', m.inactiveFile),
    kb('Unevictable:', 0), kb('Mlocked:', 0), kb('SwapTotal:', 0), kb('SwapFree:', 0), kb('Dirty:', 148), kb('Writeback:', 0),
    kb('AnonPages:', m.anon), kb('Mapped:', m.mapped), kb('Shmem:', m.shmem), kb('KReclaimable:', m.sreclaimable), kb('Slab:', m.sreclaimable + m.sunreclaim),
    kb('SReclaimable:', m.sreclaimable), kb('SUnreclaim:', m.sunreclaim), kb('KernelStack:', m.kernelStack), kb('PageTables:', m.pageTables),
    kb('NFS_Unstable:', 0), kb('Bounce:', 0), kb('WritebackTmp:', 0), kb('CommitLimit:', Math.floor(m.total / 2)), kb('Committed_AS:', m.committed),
    kb('VmallocTotal:', 34359738367), kb('VmallocUsed:', m.vmallocUsed), kb('VmallocChunk:', 0), kb('Percpu:', m.percpu), kb('HardwareCorrupted:', 0),
    kb('AnonHugePages:', 0), kb('ShmemHugePages:', 0), kb('ShmemPmdMapped:', 0), kb('FileHugePages:', 0), kb('FilePmdMapped:', 0),
    'HugePages_Total:       0\n', 'HugePages_Free:        0\n', 'HugePages_Rsvd:        0\n', 'HugePages_Surp:        0\n',
    kb('Hugepagesize:', 2048), kb('Hugetlb:', 0), kb('DirectMap4k:', m.directMap4k), kb('DirectMap2M:', m.directMap2M), kb('DirectMap1G:', 0),
  ].join('');
}

/** LOAD_INT/LOAD_FRAC's two decimals (fs/proc/loadavg.c, top, uptime): the kernel rounds its fixed-point value. */
export const load2 = (v: number) => (Math.round(v * 100) / 100).toFixed(2);

/** /proc/loadavg (fs/proc/loadavg.c): the three averages, runnable/all threads, the last PID handed out. */
export function procLoadavg(mc: Machine): string {
  const threads = mc.procs.reduce((n, p) => n + p.threads, 0);
  const running = mc.procs.filter((p) => p.state === 'R').length || 1;
  const last = mc.procs.reduce((n, p) => Math.max(n, p.pid), 0);
  return `${mc.load.map(load2).join(' ')} ${running}/${threads} ${last}\n`;
}

/** /proc/uptime (fs/proc/uptime.c): seconds since boot and the idle seconds summed over every CPU, two decimals each. */
export function procUptime(mc: Machine): string {
  return `${mc.uptime.toFixed(2)} ${(mc.uptime * mc.cpus * mc.cpuSplit.id).toFixed(2)}\n`;
}

const CPU_FLAGS =
  'fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ss ht syscall nx pdpe1gb rdtscp lm constant_tsc rep_good nopl xtopology nonstop_tsc cpuid aperfmperf tsc_known_freq pni pclmulqdq ssse3 fma cx16 pcid sse4_1 sse4_2 x2apic movbe popcnt tsc_deadline_timer aes xsave avx f16c rdrand hypervisor lahf_lm abm 3dnowprefetch invpcid_single pti fsgsbase tsc_adjust bmi1 avx2 smep bmi2 erms invpcid mpx avx512f avx512dq rdseed adx smap clflushopt clwb avx512cd avx512bw avx512vl xsaveopt xsavec xgetbv1 xsaves ida arat pku ospke';
const CPU_BUGS = 'cpu_meltdown spectre_v1 spectre_v2 spec_store_bypass l1tf mds swapgs itlb_multihit mmio_stale_data retbleed gds';

/** /proc/cpuinfo (arch/x86/kernel/cpu/proc.c show_cpuinfo): one block per CPU, the threads of one core. */
export function procCpuinfo(cpus: number): string {
  let out = '';
  for (let i = 0; i < cpus; i++) {
    out += [
      `processor\t: ${i}`, 'vendor_id\t: GenuineIntel', 'cpu family\t: 6', 'model\t\t: 85', 'model name\t: Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz',
      'stepping\t: 7', 'microcode\t: 0x5003604', 'cpu MHz\t\t: 2499.998', 'cache size\t: 36608 KB', 'physical id\t: 0', `siblings\t: ${cpus}`,
      `core id\t\t: ${Math.floor(i / 2)}`, `cpu cores\t: ${Math.max(1, Math.ceil(cpus / 2))}`, `apicid\t\t: ${i}`, `initial apicid\t: ${i}`, 'fpu\t\t: yes', 'fpu_exception\t: yes',
      'cpuid level\t: 13', 'wp\t\t: yes', `flags\t\t: ${CPU_FLAGS}`, `bugs\t\t: ${CPU_BUGS}`, 'bogomips\t: 4999.99', 'clflush size\t: 64', 'cache_alignment\t: 64',
      'address sizes\t: 46 bits physical, 48 bits virtual', 'power management:', '', '',
    ].join('\n');
  }
  return out;
}
