/**
 * dmesg — the node kernel's ring buffer, derived from what the node did since it booted.
 *
 *  - Boot (the first seconds): the 5.15.0-119-generic banner (cluster/release.ts, as
 *    /proc/version), the command line, the memory and CPUs the machine has (machine.ts: the
 *    Node's capacity), the root filesystem, systemd 249 taking over as PID 1 and naming the
 *    host.
 *  - The modules lsmod shows (lsmod.ts), each with what its init function logs on 5.15, at
 *    the moment it was loaded: bridge ("filtering via arp/ip/ip6tables is no longer available
 *    by default…", net/bridge/br.c) and br_netfilter ("Bridge firewalling registered",
 *    br_netfilter_hooks.c) from systemd-modules-load's k8s.conf at boot; ip_vs
 *    (ip_vs_core.c, ip_vs_proto.c, ip_vs_conn.c: the protocols, the 4096-entry connection
 *    table, "ipvs loaded.") and each scheduler ("[rr] scheduler registered.",
 *    ip_vs_sched.c) when kube-proxy starts in IPVS mode; ip_set ("protocol 7"); ipip
 *    ("IPv4 and MPLS over IPv4 tunneling driver") when the CNI creates tunl0.
 *  - Each Pod sandbox's veth, at the sandbox's creation: addrconf's "IPv6:
 *    ADDRCONF(NETDEV_CHANGE): DEV: link becomes ready" for the Pod's eth0 and the host end
 *    (net/ipv6/addrconf.c), and for a veth enslaved to a bridge (flannel's and the bridge
 *    plugin's cni0, weave) the port's states as br_stp.c br_log_state prints them —
 *    "cni0: port N(vethX) entered blocking state", "… disabled state", "device vethX
 *    entered promiscuous mode" (net/core/dev.c __dev_set_promiscuity, 5.15's wording), then
 *    blocking and forwarding (STP off) — port numbers in the order the ports were added.
 * Timestamps are seconds since boot on the virtual clock; Pods deleted before now left no
 * trace here (their lines are not kept).
 *
 * util-linux 2.37.2 dmesg: `[%5ld.%06ld] ` (print_record), -T `[%a %b %e %H:%M:%S %Y] `,
 * -t no time, -r `<level>[…]`, -l/--level LIST; on a node as root. In a container without
 * CAP_SYSLOG (kernel.dmesg_restrict=1 on Ubuntu): /dev/kmsg is absent and syslog(2) fails,
 * "dmesg: read kernel buffer failed: Operation not permitted", exit 1; busybox's applet
 * (util-linux/dmesg.c) says "dmesg: klogctl: Operation not permitted".
 */
import type { RunResult } from '../../types';
import type { CommandContext, CommandSpec } from '../../shell/command';
import type { ClusterRuntime } from '../../controllers/runtime';
import { hostPod, isBusyboxApplet } from '../../hosts/hosts';
import { nodeNamespace, podNamespace } from '../../controllers/cni';
import { NODE_PROC_VERSION, NODE_KERNEL_RELEASE } from '../../cluster/release';
import { sha1 } from '../../cluster/hash';
import { nodeBoot, nodeCpus, nodeStart } from './processes';
import { nodeMemTotal, seeded } from './machine';
import { sandboxesOn } from './sandboxes';
import { loadedModules } from './lsmod';

/** A record: microseconds since boot, syslog level (6 info, 5 notice, 4 warning), text. */
interface Rec {
  us: number;
  level: number;
  text: string;
}

