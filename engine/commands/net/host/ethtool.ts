/**
 * ethtool — what ethtool 5.16 (Ubuntu 22.04's, on nodes) and 6.x (nicolaka/netshoot's
 * Alpine package) print for the devices the CNI room puts in a host's network namespace,
 * answered by the node's kernel (5.15, cluster/release.ts) — a Pod's container shares it.
 *
 * `ethtool DEV` is netlink's nl_gset (netlink/settings.c): LINKMODES, LINKINFO, WOL, DEBUG
 * and LINKSTATE requests, each reply printed by its callback under one "Settings for DEV:"
 * banner; a request the driver does not support (EOPNOTSUPP) prints nothing, and if
 * nothing at all was printed: "No data available", exit 75. What each driver answers:
 *  - veth (drivers/net/veth.c veth_get_link_ksettings): 10000Mb/s, Full, autoneg off,
 *    PORT_TP — so MDI-X is printed, and reads Unknown (tp_mdix 0); get_link is
 *    ethtool_op_get_link, the carrier (LOWER_UP). A node's eth0 is the container end of
 *    its docker network's veth pair and answers the same.
 *  - bridge (net/bridge/br_device.c br_get_link_ksettings): duplex DUPLEX_UNKNOWN (0xff),
 *    PORT_OTHER, the highest speed among its running, operationally up ports (Unknown!
 *    with none).
 *  - vxlan (drivers/net/vxlan.c: get_drvinfo and get_link only), openvswitch's internal
 *    device, lo (drivers/net/loopback.c: get_link always_on): only "Link detected".
 *  - ipip (net/ipv4/ipip.c sets no ethtool_ops) and dummy (drivers/net/dummy.c:
 *    get_drvinfo and get_ts_info): no get_link either, so "No data available".
 * No driver here has get_wol or get_msglevel.
 *
 * `ethtool -i` is the ETHTOOL_GDRVINFO ioctl (ethtool.c dump_drvinfo; net/ethtool/ioctl.c
 * ethtool_get_drvinfo fills version with UTS_RELEASE before the driver's get_drvinfo, falls
 * back to rtnl_link_ops->kind without one, and fails EOPNOTSUPP for lo, which has neither).
 * `ethtool -S` is ETHTOOL_GSTATS (do_gnicstats): only veth has statistics — peer_ifindex
 * then per-queue XDP counters, rx_queue_%u_%.18s / tx_queue_%u_%.18s over
 * veth_rq_stats_desc / veth_tq_stats_desc (5.15), one queue each as `ip -d link` shows.
 * The simulation counts no XDP traffic, so those are 0.
 * `ethtool -k DEV` and `-K DEV FEATURE on|off…` (ethtool-features.ts): each device type's
 * netdev features as the driver sets them up, what -K asked for kept per network namespace
 * and device (so -k shows it, "[requested on]" where the kernel could not), the kernel's
 * fixups and ethtool's "Actual changes:". Changing features is CAP_NET_ADMIN's: a Pod
 * without it gets the netlink request's EPERM. An unknown feature name is the kernel's
 * "cannot find bit name" extack at the name attribute's offset in the request.
 * The other sub-commands are not modelled: they say so.
 */
import type { RunResult } from '../../../types';
import type { CommandContext, CommandSpec } from '../../../shell/command';
import { hostNamespace } from '../../../controllers/cni';
import type { NetLink } from '../../../dataplane/netns';
import { NODE_KERNEL_RELEASE } from '../../../cluster/release';
import type { ClusterRuntime } from '../../../controllers/runtime';
import { hostPod } from '../../../hosts/hosts';
import { deviceFeatures, featureChanges, requestedFeatures, showFeatures, type FeatureDevice, type Features } from './ethtool-features';

const BAD_ARGS = 'ethtool: bad command line argument(s)\nFor more information run ethtool -h\n';

/** The driver an interface answers with: the link kind, a node's eth0 being a veth. */
type Driver = 'veth' | 'bridge' | 'vxlan' | 'ipip' | 'dummy' | 'openvswitch' | 'lo';

function driverOf(l: NetLink): Driver {
  switch (l.kind) {
    case 'loopback': return 'lo';
    case 'device': return 'veth';
    default: return l.kind;
  }
}

const carrier = (l: NetLink): boolean => l.flags.includes('LOWER_UP');

