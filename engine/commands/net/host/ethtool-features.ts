/**
 * Netdev features — what `ethtool -k` shows and `ethtool -K` changes — on the nodes' 5.15
 * kernel, per device type, from the drivers' setup functions:
 *  - veth (drivers/net/veth.c veth_setup): VETH_FEATURES (SG, FRAGLIST, HW_CSUM, RXCSUM,
 *    SCTP_CRC, HIGHDMA, GSO_SOFTWARE, GSO_ENCAP_ALL, CTAG/STAG TX and RX) both active and
 *    changeable, plus LLTX;
 *  - bridge (net/bridge/br_device.c br_dev_setup): COMMON_FEATURES (SG, FRAGLIST, HIGHDMA,
 *    GSO_MASK, HW_CSUM, CTAG/STAG TX) with LLTX and NETNS_LOCAL; what it may keep active is
 *    recomputed from its ports (br_features_recompute → netdev_increment_features: the
 *    one-for-all features only if a port has them, the all-for-all only if every port
 *    has them), so a bridge of veths shows the GSO types no veth does as
 *    "off [requested on]";
 *  - vxlan (drivers/net/vxlan/vxlan_core.c vxlan_setup): LLTX, SG, HW_CSUM, RXCSUM,
 *    GSO_SOFTWARE;
 *  - ipip (net/ipv4/ipip.c ipip_tunnel_setup): IPIP_FEATURES (SG, FRAGLIST, HIGHDMA,
 *    GSO_SOFTWARE, HW_CSUM) and LLTX; tunl0, the fallback device, is NETNS_LOCAL
 *    (ip_tunnel_init_net);
 *  - dummy (drivers/net/dummy.c): SG, FRAGLIST, GSO_SOFTWARE, HW_CSUM, HIGHDMA, LLTX,
 *    GSO_ENCAP_ALL, all changeable; lo (drivers/net/loopback.c): only GSO_SOFTWARE
 *    changeable, the rest fixed on (and `loopback: on [fixed]`);
 *  - every device: register_netdevice adds GSO and GRO (on) and GRO_FRAGLIST, GRO_UDP_FWD
 *    (off) to what can change, and NOCACHE_COPY except on lo; TSO_MANGLEID where TSO is.
 * NETIF_F_NEVER_CHANGE (LLTX, NETNS_LOCAL, VLAN_CHALLENGED) is always fixed. A change goes
 * through netdev_fix_features: TSO needs SG and a checksum, TSO_MANGLEID needs TSO, software
 * GSO needs SG.
 *
 * Output (ethtool 5.16 netlink/features.c dump_features): the legacy flags of
 * off_flag_def first — a flag covering several features prints `name: on|off` (on if any
 * is) then each feature tab-indented; a flag covering one prints under the flag's long
 * name — then the remaining features in the kernel's bit order (net/ethtool/common.c
 * netdev_features_strings), each `name: on|off` with ` [fixed]` (not in hw_features, or
 * never changeable) or ` [requested on|off]` (wanted differs from active). -K takes legacy
 * short or long names (rx, tx, sg, tso, gso, gro, lro, rxvlan, txvlan, ntuple, rxhash) or
 * feature names; show_feature_changes prints "Actual changes:" when the result differs from
 * the request, and "Could not change any device features" (exit 1) when nothing requested
 * took.
 */

/** netdev_features_strings in NETIF_F_*_BIT order (5.15); '' for unused bits. */
export const FEATURE_NAMES: readonly string[] = [
  'tx-scatter-gather', 'tx-checksum-ipv4', '', 'tx-checksum-ip-generic', 'tx-checksum-ipv6', 'highdma', 'tx-scatter-gather-fraglist', 'tx-vlan-hw-insert',
  'rx-vlan-hw-parse', 'rx-vlan-filter', 'vlan-challenged', 'tx-generic-segmentation', 'tx-lockless', 'netns-local', 'rx-gro', 'rx-lro',
  'tx-tcp-segmentation', 'tx-gso-robust', 'tx-tcp-ecn-segmentation', 'tx-tcp-mangleid-segmentation', 'tx-tcp6-segmentation', 'tx-fcoe-segmentation', 'tx-gre-segmentation', 'tx-gre-csum-segmentation',
  'tx-ipxip4-segmentation', 'tx-ipxip6-segmentation', 'tx-udp_tnl-segmentation', 'tx-udp_tnl-csum-segmentation', 'tx-gso-partial', 'tx-tunnel-remcsum-segmentation', 'tx-sctp-segmentation', 'tx-esp-segmentation',
  'tx-udp-segmentation', 'tx-gso-list', 'tx-checksum-fcoe-crc', 'tx-checksum-sctp', 'fcoe-mtu', 'rx-ntuple-filter', 'rx-hashing', 'rx-checksum',
  'tx-nocache-copy', 'loopback', 'rx-fcs', 'rx-all', 'tx-vlan-stag-hw-insert', 'rx-vlan-stag-hw-parse', 'rx-vlan-stag-filter', 'l2-fwd-offload',
  'hw-tc-offload', 'esp-hw-offload', 'esp-tx-csum-hw-offload', 'rx-udp_tunnel-port-offload', 'tls-hw-tx-offload', 'tls-hw-rx-offload', 'rx-gro-hw', 'tls-hw-record',
  'rx-gro-list', 'macsec-hw-offload', 'rx-udp-gro-forwarding', 'hsr-tag-ins-offload', 'hsr-tag-rm-offload', 'hsr-fwd-offload', 'hsr-dup-offload',
];