function bootLines(cluster: ClusterRuntime, node: string): Rec[] {
  const total = nodeMemTotal(cluster, node);
  const cpus = nodeCpus(cluster, node);
  const n = cluster.store.get('Node', undefined, node);
  const uuid = String(n?.status?.nodeInfo?.systemUUID ?? '').toLowerCase() || sha1(node).slice(0, 8);
  const lines: [number, number, string][] = [
    [0, 5, NODE_PROC_VERSION],
    [0, 6, `Command line: BOOT_IMAGE=/boot/vmlinuz-${NODE_KERNEL_RELEASE} root=PARTUUID=${uuid.slice(0, 8)}-01 ro console=tty1 console=ttyS0 nvme_core.io_timeout=4294967295 panic=-1`],
    [0, 6, 'Hypervisor detected: KVM'],
    [0, 6, `Memory: ${total - 98_304 - 3 * (total >> 8)}K/${total + 80_000}K available (16393K kernel code, 4380K rwdata, 10820K rodata, 3240K init, 6544K bss, ${98_304 + 3 * (total >> 8) + 80_000}K reserved, 0K cma-reserved)`],
    [0, 6, `smpboot: Allowing ${cpus} CPUs, 0 hotplug CPUs`],
    [48_210, 6, 'smpboot: CPU0: Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz (family: 0x6, model: 0x55, stepping: 0x7)'],
    [61_874, 6, `smp: Brought up 1 node, ${cpus} CPUs`],
    [61_880, 6, `smpboot: Total of ${cpus} processors activated (${(4999.99 * cpus).toFixed(2)} BogoMIPS)`],
    [94_512, 6, 'NET: Registered PF_INET protocol family'],
    [1_402_117, 6, 'EXT4-fs (nvme0n1p1): mounted filesystem with ordered data mode. Opts: (null). Quota mode: none.'],
    [2_187_530, 6, 'systemd[1]: systemd 249.11-0ubuntu3.12 running in system mode (+PAM +AUDIT +SELINUX +APPARMOR +IMA +SMACK +SECCOMP +GCRYPT +GNUTLS +OPENSSL +ACL +BLKID +CURL +ELFUTILS +FIDO2 +IDN2 -IDN +IPTC +KMOD +LIBCRYPTSETUP +LIBFDISK +PCRE2 -PWQUALITY -P11KIT -QRENCODE +BZIP2 +LZ4 +XZ +ZLIB +ZSTD -XKBCOMMON +UTMP +SYSVINIT default-hierarchy=unified)'],
    [2_187_611, 6, 'systemd[1]: Detected virtualization kvm.'],
    [2_187_614, 6, 'systemd[1]: Detected architecture x86-64.'],
    [2_190_402, 6, `systemd[1]: Hostname set to <${node}>.`],
    [3_012_448, 6, 'EXT4-fs (nvme0n1p1): re-mounted. Opts: discard,errors=remount-ro. Quota mode: none.'],
  ];
  return lines.map(([us, level, text]) => ({ us, level, text }));
}

/** What each module's init logs on 5.15 (and when: boot's modules-load, or the agent that needs it). */
function moduleLines(mod: string, sched: string[]): [number, string][] {
  switch (mod) {
    case 'bridge': return [[6, 'bridge: filtering via arp/ip/ip6tables is no longer available by default. Update your scripts to load br_netfilter if you need this.']];
    case 'br_netfilter': return [[5, 'Bridge firewalling registered']];
    case 'ip_vs': return [[6, 'IPVS: Registered protocols (TCP, UDP, SCTP, AH, ESP)'], [6, 'IPVS: Connection hash table configured (size=4096, memory=64Kbytes)'], [6, 'IPVS: ipvs loaded.']];
    case 'ip_set': return [[6, 'ip_set: protocol 7']];
    case 'ipip': return [[6, 'ipip: IPv4 and MPLS over IPv4 tunneling driver']];
    default:
      if (mod.startsWith('ip_vs_') && sched.includes(mod)) return [[6, `IPVS: [${mod.slice(6)}] scheduler registered.`]];
      return [];
  }
}

