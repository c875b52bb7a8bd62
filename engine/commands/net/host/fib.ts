/**
 * What the kernel keeps beside the main routing table, derived from a namespace's
 * addresses: the local table (net/ipv4/fib_frontend.c fib_add_ifaddr), the default rules
 * (fib_rules.c / fib4_rules_init: 0 local, 32766 main, 32767 default; IPv6 has no default
 * rule, fib6_rules.c), and `ip -s link`'s counters block (iproute2 ip/ipaddress.c
 * print_link_stats64 / size_columns).
 */
import { formatIPv4, parseCidr, prefixMask, parseIPv4 } from '../../../cluster/ipv4';
import type { NetNamespace } from '../../../controllers/cni/model';

export interface LocalRoute {
  type: 'local' | 'broadcast';
  dst: string;
  dev: string;
  scope: 'host' | 'link';
  src: string;
  /** The address as a number, for the trie's order. */
  key: number;
  prefix: number;
}

/**
 * The local table (table 255) of a namespace, in the order the kernel dumps it (its trie:
 * by address, a shorter prefix first). For every IPv4 address: `local ADDR` (scope host),
 * on any device, up or not — so kube-ipvs0, which is DOWN, still makes every ClusterIP
 * local; the loopback's prefix route is `local` too and lives here; an up device with a
 * prefix shorter than /31 adds the subnet's `broadcast` route (scope link). Since Linux
 * 5.x no route for the network address itself is added.
 */
export function localTable(ns: NetNamespace): LocalRoute[] {
  const out: LocalRoute[] = [];
  const seen = new Set<string>();
  const add = (r: LocalRoute) => {
    const id = `${r.type} ${r.dst} ${r.dev}`;
    if (seen.has(id)) return;
    seen.add(id);
    out.push(r);
  };
  for (const l of ns.links) {
    const up = l.flags.includes('UP');
    for (const a of l.addrs) {
      if (a.family !== 'inet') continue;
      const addr = parseIPv4(a.local);
      if (addr === undefined) continue;
      add({ type: 'local', dst: a.local, dev: l.name, scope: 'host', src: a.local, key: addr, prefix: 32 });
      const c = parseCidr(`${a.local}/${a.prefix}`);
      if (!c) continue;
      if (l.linkType === 'loopback' && a.prefix < 32) {
        add({ type: 'local', dst: `${formatIPv4(c.network)}/${a.prefix}`, dev: l.name, scope: 'host', src: a.local, key: c.network, prefix: a.prefix });
      }
      if (up && a.prefix < 31) {
        const brd = (c.network | (~prefixMask(a.prefix) >>> 0)) >>> 0;
        add({ type: 'broadcast', dst: formatIPv4(brd), dev: l.name, scope: 'link', src: a.local, key: brd, prefix: 32 });
      }
    }
  }
  return out.sort((x, y) => x.key - y.key || x.prefix - y.prefix);
}

/** `ip route show table local|all` lines (print_route: type, dst, dev, `table local` when not filtered on it, proto kernel, scope, src). */
export function printLocalRoutes(routes: LocalRoute[], labelTable: boolean): string {
  return routes.map((r) => `${r.type} ${r.dst} dev ${r.dev} ${labelTable ? 'table local ' : ''}proto kernel scope ${r.scope} src ${r.src} \n`).join('');
}

/** The local-table entry the kernel's lookup finds first for `dst` (the local table is consulted before main: rule 0). */
export function localLookup(ns: NetNamespace, dst: string): LocalRoute | undefined {
  const n = parseIPv4(dst);
  if (n === undefined) return undefined;
  let best: LocalRoute | undefined;
  for (const r of localTable(ns)) {
    const mask = prefixMask(r.prefix);
    if (((n & mask) >>> 0) !== ((r.key & mask) >>> 0)) continue;
    if (!best || r.prefix > best.prefix) best = r;
  }
  return best;
}

/** `ip rule show`: the kernel's default rules (iprule.c print_rule: `PRIO:\tfrom all lookup TABLE `). */
export function ipRules(family: 'inet' | 'inet6'): string {
  const rules: [number, string][] = family === 'inet6' ? [[0, 'local'], [32766, 'main']] : [[0, 'local'], [32766, 'main'], [32767, 'default']];
  return rules.map(([prio, table]) => `${prio}:\tfrom all lookup ${table} \n`).join('');
}

/**
 * `ip -s link`'s block for one device (print_link_stats64, non-JSON): the header's columns
 * are sized from the numbers (size_columns) from fixed starting widths, the trailing
 * blank one as wide as `compressed`.
 * The simulation does not count per-device traffic, so every counter reads 0.
 */
export function linkStats(): string {
  const rx = [0, 0, 0, 0, 0, 0];
  const tx = [0, 0, 0, 0, 0, 0];
  // size_columns' starting widths: strlen("*X errors:"), "packets", "errors", "dropped", "heartbt", "overrun"
  const MIN = [10, 7, 6, 7, 7, 7];
  const width = (nums: number[]) => nums.map((n, i) => Math.max(MIN[i], String(n).length));
  const block = (label: string, words: string[], nums: number[]) => {
    const cols = width(nums);
    let head = `    ${label}: ${words[0].padStart(cols[0] - 4)}`;
    for (let i = 1; i < words.length; i++) head += ` ${words[i].padStart(cols[i])}`;
    head += ` ${''.padStart(10)}\n`;
    let line = '    ';
    for (let i = 0; i < nums.length; i++) line += `${String(nums[i]).padStart(cols[i])} `;
    return head + line + '\n';
  };
  return block('RX', ['bytes', 'packets', 'errors', 'dropped', 'missed', 'mcast'], rx) + block('TX', ['bytes', 'packets', 'errors', 'dropped', 'carrier', 'collsns'], tx);
}