/** linkmodes_reply_cb + linkinfo_reply_cb for a driver with get_link_ksettings. */
function ksettings(speed: number | undefined, duplex: 'Full' | 'Unknown! (255)', port: 'Twisted Pair' | 'Other'): string {
  let out = '\tSupported ports: [  ]\n';
  out += '\tSupported link modes:   Not reported\n';
  out += '\tSupported pause frame use: No\n';
  out += '\tSupports auto-negotiation: No\n';
  out += '\tSupported FEC modes: Not reported\n';
  out += '\tAdvertised link modes:  Not reported\n';
  out += '\tAdvertised pause frame use: No\n';
  out += '\tAdvertised auto-negotiation: No\n';
  out += '\tAdvertised FEC modes: Not reported\n';
  out += speed ? `\tSpeed: ${speed}Mb/s\n` : '\tSpeed: Unknown!\n';
  out += `\tDuplex: ${duplex}\n`;
  out += '\tAuto-negotiation: off\n';
  out += `\tPort: ${port}\n`;
  out += '\tPHYAD: 0\n';
  out += '\tTransceiver: internal\n';
  if (port === 'Twisted Pair') out += '\tMDI-X: Unknown\n';
  return out;
}

function settings(l: NetLink, links: NetLink[]): RunResult {
  const d = driverOf(l);
  let body = '';
  if (d === 'veth') body = ksettings(10000, 'Full', 'Twisted Pair');
  if (d === 'bridge') {
    const up = links.filter((p) => p.master === l.name && p.flags.includes('UP') && p.state === 'UP' && ['veth', 'device'].includes(p.kind));
    body = ksettings(up.length ? 10000 : undefined, 'Unknown! (255)', 'Other');
  }
  if (d === 'ipip' || d === 'dummy') return { stdout: 'No data available\n', stderr: '', exitCode: 75 };
  body += `\tLink detected: ${d === 'lo' || carrier(l) ? 'yes' : 'no'}\n`;
  return { stdout: `Settings for ${l.name}:\n${body}`, stderr: '', exitCode: 0 };
}

function drvinfo(l: NetLink): RunResult {
  const d = driverOf(l);
  if (d === 'lo') return { stdout: '', stderr: 'Cannot get driver information: Operation not supported\n', exitCode: 71 };
  const version = d === 'veth' ? '1.0' : d === 'vxlan' ? '0.1' : d === 'bridge' ? '2.3' : NODE_KERNEL_RELEASE;
  const na = d === 'bridge' ? 'N/A' : '';
  const out = [
    `driver: ${d}`, `version: ${version}`, `firmware-version: ${na}`, 'expansion-rom-version: ', `bus-info: ${na}`,
    `supports-statistics: ${d === 'veth' ? 'yes' : 'no'}`, 'supports-test: no', 'supports-eeprom-access: no', 'supports-register-dump: no', 'supports-priv-flags: no',
  ];
  return { stdout: out.join('\n') + '\n', stderr: '', exitCode: 0 };
}

const RQ_STATS = ['xdp_packets', 'xdp_bytes', 'drops', 'xdp_redirect', 'xdp_drops', 'xdp_tx', 'xdp_tx_errors'];
const TQ_STATS = ['xdp_xmit', 'xdp_xmit_errors'];

function stats(l: NetLink): RunResult {
  if (driverOf(l) !== 'veth') return { stdout: '', stderr: 'no stats available\n', exitCode: 94 };
  const peer = /^if(\d+)$/.exec(l.peer ?? '');
  if (!peer) {
    return { stdout: '', stderr: `netlab: ${l.name}'s peer is on the docker host, outside the simulated cluster: ethtool -S ${l.name} is not simulated here\n`, exitCode: 1 };
  }
  const rows: [string, number][] = [['peer_ifindex', Number(peer[1])]];
  for (const s of RQ_STATS) rows.push([`rx_queue_0_${s}`, 0]);
  for (const s of TQ_STATS) rows.push([`tx_queue_0_${s}`, 0]);
  return { stdout: 'NIC statistics:\n' + rows.map(([k, v]) => `     ${k}: ${v}\n`).join(''), stderr: '', exitCode: 0 };
}

/** What -K asked for, per network namespace and device: feature → wanted. */
const requests = new WeakMap<ClusterRuntime, Map<string, Map<string, boolean>>>();

