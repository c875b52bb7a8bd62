/**
 * The machine under the nodes (engine/commands/runtime/machine.ts) as its tools print it, on
 * a node and in containers, which read the host kernel's /proc:
 *  - procps-ng 3.3.17 (Ubuntu 22.04): free.c (header, `%-9s` labels, `%11s` columns,
 *    scale_size, "Multiple unit options doesn't make sense."), uptime.c and
 *    proc/whattime.c sprint_uptime (`%2d user%s`, `%.2f` loads, -p, -s), top/top.c batch mode
 *    (summary_show: LOADAV_line, STATE_line_1_fmt, STATE_lin2x7_fmt, MEMORY_lines_fmt in MiB;
 *    Fieldstab widths, COLPADSTR after each column, the COMMAND column sized by
 *    calibrate_fields from 80 columns, PUFF's trimmed rows), proc/sysinfo.c meminfo's used
 *    and cache.
 *  - coreutils 8.32: nproc.c; df.c (print_table, field_data minimum widths, Use% rounded
 *    up, human_ceiling, filter_mount_list).
 *  - busybox 1.36.1: procps/free.c (`%12s`, make_human_readable_str), procps/uptime.c
 *    (",  %u users", LOAD_FRAC), coreutils/df.c (`%-20s %9s %9s %9s %3u%% %s`),
 *    util-linux/dmesg.c (klogctl's EPERM in an unprivileged container).
 *  - util-linux 2.37.2 sys-utils/dmesg.c (print_record `[%5ld.%06ld] `, -T's
 *    "%a %b %e %H:%M:%S %Y", "read kernel buffer failed"); linux v5.15 fs/proc/meminfo.c,
 *    loadavg.c, uptime.c; net/bridge/br_stp.c br_log_state, net/core/dev.c
 *    __dev_set_promiscuity, net/ipv6/addrconf.c, net/netfilter/ipvs (ip_vs_core.c,
 *    ip_vs_conn.c, ip_vs_proto.c, ip_vs_sched.c), net/ipv4/ipip.c, net/bridge/br.c,
 *    br_netfilter_hooks.c.
 *  - ethtool 5.16 netlink/features.c (dump_features, show_feature_changes, "Could not change
 *    any device features"), common.c off_flag_def; linux v5.15 net/ethtool/common.c
 *    netdev_features_strings, drivers/net/veth.c VETH_FEATURES, vxlan_setup, ipip.c
 *    IPIP_FEATURES, br_device.c COMMON_FEATURES with br_features_recompute,
 *    net/core/dev.c register_netdevice, netdev_fix_features, netdev_increment_features.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { golden } from '../../unit/dns/golden';
import { SCENARIO } from './node-scenario';

function out(r: { stdout: string; stderr: string; exitCode: number }): string {
  return r.stdout + (r.stderr ? `[stderr]\n${r.stderr}` : '') + `[exit ${r.exitCode}]\n`;
}

const PODS = `
  - apiVersion: v1
    kind: Pod
    metadata: {name: al}
    spec:
      nodeName: node-1
      containers: [{name: al, image: "alpine:3.19", command: ["sleep","3600"]}]
  - apiVersion: v1
    kind: Pod
    metadata: {name: shoot}
    spec:
      nodeName: node-1
      containers: [{name: shoot, image: "nicolaka/netshoot:v0.13", command: ["sleep","3600"], resources: {limits: {memory: 256Mi}}}]
  - apiVersion: v1
    kind: Pod
    metadata: {name: admin}
    spec:
      nodeName: node-1
      containers: [{name: admin, image: "nicolaka/netshoot:v0.13", command: ["sleep","3600"], securityContext: {capabilities: {add: ["NET_ADMIN"]}}}]
`;

const WITH_PODS = SCENARIO.replace('objects:\n', `objects:\n${PODS}`);

function session(yaml: string, lines: string[]): string {
  const sim = createSimulation(yaml, { seed: 1 });
  sim.run('sleep 30');
  return lines.map((l) => `$ ${l}\n` + out(sim.run(l))).join('');
}

describe('free, uptime, top, nproc and /proc', () => {
  it('on a node: procps-ng 3.3.17 and coreutils 8.32', () => {
    golden('node/systools/procps-node.txt', session(WITH_PODS, [
      'ssh node-1 free', 'ssh node-1 free -h', 'ssh node-1 free -m -w', 'ssh node-1 free -g -t', 'ssh node-1 free --si -h', 'ssh node-1 free -b -l',
      'ssh node-1 free -c 2 -m', 'ssh node-1 free -k -m', 'ssh node-1 free -x', 'ssh node-1 free now', 'ssh node-1 free -s 1', 'ssh node-1 free -V',
      'ssh node-1 uptime', 'ssh node-1 uptime -p', 'ssh node-1 uptime -s', 'ssh node-1 uptime -x', 'ssh node-1 uptime --pretty now',
      'ssh node-1 nproc', 'ssh node-1 nproc --all --ignore=1', 'ssh node-1 nproc -x', 'ssh node-1 nproc 2',
      'ssh node-1 top -b -n 1', 'ssh node-1 top -b -n 1 -w 100 | head -9', 'ssh node-1 top -b -n 1 -p 1', 'ssh node-1 top', 'ssh node-1 top -b', 'ssh node-1 top -b -n x', 'ssh node-1 top -Z',
      'ssh node-1 cat /proc/loadavg /proc/uptime /proc/meminfo', 'ssh node-1 head -28 /proc/cpuinfo', 'ssh node-1 grep -c processor /proc/cpuinfo',
    ]));
  });

  it('in containers: busybox applets read the host kernel', () => {
    golden('node/systools/procps-pods.txt', session(WITH_PODS, [
      'kubectl exec bb -- free', 'kubectl exec bb -- free -h', 'kubectl exec bb -- free -m', 'kubectl exec bb -- free -x',
      'kubectl exec bb -- uptime', 'kubectl exec bb -- uptime -s', 'kubectl exec bb -- uptime -p', 'kubectl exec al -- uptime -p',
      'kubectl exec bb -- nproc', 'kubectl exec bb -- cat /proc/loadavg', 'kubectl exec shoot -- free -m', 'kubectl exec shoot -- head -3 /proc/meminfo',
    ]));
  });

  it('agree with each other and with the Node object', () => {
    const sim = createSimulation(WITH_PODS, { seed: 1 });
    const node = sim.run('kubectl get node node-1 -o jsonpath={.status.capacity.memory},{.status.capacity.cpu}').stdout.split(',');
    const meminfo = sim.run('ssh node-1 cat /proc/meminfo').stdout;
    expect(meminfo.split('\n')[0]).toBe(`MemTotal:        ${node[0].replace('Ki', '')} kB`);
    expect(sim.run('ssh node-1 free').stdout.split('\n')[1].split(/\s+/)[1]).toBe(node[0].replace('Ki', ''));
    expect(sim.run('ssh node-1 nproc').stdout).toBe(`${node[1]}\n`);
    // the container reads the same kernel
    expect(sim.run('kubectl exec bb -- cat /proc/meminfo').stdout).toBe(meminfo);
    const loads = sim.run('ssh node-1 cat /proc/loadavg').stdout.split(' ').slice(0, 3).join(', ');
    expect(sim.run('ssh node-1 uptime').stdout).toContain(`load average: ${loads}\n`);
    expect(sim.run('ssh node-1 top -b -n 1').stdout.split('\n')[0]).toContain(`load average: ${loads}`);
    // stable while nothing changes; the uptime moves with the virtual clock
    const up = (s: string) => Number(s.split(' ')[0]);
    const before = up(sim.run('ssh node-1 cat /proc/uptime').stdout);
    sim.run('sleep 90');
    // sleep's 90 s, and the few the ssh sessions themselves take on the virtual clock
    const after = up(sim.run('ssh node-1 cat /proc/uptime').stdout) - before;
    expect(after).toBeGreaterThanOrEqual(90);
    expect(after).toBeLessThan(95);
    expect(sim.run('ssh node-1 cat /proc/loadavg').stdout.split(' ').slice(0, 3).join(', ')).toBe(loads);
  });
});

describe('df', () => {
  it('on a node: the root from ephemeral-storage, tmpfs, the kubelet\'s token volumes, containerd\'s shm and overlays', () => {
    golden('node/systools/df-node.txt', session(WITH_PODS, [
      'ssh node-1 df', 'ssh node-1 df -h', 'ssh node-1 df -hT /', 'ssh node-1 df -t tmpfs -h', 'ssh node-1 df -x overlay -x tmpfs', 'ssh node-1 df -h --total -t ext4 -t vfat',
      'ssh node-1 df -P /boot/efi', 'ssh node-1 df /nope', 'ssh node-1 df -z', 'ssh node-1 df -x',
    ]));
  });

  // coreutils 8.32 df.c: -a keeps every mount (filter_mount_list(true)) and get_dev prints
  // `-` for a mount point another mount covers (systemd-1's autofs under binfmt_misc); -i the
  // itotal/iused/iavail/ipcent fields; a filesystem without blocks shows only with -a or when
  // named. The mounts: systemd v249 mount-setup.c mount_table, containerd's netns binds.
  it('on a node, -a lists the pseudo filesystems and -i the inodes', () => {
    golden('node/systools/df-all-inodes.txt', session(WITH_PODS, [
      'ssh node-1 df -a', 'ssh node-1 df -i', 'ssh node-1 df -ih /', 'ssh node-1 df -i /boot/efi /proc', 'ssh node-1 df -aTh -t nsfs -t autofs -t binfmt_misc',
      'ssh node-1 df -i --total -x overlay -x tmpfs', 'kubectl exec shoot -- df -i',
    ]));
  });

  // coreutils 8.32 df.c (-B: human_options; get_header's "%s-%s" of the block size as
  // human_readable shows it), gnulib human.c humblock (a SIZE that starts with its unit keeps
  // it after each number; B for powers of 1000), xstrtol_fatal's "invalid -B argument"
  it('on a node, -B SIZE / --block-size: the header names the block, a unit-first SIZE suffixes every number', () => {
    golden('node/systools/df-block-size.txt', session(WITH_PODS, [
      'ssh node-1 df -BM / /run', 'ssh node-1 df -B 1K /run', 'ssh node-1 df --block-size=1G /', 'ssh node-1 df -BMB /', 'ssh node-1 df -B 512 /', 'ssh node-1 df -B1000 /',
      'ssh node-1 df -P -BM /', 'ssh node-1 df -Bx /', 'ssh node-1 df --block-size=0 /', 'ssh node-1 df -B',
    ]));
  });

  it('in containers: busybox shows every mount, coreutils one per device', () => {
    golden('node/systools/df-pods.txt', session(WITH_PODS, [
      'kubectl exec bb -- df', 'kubectl exec bb -- df -h', 'kubectl exec al -- df -hT', 'kubectl exec bb -- df -P /etc/hosts', 'kubectl exec bb -- df -t tmpfs',
      'kubectl exec bb -- df -z', 'kubectl exec al -- df -z', 'kubectl exec shoot -- df -h /run/secrets/kubernetes.io/serviceaccount',
      // busybox df.c with FEATURE_DF_FANCY: -a, -i (`   Inodes`, f_frsize 1), -B SIZE (kmg_i_suffixes, "invalid number")
      'kubectl exec bb -- df -a', 'kubectl exec bb -- df -i', 'kubectl exec al -- df -ih /', 'kubectl exec bb -- df -B 1M /', 'kubectl exec bb -- df -PB512 /',
      'kubectl exec bb -- df -Bx', 'kubectl exec bb -- df /proc',
      'kubectl get pods -l app=web -o name',
    ]));
    const sim = createSimulation(WITH_PODS, { seed: 1 });
    const web = sim.run('kubectl get pods -l app=web -o jsonpath={.items[0].metadata.name}').stdout;
    golden('node/systools/df-nginx.txt', [`kubectl exec ${web} -- df -h`, `kubectl exec ${web} -- df -a -h`, `kubectl exec ${web} -- df -i`, `kubectl exec ${web} -- nproc`, `kubectl exec ${web} -- dmesg`].map((l) => `$ ${l.replace(web, 'WEB')}\n` + out(sim.run(l))).join(''));
  });

  it('the root filesystem is the size the kubelet reports as ephemeral-storage', () => {
    const sim = createSimulation(WITH_PODS, { seed: 1 });
    const cap = sim.run('kubectl get node node-1 -o jsonpath={.status.capacity.ephemeral-storage}').stdout;
    expect(sim.run('ssh node-1 df /').stdout.split('\n')[1].split(/\s+/)[1]).toBe(cap.replace('Ki', ''));
  });
});

describe('dmesg', () => {
  it('the ring buffer on a Calico node: boot, the modules lsmod lists, each sandbox\'s veth', () => {
    golden('node/systools/dmesg-calico.txt', session(SCENARIO, [
      'ssh node-1 dmesg', 'ssh node-1 dmesg -T | tail -4', 'ssh node-1 dmesg -t | head -3', 'ssh node-1 dmesg -r | head -2', 'ssh node-1 dmesg -l notice',
      'ssh node-1 dmesg -l bogus', 'ssh node-1 dmesg -z', 'ssh node-1 dmesg -T -r', 'ssh node-1 dmesg -C',
      'kubectl exec bb -- dmesg', 'ssh node-1 lsmod | grep -c .',
    ]));
  });

  it('flannel\'s cni0 bridge ports and kube-proxy\'s IPVS modules', () => {
    golden('node/systools/dmesg-flannel-ipvs.txt', session(SCENARIO.replace('cni: calico\n  proxyMode: iptables', 'cni: flannel\n  proxyMode: ipvs'), ['ssh node-1 dmesg | tail -24']));
  });

  it('util-linux dmesg in netshoot: the kernel refuses an unprivileged container', () => {
    golden('node/systools/dmesg-pods.txt', session(WITH_PODS, ['kubectl exec shoot -- dmesg', 'kubectl exec al -- dmesg']));
  });
});

describe('ethtool -k / -K', () => {
  it('each device type\'s features on a Calico node; -K through the kernel\'s fixups', () => {
    golden('node/systools/ethtool-features-calico.txt', session(WITH_PODS, [
      'ssh node-1 ethtool -k eth0', 'ssh node-1 ethtool -k tunl0', 'ssh node-1 ethtool -k lo',
      'ssh node-1 ethtool -K tunl0 tx off', 'ssh node-1 ethtool -k tunl0 | head -17', 'ssh node-1 ethtool -K tunl0 tx on', 'ssh node-1 ethtool -k tunl0 | head -3',
      'ssh node-1 ethtool -K eth0 tx-checksum-ipv4 on', 'ssh node-1 ethtool -K eth0 gro off gso off', 'ssh node-1 ethtool --show-offload eth0 | grep -e generic -e rx-gro',
      'ssh node-1 ethtool -K eth0 bogus on', 'ssh node-1 ethtool -K eth0 tx maybe', 'ssh node-1 ethtool -K nope tx off', 'ssh node-1 ethtool -k nope', 'ssh node-1 ethtool -k eth0 extra', 'ssh node-1 ethtool -k',
      'kubectl exec shoot -- ethtool -K eth0 tx off', 'kubectl exec admin -- ethtool -K eth0 tso off', 'kubectl exec admin -- ethtool -k eth0 | head -17', 'kubectl exec shoot -- ethtool -k eth0 | head -3',
    ]));
  });

  it('flannel: cni0 bounded by its veth ports, flannel.1 (VXLAN) and the checksum fix for it', () => {
    golden('node/systools/ethtool-features-flannel.txt', session(SCENARIO.replace('cni: calico', 'cni: flannel'), [
      'ssh node-1 ethtool -k cni0', 'ssh node-1 ethtool -k flannel.1', 'ssh node-1 ethtool -K flannel.1 tx-checksum-ip-generic off', 'ssh node-1 ethtool -k flannel.1 | head -17',
    ]));
  });
});

describe('systemd-resolved on a node', () => {
  /*
   * systemd 249 src/resolve/resolved-resolv-conf.c (the stub and uplink files' headers),
   * resolvectl.c (status_global/status_ifindex tables, resolve_host's `-- link:` comment and
   * its three trailing lines, the NXDOMAIN bus error "'%s' not found");
   * kubernetes cmd/kubeadm/app/componentconfigs/kubelet.go (resolvConf
   * /run/systemd/resolve/resolv.conf when systemd-resolved is active); the kubelet's
   * parseResolvConf dropping `search .` (pkg/kubelet/network/dns/dns.go).
   */
  it('the stub, the uplink file the kubelet reads, resolvectl, and the node\'s lookups going to 127.0.0.53', () => {
    golden('node/systools/resolved.txt', session(SCENARIO, [
      'ssh node-1 cat /etc/resolv.conf', 'ssh node-1 cat /run/systemd/resolve/resolv.conf', 'ssh node-1 grep resolvConf /var/lib/kubelet/config.yaml',
      'ssh node-1 resolvectl status', 'ssh node-1 resolvectl status eth0', 'ssh node-1 resolvectl query example.com', 'ssh node-1 resolvectl query web.default.svc.cluster.local',
      'ssh node-1 resolvectl query', 'ssh node-1 resolvectl flush', 'ssh node-1 ss -lntu', 'ssh node-1 nslookup example.com', 'ssh node-1 nslookup web.default.svc.cluster.local',
    ]));
  });
});