/** ethtool's off_flag_def (common.c): short name, long name, kernel name pattern (one `*` at most). UFO is skipped on netlink kernels. */
const OFF_FLAGS: [short: string, long: string, pattern: string][] = [
  ['rx', 'rx-checksumming', 'rx-checksum'],
  ['tx', 'tx-checksumming', 'tx-checksum-*'],
  ['sg', 'scatter-gather', 'tx-scatter-gather*'],
  ['tso', 'tcp-segmentation-offload', 'tx-tcp*-segmentation'],
  ['gso', 'generic-segmentation-offload', 'tx-generic-segmentation'],
  ['gro', 'generic-receive-offload', 'rx-gro'],
  ['lro', 'large-receive-offload', 'rx-lro'],
  ['rxvlan', 'rx-vlan-offload', 'rx-vlan-hw-parse'],
  ['txvlan', 'tx-vlan-offload', 'tx-vlan-hw-insert'],
  ['ntuple', 'ntuple-filters', 'rx-ntuple-filter'],
  ['rxhash', 'receive-hashing', 'rx-hashing'],
];

/** flag_pattern_match: a pattern with at most one `*`. */
function matches(name: string, pattern: string): boolean {
  const star = pattern.indexOf('*');
  if (star < 0) return name === pattern;
  const head = pattern.slice(0, star);
  const tail = pattern.slice(star + 1);
  return name.length + 1 >= pattern.length && name.startsWith(head) && name.endsWith(tail);
}

type F = Set<string>;
const set = (...xs: (string | readonly string[])[]): F => new Set(xs.flat());

const ALL_TSO = ['tx-tcp-segmentation', 'tx-tcp6-segmentation', 'tx-tcp-ecn-segmentation', 'tx-tcp-mangleid-segmentation'];
const GSO_SOFTWARE = [...ALL_TSO, 'tx-sctp-segmentation', 'tx-udp-segmentation', 'tx-gso-list'];
const GSO_ENCAP_ALL = ['tx-gre-segmentation', 'tx-gre-csum-segmentation', 'tx-ipxip4-segmentation', 'tx-ipxip6-segmentation', 'tx-udp_tnl-segmentation', 'tx-udp_tnl-csum-segmentation'];
/** NETIF_F_GSO_MASK: every segmentation type bit (TSO … GSO_FRAGLIST). */
const GSO_MASK = FEATURE_NAMES.slice(16, 34).filter(Boolean);
const CSUM_MASK = ['tx-checksum-ipv4', 'tx-checksum-ip-generic', 'tx-checksum-ipv6', 'tx-checksum-sctp', 'tx-checksum-fcoe-crc'];
const NEVER_CHANGE = ['tx-lockless', 'netns-local', 'vlan-challenged'];
const ONE_FOR_ALL = [...GSO_SOFTWARE, 'tx-gso-robust', 'tx-scatter-gather', 'highdma', 'tx-scatter-gather-fraglist', 'vlan-challenged'];
const ALL_FOR_ALL = ['tx-nocache-copy', 'tx-fcoe-segmentation'];

export type FeatureDevice = 'veth' | 'bridge' | 'vxlan' | 'ipip' | 'dummy' | 'openvswitch' | 'lo';

export interface Features {
  hw: F;
  wanted: F;
  active: F;
}

