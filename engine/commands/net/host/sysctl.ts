/**
 * sysctl (procps-ng 3.3.17, Ubuntu 22.04's, sysctl.c) and the /proc/sys/net tree it reads,
 * derived from what set each value on a kubeadm node:
 *
 *  - the kernel's defaults (5.15): somaxconn 4096, the rmem/wmem 212992 defaults, the
 *    ephemeral range 32768–60999; nf_conntrack_htable_size 65536 on a 1–4 GiB machine
 *    (nf_conntrack_core.c nf_conntrack_init_start), nf_conntrack_max = htable size.
 *  - br_netfilter, which the container-runtime prerequisites load: bridge-nf-call-* = 1.
 *  - Ubuntu 22.04's /etc/sysctl.d/10-network-security.conf: rp_filter = 2 (loose) on
 *    all, default and every device.
 *  - the runtime prerequisites / kubeadm preflight (net.ipv4.ip_forward = 1); writing
 *    ip_forward sets all/default/every device's forwarding (devinet.c inet_forward_change).
 *  - kube-proxy (cmd/kube-proxy/app/server_linux.go setupConntrack, pkg/proxy/conntrack):
 *    nf_conntrack_max = max(maxPerCore 32768 × CPUs, min 131072), established timeout 24h
 *    (86400), close-wait 1h (3600); iptables mode sets conf/all/route_localnet = 1
 *    (pkg/proxy/iptables/proxier.go, the "Setting route_localnet=1" log line); IPVS mode
 *    net/ipv4/vs/conntrack = 1, expire_nodest_conn = 1, expire_quiescent_template = 1
 *    (pkg/proxy/ipvs/proxier.go; conn_reuse_mode stays 1 on kernels ≥ 5.9).
 *  - the CNI: Calico's Felix on each cali* device (forwarding 1, proxy_arp 1,
 *    route_localnet 1, rp_filter 1; intdataplane endpoint_mgr.go configureInterface);
 *    Cilium turns rp_filter off on all and its own devices (pkg/datapath/linux/sysctl).
 *
 * Values a learner writes (`sysctl -w`, `echo 1 > /proc/sys/…`) are files in the node's
 * virtual filesystem and win over the derived ones, as in the kernel.
 */
import type { RunResult } from '../../../types';
import type { CommandContext, CommandSpec } from '../../../shell/command';
import type { ClusterRuntime } from '../../../controllers/runtime';
import type { HostRef } from '../../../types';
import { nodeNamespace } from '../../../controllers/cni';
import { kubeProxyOf } from '../../../controllers/kube-proxy';
import { cniPlugin } from '../../../controllers/cni/registry';

export const PROC_SYS = '/proc/sys/';

/** kube-proxy's conntrack defaults (pkg/proxy/apis/config/v1alpha1/defaults.go). */
const CONNTRACK_MAX_PER_CORE = 32768;
const CONNTRACK_MIN = 131072;
/** The node's CPUs (its Node's capacity: 2). */
const NODE_CPUS = 2;
/** nf_conntrack_htable_size for a machine with between 1 and 4 GiB (the nodes have 4015548Ki). */
const CONNTRACK_BUCKETS = 65536;

/** The per-device IPv4 keys modelled (a subset of devinet.c's table), with the kernel's defaults. */
const DEVCONF: Record<string, string> = {
  accept_local: '0',
  accept_redirects: '1',
  arp_announce: '0',
  arp_ignore: '0',
  forwarding: '0',
  proxy_arp: '0',
  route_localnet: '0',
  rp_filter: '0',
  send_redirects: '1',
};

const READ_ONLY = new Set(['net/netfilter/nf_conntrack_count']);

function kubeProxyRuns(cluster: ClusterRuntime): boolean {
  return !(cluster.settings.cni === 'cilium' && cluster.settings.kubeProxyReplacement);
}

/** The device names a node's /proc/sys/net/ipv4/conf holds: all, default and every link. */
function nodeDevices(cluster: ClusterRuntime, node: string): string[] {
  const ns = nodeNamespace(cluster, node);
  return ns ? ns.links.map((l) => l.name) : ['lo', 'eth0'];
}

const cache = new WeakMap<ClusterRuntime, Map<string, { stamp: string; values: Map<string, string> }>>();

