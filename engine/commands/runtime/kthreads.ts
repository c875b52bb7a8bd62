/**
 * The kernel threads of an Ubuntu 22.04 node (the 5.15 GA kernel), in the order the kernel
 * starts them at boot: kthreadd (PID 2) forks every other one. First the early workqueues
 * (rcu_gp, rcu_par_gp, slub_flushwq, netns, mm_percpu_wq: kernel/workqueue.c
 * workqueue_init_early and their early_initcalls), the RCU tasks threads, then for each CPU
 * the smpboot threads (kernel/smpboot.c: cpuhp/N, idle_inject/N, migration/N, ksoftirqd/N)
 * and its high-priority kworker, CPU 0's set first (started before SMP bring-up, so in
 * reverse), then the subsystems' threads as their initcalls run (kdevtmpfs, kauditd,
 * khungtaskd, oom_reaper, writeback, kcompactd0, ksmd, khugepaged, the block layer's
 * workqueues, kswapd0, the SCSI host's error handlers, ipv6, the ext4 root's jbd2). A worker
 * shows its workqueue after its name (`kworker/0:1H-kblockd`: wq_worker_comm, what
 * /proc/PID/stat gives ps). The PIDs skipped are the short-lived kworkers and helpers that
 * came and went during boot.
 *
 * State: `I` an idle kernel thread (TASK_IDLE), `S` sleeping; `nice` -20 for the
 * WQ_HIGHPRI and rescuer workqueues (ps shows `<`), 5 and 19 for ksmd and khugepaged (`N`).
 */

export interface KernelThread {
  pid: number;
  name: string;
  state: 'S' | 'I';
  nice: number;
}

type Row = [name: string, state: 'S' | 'I', nice: number] | number;

const hi = (name: string): Row => [name, 'I', -20];
const s = (name: string, nice = 0): Row => [name, 'S', nice];
const idle = (name: string): Row => [name, 'I', 0];

/** Before the per-CPU threads of CPUs 1…: numbers are PIDs left unused. */
const EARLY: Row[] = [hi('rcu_gp'), hi('rcu_par_gp'), hi('slub_flushwq'), hi('netns'), 1, hi('kworker/0:0H-events_highpri'), 1, hi('mm_percpu_wq'), idle('rcu_tasks_rude_'), idle('rcu_tasks_trace'), s('ksoftirqd/0'), idle('rcu_sched'), s('migration/0'), s('idle_inject/0'), 1, s('cpuhp/0')];

/** One secondary CPU's threads (smpboot): the PID between ksoftirqd and the kworker is its first kworker, gone by now. */
const perCpu = (n: number): Row[] => [s(`cpuhp/${n}`), s(`idle_inject/${n}`), s(`migration/${n}`), s(`ksoftirqd/${n}`), 1, hi(`kworker/${n}:0H-events_highpri`)];

/** After SMP bring-up, as the initcalls run; `cpus` names the unbound high-priority pool (`u{2×CPUs+1}`). */
const LATE = (cpus: number): Row[] => [
  s('kdevtmpfs'), hi('inet_frag_wq'), s('kauditd'), s('khungtaskd'), s('oom_reaper'), hi('writeback'), s('kcompactd0'), s('ksmd', 5), s('khugepaged', 19),
  45,
  hi('kintegrityd'), hi('kblockd'), hi('blkcg_punt_bio'), hi('tpm_dev_wq'), hi('ata_sff'), hi('md'), hi('edac-poller'), hi('devfreq_wq'), s('watchdogd'),
  1, hi('kworker/0:1H-kblockd'), s('kswapd0'), s('ecryptfs-kthrea'),
  1, hi('kthrotld'),
  1, hi('acpi_thermal_pm'),
  1, s('scsi_eh_0'), hi('scsi_tmf_0'), s('scsi_eh_1'), hi('scsi_tmf_1'),
  1, hi('vfio-irqfd-clea'), hi('mld'), ...(cpus > 1 ? [hi('kworker/1:1H-kblockd')] : []), hi('ipv6_addrconf'),
  8, hi('kstrp'),
  2, hi('zswap-shrink'), hi(`kworker/u${2 * cpus + 1}:0`),
  4, hi('charger_manager'),
  40, s('jbd2/sda1-8'), hi('ext4-rsv-conver'),
];

/**
 * The node's kernel threads with their PIDs, from 2 up, skipping `taken` (PIDs the
 * simulation pins to daemons) and stopping below `limit`, where user space's boot PIDs begin.
 */
export function kernelThreads(cpus: number, taken: Set<number>, limit = 300): KernelThread[] {
  const rows: Row[] = [s('kthreadd'), ...EARLY];
  for (let n = 1; n < cpus; n++) rows.push(...perCpu(n));
  rows.push(...LATE(cpus));
  const out: KernelThread[] = [];
  let pid = 2;
  for (const r of rows) {
    if (typeof r === 'number') {
      pid += r;
      continue;
    }
    while (taken.has(pid)) pid++;
    if (pid >= limit) break;
    out.push({ pid, name: r[0], state: r[1], nice: r[2] });
    pid++;
  }
  return out;
}