/** What the driver's setup and register_netdevice give a device: hw_features and features. */
function driverFeatures(kind: FeatureDevice, fallbackTunnel: boolean): { hw: F; on: F } {
  const vlan = ['tx-vlan-hw-insert', 'rx-vlan-hw-parse', 'tx-vlan-stag-hw-insert', 'rx-vlan-stag-hw-parse'];
  let hw: F;
  let on: F;
  switch (kind) {
    case 'veth': {
      const v = set('tx-scatter-gather', 'tx-scatter-gather-fraglist', 'tx-checksum-ip-generic', 'rx-checksum', 'tx-checksum-sctp', 'highdma', GSO_SOFTWARE, GSO_ENCAP_ALL, vlan);
      hw = new Set(v);
      on = set([...v], 'tx-lockless');
      break;
    }
    case 'bridge': {
      const common = set('tx-scatter-gather', 'tx-scatter-gather-fraglist', 'highdma', GSO_MASK, 'tx-checksum-ip-generic', 'tx-vlan-hw-insert', 'tx-vlan-stag-hw-insert');
      hw = new Set(common);
      on = set([...common], 'tx-lockless', 'netns-local');
      break;
    }
    case 'vxlan':
      hw = set('tx-scatter-gather', 'tx-checksum-ip-generic', 'rx-checksum', GSO_SOFTWARE);
      on = set([...hw], 'tx-lockless');
      break;
    case 'ipip':
      hw = set('tx-scatter-gather', 'tx-scatter-gather-fraglist', 'highdma', GSO_SOFTWARE, 'tx-checksum-ip-generic');
      on = set([...hw], 'tx-lockless', fallbackTunnel ? ['netns-local'] : []);
      break;
    case 'dummy':
    case 'openvswitch':
      on = set('tx-scatter-gather', 'tx-scatter-gather-fraglist', GSO_SOFTWARE, 'tx-checksum-ip-generic', 'highdma', 'tx-lockless', GSO_ENCAP_ALL);
      hw = new Set(on);
      break;
    case 'lo':
      hw = set(GSO_SOFTWARE);
      on = set('tx-scatter-gather', 'tx-scatter-gather-fraglist', GSO_SOFTWARE, 'tx-checksum-ip-generic', 'rx-checksum', 'tx-checksum-sctp', 'highdma', 'tx-lockless', 'netns-local', 'vlan-challenged', 'loopback');
      break;
  }
  // register_netdevice
  for (const f of ['tx-generic-segmentation', 'rx-gro', 'rx-gro-list', 'rx-udp-gro-forwarding']) hw.add(f);
  on.add('tx-generic-segmentation');
  on.add('rx-gro');
  if (kind !== 'lo') hw.add('tx-nocache-copy');
  if (hw.has('tx-tcp-segmentation')) hw.add('tx-tcp-mangleid-segmentation');
  return { hw, on };
}

/** netdev_fix_features: what the core drops whatever is wanted. */
function fix(f: F): F {
  const out = new Set(f);
  if (ALL_TSO.some((x) => out.has(x)) && !out.has('tx-scatter-gather')) for (const x of ALL_TSO) out.delete(x);
  if (out.has('tx-tcp-segmentation') && !out.has('tx-checksum-ip-generic') && !out.has('tx-checksum-ipv4')) {
    out.delete('tx-tcp-segmentation');
    out.delete('tx-tcp-ecn-segmentation');
  }
  if (out.has('tx-tcp6-segmentation') && !out.has('tx-checksum-ip-generic') && !out.has('tx-checksum-ipv6')) out.delete('tx-tcp6-segmentation');
  if (out.has('tx-tcp-mangleid-segmentation') && !out.has('tx-tcp-segmentation')) out.delete('tx-tcp-mangleid-segmentation');
  if (ALL_TSO.filter((x) => out.has(x)).join() === 'tx-tcp-ecn-segmentation') out.delete('tx-tcp-ecn-segmentation');
  if (out.has('tx-generic-segmentation') && !out.has('tx-scatter-gather')) out.delete('tx-generic-segmentation');
  return out;
}

/** netdev_increment_features(all, one, mask) (net/core/dev.c). */
function increment(all: F, one: F, mask: F): F {
  const m = new Set(mask);
  if (m.has('tx-checksum-ip-generic')) for (const x of CSUM_MASK) m.add(x);
  m.add('vlan-challenged');
  const out = new Set(all);
  for (const x of one) if ((ONE_FOR_ALL.includes(x) || CSUM_MASK.includes(x)) && m.has(x)) out.add(x);
  for (const x of ALL_FOR_ALL) if (!one.has(x)) out.delete(x);
  if (out.has('tx-checksum-ip-generic')) for (const x of CSUM_MASK) if (x !== 'tx-checksum-ip-generic') out.delete(x);
  return out;
}

/**
 * A device's features: the driver's, what -K asked for (`changes`: feature → wanted), fixed
 * up; a bridge's also bounded by its ports' active features.
 */