/** The derived value of every modelled key on a node, by path under /proc/sys (no trailing newline); cached per store revision and instant. */
export function nodeSysctls(cluster: ClusterRuntime, node: string): Map<string, string> {
  const stamp = `${cluster.store.revision}|${cluster.clock.now()}`;
  let perNode = cache.get(cluster);
  if (!perNode) cache.set(cluster, (perNode = new Map()));
  const hit = perNode.get(node);
  if (hit && hit.stamp === stamp) return hit.values;
  const values = deriveSysctls(cluster, node);
  perNode.set(node, { stamp, values });
  return values;
}

function deriveSysctls(cluster: ClusterRuntime, node: string, devices = nodeDevices(cluster, node)): Map<string, string> {
  const s = cluster.settings;
  const out = new Map<string, string>();
  const set = (k: string, v: string | number) => out.set(k, String(v));
  const kp = kubeProxyRuns(cluster);
  const cilium = s.cni === 'cilium';
  const dual = !!s.podCIDRv6;

  for (const k of ['arptables', 'ip6tables', 'iptables']) set(`net/bridge/bridge-nf-call-${k}`, 1);
  set('net/bridge/bridge-nf-filter-pppoe-tagged', 0);
  set('net/bridge/bridge-nf-filter-vlan-tagged', 0);
  set('net/bridge/bridge-nf-pass-vlan-input-dev', 0);

  set('net/core/netdev_max_backlog', 1000);
  set('net/core/rmem_default', 212992);
  set('net/core/rmem_max', 212992);
  set('net/core/somaxconn', 4096);
  set('net/core/wmem_default', 212992);
  set('net/core/wmem_max', 212992);

  const fwd = '1';
  const devconf = (dev: string): Record<string, string> => {
    const c: Record<string, string> = { ...DEVCONF, forwarding: fwd, rp_filter: '2' };
    if (dev === 'all') {
      if (kp && s.proxyMode === 'iptables') c.route_localnet = '1';
      if (cilium) c.rp_filter = '0';
    }
    if (cilium && dev.startsWith('cilium_')) c.rp_filter = '0';
    if (s.cni === 'calico' && dev.startsWith('cali')) {
      c.proxy_arp = '1';
      c.route_localnet = '1';
      c.rp_filter = '1';
    }
    return c;
  };
  for (const dev of ['all', 'default', ...devices]) {
    for (const [k, v] of Object.entries(devconf(dev))) set(`net/ipv4/conf/${dev}/${k}`, v);
  }
  set('net/ipv4/ip_forward', 1);
  set('net/ipv4/ip_local_port_range', '32768\t60999');
  set('net/ipv4/ip_nonlocal_bind', 0);
  set('net/ipv4/tcp_fin_timeout', 60);
  set('net/ipv4/tcp_keepalive_time', 7200);
  set('net/ipv4/tcp_syncookies', 1);
  set('net/ipv4/tcp_tw_reuse', 2);
  if (kp && s.proxyMode === 'ipvs') {
    set('net/ipv4/vs/conn_reuse_mode', 1);
    set('net/ipv4/vs/conntrack', 1);
    set('net/ipv4/vs/expire_nodest_conn', 1);
    set('net/ipv4/vs/expire_quiescent_template', 1);
  }
  for (const dev of ['all', 'default']) {
    set(`net/ipv6/conf/${dev}/disable_ipv6`, 0);
    set(`net/ipv6/conf/${dev}/forwarding`, dual ? 1 : 0);
  }

  const max = kp ? Math.max(CONNTRACK_MAX_PER_CORE * NODE_CPUS, CONNTRACK_MIN) : CONNTRACK_BUCKETS;
  set('net/netfilter/nf_conntrack_buckets', CONNTRACK_BUCKETS);
  set('net/netfilter/nf_conntrack_count', conntrackCount(cluster, node));
  set('net/netfilter/nf_conntrack_max', max);
  set('net/netfilter/nf_conntrack_tcp_be_liberal', 0);
  set('net/netfilter/nf_conntrack_tcp_timeout_close_wait', kp ? 3600 : 60);
  set('net/netfilter/nf_conntrack_tcp_timeout_established', kp ? 86400 : 432000);
  set('net/netfilter/nf_conntrack_udp_timeout', 30);
  set('net/netfilter/nf_conntrack_udp_timeout_stream', 120);
  // the init namespace's alias of nf_conntrack_max
  set('net/nf_conntrack_max', max);
  return out;
}