function changesFor(cluster: ClusterRuntime, key: string): Map<string, boolean> {
  let all = requests.get(cluster);
  if (!all) requests.set(cluster, (all = new Map()));
  let m = all.get(key);
  if (!m) all.set(key, (m = new Map()));
  return m;
}

/** The network namespace a command runs in: the node's (also a hostNetwork Pod's) or the Pod's own. */
function netnsKey(ctx: CommandContext): string {
  if (ctx.host.kind === 'node') return `node/${ctx.host.node}`;
  const pod = hostPod(ctx.cluster, ctx.host);
  if (pod?.spec?.hostNetwork) return `node/${pod.spec.nodeName}`;
  return ctx.host.kind === 'pod' ? `pod/${ctx.host.namespace}/${ctx.host.pod}` : 'workstation';
}

function featuresOf(ctx: CommandContext, l: NetLink, links: NetLink[], key: string): Features {
  const kind = driverOf(l) as FeatureDevice;
  const ports = kind === 'bridge' ? links.filter((p) => p.master === l.name).map((p) => deviceFeatures(driverOf(p) as FeatureDevice, changesFor(ctx.cluster, `${key}/${p.name}`)).active) : undefined;
  return deviceFeatures(kind, changesFor(ctx.cluster, `${key}/${l.name}`), { fallbackTunnel: l.name === 'tunl0', ports });
}

/** CAP_NET_ADMIN: root on a node; in a container, a privileged one or one that adds NET_ADMIN. */
function netAdmin(ctx: CommandContext): boolean {
  if (ctx.host.kind === 'node') return true;
  const pod = hostPod(ctx.cluster, ctx.host);
  if (!pod || ctx.host.kind !== 'pod') return false;
  type C = { name: string; securityContext?: { privileged?: boolean; capabilities?: { add?: string[] } } };
  const host = ctx.host;
  const all: C[] = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []), ...(pod.spec?.ephemeralContainers ?? [])];
  const c = all.find((x) => x.name === host.container);
  return !!c?.securityContext?.privileged || !!c?.securityContext?.capabilities?.add?.some((x) => ['NET_ADMIN', 'CAP_NET_ADMIN', 'ALL'].includes(x));
}

const pad4 = (n: number) => Math.ceil(n / 4) * 4;

/** ethtool -K DEV NAME on|off…: nl_sfeatures over the kernel's ETHTOOL_MSG_FEATURES_SET. */
function setFeatures(ctx: CommandContext, dev: string, rest: string[], links: NetLink[]): RunResult {
  // fill_sfeatures_bitmap: pairs of a name and on|off
  const pairs: [string, boolean][] = [];
  for (let i = 0; i < rest.length; i += 2) {
    if (rest[i] === '--') break;
    const v = rest[i + 1];
    if (v !== 'on' && v !== 'off') return { stdout: '', stderr: `ethtool (-K): flag '${v ?? '(null)'}' for parameter '(null)' is not followed by 'on' or 'off'
`, exitCode: 1 };
    pairs.push([rest[i], v === 'on']);
  }
  const l = links.find((x) => x.name === dev);
  if (!l) return { stdout: '', stderr: 'netlink error: no device matches name (offset 24)\nnetlink error: No such device\n', exitCode: 92 };
  // the request's layout: genl header, FEATURES_HEADER (DEV_NAME, FLAGS), WANTED { BITS { BIT { NAME, VALUE } … } }
  let offset = 20 + 4 + 4 + pad4(dev.length + 1) + 8 + 4 + 4;
  const requested = new Map<string, boolean>();
  for (const [name, on] of pairs) {
    const fs = requestedFeatures(name);
    if (!fs) return { stdout: '', stderr: `netlink error: cannot find bit name (offset ${offset + 4})\nnetlink error: Invalid argument\n`, exitCode: 92 };
    for (const f of fs) {
      requested.set(f, on);
      offset += 4 + 4 + pad4(f.length + 1) + (on ? 4 : 0);
    }
  }
  if (!netAdmin(ctx)) return { stdout: '', stderr: 'netlink error: Operation not permitted\n', exitCode: 92 };
  const key = netnsKey(ctx);
  const before = featuresOf(ctx, l, links, key);
  const changes = changesFor(ctx.cluster, `${key}/${dev}`);
  for (const [f, on] of requested) changes.set(f, on);
  const after = featuresOf(ctx, l, links, key);
  const { stdout, nothingChanged } = featureChanges(before, after, requested);
  if (nothingChanged) return { stdout, stderr: 'Could not change any device features\n', exitCode: 1 };
  return { stdout, stderr: '', exitCode: 0 };
}