export function deviceFeatures(kind: FeatureDevice, changes: ReadonlyMap<string, boolean>, opts: { fallbackTunnel?: boolean; ports?: F[] } = {}): Features {
  const { hw, on } = driverFeatures(kind, !!opts.fallbackTunnel);
  // wanted_features: the changeable ones as they start, as -K set them
  const wanted = new Set([...on].filter((f) => hw.has(f)));
  for (const [f, v] of changes) {
    if (!hw.has(f) || NEVER_CHANGE.includes(f)) continue;
    if (v) wanted.add(f);
    else wanted.delete(f);
  }
  // __netdev_update_features: (features & ~hw) | wanted, then the driver's and the core's fixups
  let active = new Set([...[...on].filter((f) => !hw.has(f)), ...wanted]);
  if (kind === 'bridge') {
    // br_features_recompute: the mask's non-one-for-all features, incremented by each port, plus TSO
    const mask = new Set(active);
    let f = new Set([...mask].filter((x) => !ONE_FOR_ALL.includes(x)));
    for (const p of opts.ports ?? []) f = increment(f, p, mask);
    f = increment(f, new Set(ALL_TSO), mask);
    active = new Set([...active].filter((x) => f.has(x) || !hw.has(x)));
  }
  return { hw, wanted, active: fix(active) };
}

const fixed = (r: Features, f: string) => !r.hw.has(f) || NEVER_CHANGE.includes(f);

/** dump_feature: `name: on|off` and its suffix. */
function line(r: Features, f: string, label: string, prefix: string): string {
  const on = r.active.has(f);
  const suffix = fixed(r, f) ? ' [fixed]' : on !== r.wanted.has(f) ? (r.wanted.has(f) ? ' [requested on]' : ' [requested off]') : '';
  return `${prefix}${label}: ${on ? 'on' : 'off'}${suffix}\n`;
}

/** ethtool -k: "Features for DEV:" and dump_features. */
export function showFeatures(dev: string, r: Features): string {
  const flagOf = new Map<string, number>();
  FEATURE_NAMES.forEach((n) => {
    if (!n) return;
    const i = OFF_FLAGS.findIndex(([, , p]) => matches(n, p));
    if (i >= 0) flagOf.set(n, i);
  });
  let out = `Features for ${dev}:\n`;
  OFF_FLAGS.forEach(([, long], i) => {
    const members = FEATURE_NAMES.filter((n) => n && flagOf.get(n) === i);
    if (members.length !== 1) out += `${long}: ${members.some((m) => r.active.has(m)) ? 'on' : 'off'}\n`;
    for (const m of members) out += members.length === 1 ? line(r, m, long, '') : line(r, m, m, '\t');
  });
  for (const n of FEATURE_NAMES) if (n && !flagOf.has(n)) out += line(r, n, n, '');
  return out;
}

/** The features a -K argument names: a legacy flag's (by short or long name), else the feature itself; undefined if the kernel has no such bit. */
export function requestedFeatures(name: string): string[] | undefined {
  const flag = OFF_FLAGS.find(([s, l]) => s === name || l === name);
  if (flag) return FEATURE_NAMES.filter((n) => n && matches(n, flag[2]));
  return FEATURE_NAMES.includes(name) && name ? [name] : undefined;
}

/** show_feature_changes: what -K prints after the kernel's reply, and whether nothing requested took. */
export function featureChanges(before: Features, after: Features, requested: Map<string, boolean>): { stdout: string; nothingChanged: boolean } {
  const wantedMask = new Set([...requested].filter(([f, v]) => after.active.has(f) !== v).map(([f]) => f));
  const activeMask = new Set(FEATURE_NAMES.filter((f) => f && before.active.has(f) !== after.active.has(f)));
  const nothingChanged = requested.size > 0 && wantedMask.size === requested.size;
  const diff = wantedMask.size > 0 || [...activeMask].some((f) => !requested.has(f));
  if (!diff) return { stdout: '', nothingChanged };
  let out = 'Actual changes:\n';
  for (const f of FEATURE_NAMES) {
    if (!f || (!wantedMask.has(f) && !activeMask.has(f))) continue;
    if (wantedMask.has(f)) out += `${f}: ${requested.get(f) ? 'off' : 'on'} [requested ${requested.get(f) ? 'on' : 'off'}]\n`;
    else if (!requested.has(f)) out += `${f}: ${after.active.has(f) ? 'on' : 'off'} [not requested]\n`;
    else out += `${f}: ${after.active.has(f) ? 'on' : 'off'}\n`;
  }
  return { stdout: out, nothingChanged };
}