function conntrackCount(cluster: ClusterRuntime, node: string): number {
  try {
    const kp = kubeProxyOf(cluster);
    kp.syncBackground(node);
    const ct = kp.conntrack.get(node);
    ct?.expire(cluster.clock.now());
    return ct?.entries.length ?? 0;
  } catch {
    return 0;
  }
}

/** Every key's value on a host as the kernel would answer now: learner writes over derived values. */
export function sysctlTree(cluster: ClusterRuntime, host: HostRef): Map<string, string> {
  if (host.kind !== 'node') return new Map();
  const tree = new Map(nodeSysctls(cluster, host.node));
  const written = (p: string) => cluster.fs.written(host, PROC_SYS + p)?.replace(/\n$/, '');
  // ip_forward is conf/all/forwarding: writing it sets every device's (devinet.c inet_forward_change)
  const fwd = written('net/ipv4/ip_forward') ?? written('net/ipv4/conf/all/forwarding');
  for (const k of tree.keys()) {
    if (fwd !== undefined && (k === 'net/ipv4/ip_forward' || (k.startsWith('net/ipv4/conf/') && k.endsWith('/forwarding')))) tree.set(k, fwd);
    const w = written(k);
    if (w !== undefined) tree.set(k, w);
  }
  // net.nf_conntrack_max is the init namespace's alias of net.netfilter.nf_conntrack_max
  const max = written('net/nf_conntrack_max') ?? written('net/netfilter/nf_conntrack_max');
  if (max !== undefined) {
    tree.set('net/nf_conntrack_max', max);
    tree.set('net/netfilter/nf_conntrack_max', max);
  }
  return tree;
}

function sortKeys(keys: string[]): string[] {
  // the kernel's sysctl tables are rbtrees by name: readdir returns each directory sorted
  const cmp = (a: string, b: string) => {
    const x = a.split('/');
    const y = b.split('/');
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
    }
    return x.length - y.length;
  };
  return [...keys].sort(cmp);
}

const USAGE = `
Usage:
 sysctl [options] [variable[=value] ...]

Options:
  -a, --all            display all variables
  -A                   alias of -a
  -X                   alias of -a
      --deprecated     include deprecated parameters to listing
  -b, --binary         print value without new line
  -e, --ignore         ignore unknown variables errors
  -N, --names          print variable names without values
  -n, --values         print only values of the given variable(s)
  -p, --load[=<file>]  read values from file
  -f                   alias of -p
      --system         read values from all system directories
  -r, --pattern <expression>
                       select setting that match expression
  -q, --quiet          do not echo variable set
  -w, --write          enable writing a value to variable
  -o                   does nothing
  -x                   does nothing
  -d                   alias of -h

 -h, --help     display this help and exit
 -V, --version  output version information and exit

For more details see sysctl(8).
`;

interface Flags {
  printName: boolean;
  printNewline: boolean;
  ignore: boolean;
  namesOnly: boolean;
  quiet: boolean;
  pattern?: RegExp;
}

/** slashdot(): the key as the learner typed it, in both spellings. */
function toPath(name: string): string {
  const first = name.search(/[./]/);
  if (first < 0 || name[first] === '/') return name;
  return name.replace(/[./]/g, (c) => (c === '.' ? '/' : '.'));
}
function toName(path: string): string {
  return path.replace(/[./]/g, (c) => (c === '/' ? '.' : '/'));
}