/** The kernel's ring buffer on a node, oldest first. */
export function kernelLog(cluster: ClusterRuntime, node: string): Rec[] {
  const boot = nodeBoot(cluster, node);
  const up = nodeStart(cluster, node);
  const recs = bootLines(cluster, node);
  const jitter = (key: string, span: number) => Math.floor(seeded(`${node}/dmesg/${key}`) * span);
  // modules: the boot-time ones at systemd-modules-load (~3.4 s), the rest when the kubelet's Pods start them
  const mods = loadedModules(cluster, node);
  const atBoot = new Set(['x_tables', 'overlay', 'llc', 'stp', 'bridge', 'br_netfilter']);
  const sched = mods.filter((m) => m.startsWith('ip_vs_'));
  let t = 3_402_000;
  let late = (up - boot) * 1000 + 20_000;
  for (const m of mods) {
    const lines = moduleLines(m, sched);
    const at = atBoot.has(m) ? (t += 1_800 + jitter(m, 900)) : (late += 2_100 + jitter(m, 4_000));
    lines.forEach(([level, text], i) => recs.push({ us: at + i * 37, level, text }));
  }
  // each sandbox's veth, as the CNI plumbed it
  const ns = nodeNamespace(cluster, node);
  const links = ns?.links ?? [];
  const ports = new Map<string, number>();
  let last = 0;
  for (const { pod, sandbox } of [...sandboxesOn(cluster, node)].reverse()) {
    if (pod.spec?.hostNetwork || sandbox.state !== 'Ready') continue;
    const pns = podNamespace(cluster, pod);
    const eth0 = pns?.links.find((l) => l.name === 'eth0');
    const peer = /^if(\d+)$/.exec(eth0?.peer ?? '');
    const host = peer ? links.find((l) => l.ifindex === Number(peer[1])) : undefined;
    if (!host) continue;
    // sandboxes plumbed one after another: the CNI plugin runs once per sandbox
    const at = Math.max(last + 1_000, Math.max(0, (sandbox.created - boot) * 1000) + 180_000 + jitter(sandbox.id, 90_000));
    last = at + 400;
    const out: string[] = ['IPv6: ADDRCONF(NETDEV_CHANGE): eth0: link becomes ready', `IPv6: ADDRCONF(NETDEV_CHANGE): ${host.name}: link becomes ready`];
    if (host.master) {
      const br = host.master;
      const n = (ports.get(br) ?? 0) + 1;
      ports.set(br, n);
      const p = `${br}: port ${n}(${host.name})`;
      out.push(`${p} entered blocking state`, `${p} entered disabled state`, `device ${host.name} entered promiscuous mode`, `${p} entered blocking state`, `${p} entered forwarding state`);
    }
    out.forEach((text, i) => recs.push({ us: at + i * 29 + (i > 1 ? 40 : 0), level: 6, text }));
  }
  return recs.sort((a, b) => a.us - b.us);
}