/** Sub-commands ethtool has whose answers this simulation does not derive. */
const UNMODELLED = new Set([
  '-a', '--show-pause', '-A', '--pause', '-c', '--show-coalesce', '-C', '--coalesce',
  '-g', '--show-ring', '-G', '--set-ring', '-l', '--show-channels', '-L', '--set-channels', '-T', '--show-time-stamping', '-s', '--change', '-d', '--register-dump',
  '-e', '--eeprom-dump', '-E', '--change-eeprom', '-r', '--negotiate', '-p', '--identify', '-t', '--test', '-n', '-u', '--show-nfc', '--show-ntuple', '-N', '-U',
  '--config-nfc', '--config-ntuple', '-x', '--show-rxfh-indir', '--show-rxfh', '-X', '--set-rxfh-indir', '--rxfh', '-f', '--flash', '-P', '--show-permaddr',
  '-w', '--get-dump', '-W', '--set-dump', '-m', '--dump-module-eeprom', '--module-info', '--show-eee', '--set-eee', '--show-priv-flags', '--set-priv-flags',
  '--show-fec', '--set-fec', '--phy-statistics', '--reset', '--show-tunnels', '--cable-test', '--cable-test-tdr', '--show-mm', '--set-mm', '--show-pse', '--set-pse',
  '--version', '--get-tunable', '--set-tunable', '--get-phy-tunable', '--set-phy-tunable', '--monitor', '--json',
]);

export const ethtoolCommand: CommandSpec = {
  name: 'ethtool',
  summary: 'query or control network driver and hardware settings',
  run(args: string[], ctx: CommandContext): RunResult {
    if (args[0] === '--version' && ctx.host.kind === 'node') return { stdout: 'ethtool version 5.16\n', stderr: '', exitCode: 0 };
    let mode: 'gset' | '-i' | '-S' = 'gset';
    let rest = args;
    if (['-k', '--show-features', '--show-offload', '-K', '--features', '--offload'].includes(args[0])) {
      const set = ['-K', '--features', '--offload'].includes(args[0]);
      const dev = args[1];
      if (dev === undefined) return { stdout: '', stderr: BAD_ARGS, exitCode: 1 };
      const links = hostNamespace(ctx.cluster, ctx.host)?.links ?? [];
      if (set) return setFeatures(ctx, dev, args.slice(2), links);
      if (args.length > 2) return { stdout: '', stderr: `ethtool: unexpected parameter '${args[2]}'\n`, exitCode: 1 };
      const l = links.find((x) => x.name === dev);
      if (!l) return { stdout: '', stderr: 'netlink error: no device matches name (offset 24)\nnetlink error: No such device\n', exitCode: 1 };
      return { stdout: showFeatures(dev, featuresOf(ctx, l, links, netnsKey(ctx))), stderr: '', exitCode: 0 };
    }
    if (['-i', '--driver'].includes(args[0])) [mode, rest] = ['-i', args.slice(1)];
    else if (['-S', '--statistics'].includes(args[0])) [mode, rest] = ['-S', args.slice(1)];
    else if (UNMODELLED.has(args[0])) {
      return { stdout: '', stderr: `netlab: ethtool ${args[0]} is not simulated here (settings, -i, -S, -k and -K are)\n`, exitCode: 1 };
    } else if (args[0]?.startsWith('-')) return { stdout: '', stderr: BAD_ARGS, exitCode: 1 };
    // -i and -S take exactly the device; ethtool DEV takes nothing after it (find_option, exit_bad_args)
    if (rest.length !== 1) return { stdout: '', stderr: BAD_ARGS, exitCode: 1 };
    const links = hostNamespace(ctx.cluster, ctx.host)?.links ?? [];
    const l = links.find((x) => x.name === rest[0]);
    if (!l) {
      if (mode === '-i') return { stdout: '', stderr: 'Cannot get driver information: No such device\n', exitCode: 71 };
      if (mode === '-S') return { stdout: '', stderr: 'Cannot get stats strings information: No such device\n', exitCode: 96 };
      return { stdout: '', stderr: 'netlink error: no device matches name (offset 24)\nnetlink error: No such device\n', exitCode: 1 };
    }
    if (mode === '-i') return drvinfo(l);
    if (mode === '-S') return stats(l);
    return settings(l, links);
  },
};