export function runSysctl(args: string[], ctx: CommandContext): RunResult {
  if (ctx.host.kind !== 'node') {
    const where = ctx.host.kind === 'pod' ? 'in this image' : 'here';
    return { stdout: '', stderr: `netlab: sysctl is installed ${where} but is not simulated here\n`, exitCode: 1 };
  }
  const host = ctx.host;
  const f: Flags = { printName: true, printNewline: true, ignore: false, namesOnly: false, quiet: false };
  let write = false;
  let all = false;
  const names: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      names.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const [long, inline] = a.slice(2).split('=', 2);
      if (long === 'all') all = true;
      else if (long === 'binary') {
        f.printNewline = false;
        f.printName = false;
      }
      else if (long === 'ignore') f.ignore = true;
      else if (long === 'names') f.namesOnly = true;
      else if (long === 'values') f.printName = false;
      else if (long === 'quiet') f.quiet = true;
      else if (long === 'write') write = true;
      else if (long === 'deprecated') continue;
      else if (long === 'pattern') {
        const p = inline ?? args[++i];
        if (p === undefined) return { stdout: '', stderr: `sysctl: option '--pattern' requires an argument\n${USAGE}`, exitCode: 1 };
        f.pattern = safeRegex(p);
      } else if (long === 'help') return { stdout: USAGE, stderr: '', exitCode: 0 };
      else if (long === 'version') return { stdout: 'sysctl from procps-ng 3.3.17\n', stderr: '', exitCode: 0 };
      else if (long === 'load' || long === 'system') return { stdout: '', stderr: `netlab: sysctl --${long} is not simulated here (sysctl -w NAME=VALUE sets one key)\n`, exitCode: 1 };
      else return { stdout: '', stderr: `sysctl: unrecognized option '${a}'\n${USAGE}`, exitCode: 1 };
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j];
        if (c === 'a' || c === 'A' || c === 'X') all = true;
        else if (c === 'b') {
          f.printNewline = false;
          f.printName = false;
        }
        else if (c === 'n') f.printName = false;
        else if (c === 'e') f.ignore = true;
        else if (c === 'N') f.namesOnly = true;
        else if (c === 'w') write = true;
        else if (c === 'q') f.quiet = true;
        else if (c === 'o' || c === 'x') continue;
        else if (c === 'r') {
          const rest = a.slice(j + 1);
          const p = rest || args[++i];
          if (p === undefined) return { stdout: '', stderr: `sysctl: option requires an argument -- 'r'\n${USAGE}`, exitCode: 1 };
          f.pattern = safeRegex(p);
          break;
        } else if (c === 'h' || c === 'd') return { stdout: USAGE, stderr: '', exitCode: 0 };
        else if (c === 'V') return { stdout: 'sysctl from procps-ng 3.3.17\n', stderr: '', exitCode: 0 };
        else if (c === 'p' || c === 'f') return { stdout: '', stderr: 'netlab: sysctl -p is not simulated here (sysctl -w NAME=VALUE sets one key)\n', exitCode: 1 };
        else return { stdout: '', stderr: `sysctl: invalid option -- '${c}'\n${USAGE}`, exitCode: 1 };
      }
      continue;
    }
    names.push(a);
  }
  if (!all && names.length === 0 && args.length === 0) return { stdout: '', stderr: USAGE, exitCode: 1 };
  const tree = sysctlTree(ctx.cluster, host);
  let stdout = '';
  let stderr = '';
  let rc = 0;

  const readOne = (path: string) => {
    const name = toName(path);
    if (f.pattern && !f.pattern.test(name)) return;
    if (f.namesOnly) {
      stdout += `${name}\n`;
      return;
    }
    const v = tree.get(path)!;
    if (f.printName) stdout += `${name} = ${v}\n`;
    else stdout += f.printNewline ? `${v}\n` : v;
  };
  const displayAll = (prefix: string) => {
    for (const k of sortKeys([...tree.keys()].filter((k) => k.startsWith(prefix)))) readOne(k);
  };

  if (all) {
    displayAll('');
    return { stdout, stderr, exitCode: 0 };
  }
  if (names.length === 0) return { stdout: '', stderr: "sysctl: no variables specified\nTry `sysctl --help' for more information.\n", exitCode: 1 };
  if (f.namesOnly && f.quiet) return { stdout: '', stderr: "sysctl: options -N and -q cannot coexist\nTry `sysctl --help' for more information.\n", exitCode: 1 };

  for (const arg of names) {
    if (write || arg.includes('=')) {
      const eq = arg.indexOf('=');
      if (eq < 0) {
        stderr += `sysctl: "${arg}" must be of the form name=value\n`;
        rc = -1;
        continue;
      }
      if (eq === 0) {
        stderr += `sysctl: malformed setting "${arg}"\n`;
        rc = -2;
        continue;
      }
      let key = arg.slice(0, eq);
      const ignoreFailure = key.startsWith('-');
      if (ignoreFailure) key = key.slice(1);
      const value = arg.slice(eq + 1);
      const path = toPath(key);
      const name = toName(path);
      if (!tree.has(path)) {
        if (!f.ignore) {
          stderr += isDir(tree, path) ? `sysctl: setting key "${name}": Is a directory\n` : `sysctl: cannot stat ${PROC_SYS}${path}: No such file or directory\n`;
          rc = -1;
        }
        continue;
      }
      if (READ_ONLY.has(path)) {
        stderr += `sysctl: setting key "${name}": Operation not permitted\n`;
        continue;
      }
      // the kernel's proc_dointvec parses integers (and the port range's pair); anything else is EINVAL
      const ints = value.trim().split(/\s+/);
      const want = tree.get(path)!.split('\t').length;
      if (ints.length !== want || ints.some((x) => !/^-?\d+$/.test(x))) {
        stderr += `sysctl: setting key "${name}": Invalid argument\n`;
        continue;
      }
      writeKey(ctx, host, path, ints.join('\t'));
      if (!f.quiet) {
        if (f.namesOnly) stdout += `${name}\n`;
        else if (f.printName) stdout += `${name} = ${value}\n`;
        else stdout += f.printNewline ? `${value}\n` : value;
      }
      continue;
    }
    const path = toPath(arg);
    if (tree.has(path)) readOne(path);
    else if (isDir(tree, path)) displayAll(path + '/');
    else if (!f.ignore) {
      stderr += `sysctl: cannot stat ${PROC_SYS}${path}: No such file or directory\n`;
      rc = -1;
    }
  }
  return { stdout, stderr, exitCode: rc === 0 ? 0 : rc & 0xff };
}