const pad2 = (n: number) => String(n).padStart(2, '0');
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** record_ctime's strftime("%a %b %e %H:%M:%S %Y"). */
function ctime(ms: number): string {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

const LEVELS = ['emerg', 'alert', 'crit', 'err', 'warn', 'notice', 'info', 'debug'];
const TRY = "Try 'dmesg --help' for more information.\n";

function utilLinuxDmesg(args: string[], ctx: CommandContext, node: string): RunResult {
  let time: 'mono' | 'ctime' | 'none' = 'mono';
  let raw = false;
  let levels: Set<number> | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const level = (v: string | undefined): RunResult | undefined => {
      if (v === undefined) return { stdout: '', stderr: `dmesg: option requires an argument -- 'l'\n${TRY}`, exitCode: 1 };
      levels = new Set();
      for (const name of v.split(',')) {
        const n = LEVELS.indexOf(name);
        if (n < 0) return { stdout: '', stderr: `dmesg: unknown level '${name}'\n`, exitCode: 1 };
        levels.add(n);
      }
      return undefined;
    };
    if (a === '--ctime') time = 'ctime';
    else if (a === '--notime') time = 'none';
    else if (a === '--raw') raw = true;
    else if (a === '--nopager' || a === '--kernel') continue;
    else if (a.startsWith('--level')) {
      const r = level(a.includes('=') ? a.slice(8) : args[++i]);
      if (r) return r;
    } else if (a === '--version') return { stdout: 'dmesg from util-linux 2.37.2\n', stderr: '', exitCode: 0 };
    else if (a.startsWith('--')) return { stdout: '', stderr: `dmesg: unrecognized option '${a}'\n${TRY}`, exitCode: 1 };
    else if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j];
        if (c === 'T') time = 'ctime';
        else if (c === 't') time = 'none';
        else if (c === 'r') raw = true;
        else if (c === 'P' || c === 'k') continue;
        else if (c === 'l') {
          const r = level(j + 1 < a.length ? a.slice(j + 1) : args[++i]);
          if (r) return r;
          break;
        } else if ('CcDEnsFfwWHLSxdeup'.includes(c)) return { stdout: '', stderr: `netlab: dmesg -${c} is not simulated here (-T, -t, -r, -l are)\n`, exitCode: 1 };
        else return { stdout: '', stderr: `dmesg: invalid option -- '${c}'\n${TRY}`, exitCode: 1 };
      }
    } else return { stdout: '', stderr: `dmesg: bad usage\n${TRY}`, exitCode: 1 };
  }
  if (raw && time === 'ctime') return { stdout: '', stderr: 'dmesg: mutually exclusive arguments: --raw --ctime\n', exitCode: 1 };
  const boot = nodeBoot(ctx.cluster, node);
  let out = '';
  for (const r of kernelLog(ctx.cluster, node)) {
    if (levels && !levels.has(r.level)) continue;
    const ts = `[${String(Math.floor(r.us / 1e6)).padStart(5)}.${String(r.us % 1e6).padStart(6, '0')}] `;
    const prefix = raw ? `<${r.level}>${ts}` : time === 'none' ? '' : time === 'ctime' ? `[${ctime(boot + Math.floor(r.us / 1000))}] ` : ts;
    out += prefix + r.text + '\n';
  }
  return { stdout: out, stderr: '', exitCode: 0 };
}

/** Whether the container may read the kernel log: a privileged container (all capabilities, /dev/kmsg there). */
function privileged(ctx: CommandContext): boolean {
  const pod = hostPod(ctx.cluster, ctx.host);
  if (!pod || ctx.host.kind !== 'pod') return false;
  type C = { name: string; securityContext?: { privileged?: boolean; capabilities?: { add?: string[] } } };
  const all: C[] = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []), ...(pod.spec?.ephemeralContainers ?? [])];
  const host = ctx.host;
  const c = all.find((x) => x.name === host.container);
  return !!c?.securityContext?.privileged || !!c?.securityContext?.capabilities?.add?.some((x) => ['SYSLOG', 'CAP_SYSLOG', 'ALL'].includes(x));
}

export const dmesgCommand: CommandSpec = {
  name: 'dmesg',
  summary: 'print the kernel ring buffer',
  run(args, ctx) {
    const bb = isBusyboxApplet(ctx.cluster, ctx.host, 'dmesg');
    const pod = hostPod(ctx.cluster, ctx.host);
    const node = ctx.host.kind === 'node' ? ctx.host.node : (pod?.spec?.nodeName as string | undefined);
    if (!node) return { stdout: '', stderr: 'netlab: dmesg is installed here but is not simulated here\n', exitCode: 1 };
    if (ctx.host.kind === 'pod' && !privileged(ctx)) {
      if (bb) return { stdout: '', stderr: 'dmesg: klogctl: Operation not permitted\n', exitCode: 1 };
      return { stdout: '', stderr: 'dmesg: read kernel buffer failed: Operation not permitted\n', exitCode: 1 };
    }
    if (bb) {
      // busybox dmesg: the buffer with its <level> prefixes stripped (FEATURE_DMESG_PRETTY), -r raw
      const raw = args.includes('-r');
      const log = kernelLog(ctx.cluster, node);
      return { stdout: log.map((r) => `${raw ? `<${r.level}>` : ''}[${String(Math.floor(r.us / 1e6)).padStart(5)}.${String(r.us % 1e6).padStart(6, '0')}] ${r.text}\n`).join(''), stderr: '', exitCode: 0 };
    }
    return utilLinuxDmesg(args, ctx, node);
  },
};