function isDir(tree: Map<string, string>, path: string): boolean {
  if (path === '' || path === 'net') return true;
  for (const k of tree.keys()) if (k.startsWith(path + '/')) return true;
  return false;
}

/** A write to a sysctl, stored as its /proc/sys file. A global forwarding write replaces every device's own (inet_forward_change). */
function writeKey(ctx: CommandContext, host: HostRef, path: string, value: string): void {
  const fs = ctx.cluster.fs;
  const forwarding = path === 'net/ipv4/ip_forward' || path === 'net/ipv4/conf/all/forwarding';
  if (forwarding && host.kind === 'node') {
    for (const k of nodeSysctls(ctx.cluster, host.node).keys()) {
      if ((k === 'net/ipv4/ip_forward' || k.endsWith('/forwarding')) && fs.written(host, PROC_SYS + k) !== undefined) fs.remove(host, PROC_SYS + k);
    }
  }
  if (path === 'net/nf_conntrack_max' || path === 'net/netfilter/nf_conntrack_max') {
    for (const p of ['net/nf_conntrack_max', 'net/netfilter/nf_conntrack_max']) if (fs.written(host, PROC_SYS + p) !== undefined) fs.remove(host, PROC_SYS + p);
  }
  fs.write(host, PROC_SYS + path, value + '\n');
}

function safeRegex(p: string): RegExp {
  try {
    return new RegExp(p);
  } catch {
    return /(?!)/;
  }
}

/**
 * The /proc/sys paths a node's filesystem derives (so `cat /proc/sys/net/ipv4/ip_forward`
 * and `ls /proc/sys/net/ipv4` work): every global key and the per-device keys of the
 * devices a node has from boot; pods' veths, which come and go, are answered by sysctl.
 */
export function registerProcSys(cluster: ClusterRuntime): void {
  // the devices a node has from boot: lo, eth0, kube-ipvs0 in IPVS mode, the plugin's own and its bridge
  const plugin = cniPlugin(cluster.settings);
  const devices = ['lo', 'eth0', ...(cluster.settings.proxyMode === 'ipvs' ? ['kube-ipvs0'] : []), ...plugin.bootDevices(cluster), ...(plugin.bridge ? [plugin.bridge] : [])];
  const paths = new Set(deriveSysctls(cluster, cluster.settings.nodes[0]?.name ?? '', [...new Set(devices)]).keys());
  for (const k of paths) {
    cluster.fs.provide(
      (h) => h.kind === 'node',
      PROC_SYS + k,
      (h) => {
        if (h.kind !== 'node') return undefined;
        const v = sysctlTree(cluster, h).get(k);
        return v === undefined ? undefined : v + '\n';
      },
    );
  }
}

export const sysctlCommand: CommandSpec = {
  name: 'sysctl',
  summary: 'configure kernel parameters at runtime',
  run: runSysctl,
  complete(args) {
    return args.length >= 1 ? ['-a', '-n', '-w', 'net.ipv4.ip_forward', 'net.bridge.bridge-nf-call-iptables', 'net.netfilter.nf_conntrack_max'].filter((w) => w.startsWith(args[args.length - 1])) : [];
  },
};
