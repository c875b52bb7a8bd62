/**
 * resolvectl (systemd 249, Ubuntu 22.04) on a node: systemd-resolved as the node runs it —
 * the stub on 127.0.0.53 that /etc/resolv.conf names, forwarding to the uplink server the
 * node's network gave it (its gateway; controllers/dns nodeUplinkServers).
 *
 *  - `resolvectl status` (resolvectl.c status_global, status_ifindex): the Global section
 *    (Protocols, "resolv.conf mode: stub") then one section per link resolved tracks, the
 *    loopback excluded, by ifindex; each a table whose labels are right-aligned to the
 *    longest. The link with the default route carries the DNS server (Current Scopes: DNS,
 *    +DefaultRoute); the CNI's links have none ("Current Scopes: none"). Ubuntu's
 *    resolved.conf turns LLMNR off globally (-LLMNR) while networkd's links keep +LLMNR.
 *  - `resolvectl query NAME` (resolve_host): each address `NAME: ADDR` then the ifindex
 *    comment `-- link: IFACE` from column 47; "-- Information acquired via protocol DNS in
 *    Nms.", "-- Data is authenticated: no; Data was acquired via local or encrypted
 *    transport: no", "-- Data from: network". A name the uplink does not know fails "resolve
 *    call failed: 'NAME' not found" (the NXDOMAIN D-Bus error), exit 1 — cluster names
 *    included: the node's resolver is not the cluster's DNS. No NAME: shared/verbs.c "Too few arguments."
 */
import type { RunResult } from '../../types';
import type { CommandContext, CommandSpec } from '../../shell/command';
import { nodeNamespace } from '../../controllers/cni';
import { exchange, newContext, nodeUplinkServers } from '../../controllers/dns';
import { unmodelledCommand } from '../net/catalog/unmodelled';

const PROTOCOLS = '-mDNS -DNSOverTLS DNSSEC=no/unsupported';

/** A resolvectl table: labels right-aligned to the longest, `label: value`. */
function table(rows: [string, string][]): string {
  const w = Math.max(...rows.map(([l]) => l.length));
  return rows.map(([l, v]) => `${l.padStart(w)}: ${v}\n`).join('');
}

function status(ctx: CommandContext, node: string, only?: string): RunResult {
  const ns = nodeNamespace(ctx.cluster, node);
  const links = (ns?.links ?? []).filter((l) => l.kind !== 'loopback').sort((a, b) => a.ifindex - b.ifindex);
  const uplink = nodeUplinkServers(ctx.cluster, node);
  const defaultDev = ns?.routes.find((r) => r.dst === 'default')?.dev ?? 'eth0';
  let out = '';
  if (only === undefined) out += `Global\n${table([['Protocols', `-LLMNR ${PROTOCOLS}`], ['resolv.conf mode', 'stub']])}`;
  const shown = only === undefined ? links : links.filter((l) => l.name === only);
  if (only !== undefined && !shown.length) return { stdout: '', stderr: `Failed to resolve interface "${only}", ignoring: No such device\n`, exitCode: 1 };
  for (const l of shown) {
    const dns = l.name === defaultDev;
    const rows: [string, string][] = dns
      ? [['Current Scopes', 'DNS'], ['Protocols', `+DefaultRoute +LLMNR ${PROTOCOLS}`], ['Current DNS Server', uplink[0]], ['DNS Servers', uplink.join(' ')]]
      : [['Current Scopes', 'none'], ['Protocols', `-DefaultRoute +LLMNR ${PROTOCOLS}`]];
    out += `${out ? '\n' : ''}Link ${l.ifindex} (${l.name})\n${table(rows)}`;
  }
  return { stdout: out, stderr: '', exitCode: 0 };
}

function query(ctx: CommandContext, node: string, names: string[]): RunResult {
  if (!names.length) return { stdout: '', stderr: 'Too few arguments.\n', exitCode: 1 };
  const ns = nodeNamespace(ctx.cluster, node);
  const dev = ns?.routes.find((r) => r.dst === 'default')?.dev ?? 'eth0';
  const server = nodeUplinkServers(ctx.cluster, node)[0];
  let stdout = '';
  let stderr = '';
  let code = 0;
  for (const raw of names) {
    const name = raw.replace(/\.$/, '');
    const ectx = newContext('resolvectl');
    const host = { kind: 'node' as const, node };
    const a = exchange(ctx.cluster, host, server, name, 'A', ectx);
    const aaaa = exchange(ctx.cluster, host, server, name, 'AAAA', ectx);
    const addrs = [a, aaaa].flatMap((e) => (e.message?.answer ?? []).filter((r) => r.type === 'A' || r.type === 'AAAA').map((r) => r.data));
    if (a.timeout) {
      stderr += `${name}: resolve call failed: All attempts to contact name servers or networks failed\n`;
      code = 1;
      continue;
    }
    if (!addrs.length) {
      stderr += a.message?.rcode === 'NXDOMAIN' ? `${name}: resolve call failed: '${name}' not found\n` : `${name}: resolve call failed: '${name}' does not have any RR of the requested type\n`;
      code = 1;
      continue;
    }
    const cname = a.message?.answer.find((r) => r.type === 'CNAME');
    addrs.forEach((addr, i) => {
      const head = i === 0 ? `${name}: ${addr}` : `${' '.repeat(name.length + 2)}${addr}`;
      stdout += `${head.padEnd(46)} -- link: ${dev}\n`;
    });
    if (cname) stdout += `${' '.repeat(name.length + 2)}(${cname.data.replace(/\.$/, '')})\n`;
    stdout += `\n-- Information acquired via protocol DNS in ${Math.max(a.rttMs, aaaa.rttMs)}ms.\n-- Data is authenticated: no; Data was acquired via local or encrypted transport: no\n-- Data from: network\n`;
  }
  return { stdout, stderr, exitCode: code };
}

export const resolvectlCommand: CommandSpec = {
  name: 'resolvectl',
  summary: 'query systemd-resolved: status, query NAME',
  run(args, ctx) {
    if (ctx.host.kind !== 'node') return unmodelledCommand('resolvectl').run(args, ctx) as RunResult;
    const node = ctx.host.node;
    const [verb = 'status', ...rest] = args;
    if (verb === 'status') return status(ctx, node, rest[0]);
    if (verb === 'query') return query(ctx, node, rest);
    if (verb === '--version') return { stdout: 'systemd 249 (249.11-0ubuntu3.12)\n+PAM +AUDIT +SELINUX +APPARMOR +IMA +SMACK +SECCOMP +GCRYPT +GNUTLS +OPENSSL +ACL +BLKID +CURL +ELFUTILS +FIDO2 +IDN2 -IDN +IPTC +KMOD +LIBCRYPTSETUP +LIBFDISK +PCRE2 -PWQUALITY -P11KIT -QRENCODE +BZIP2 +LZ4 +XZ +ZLIB +ZSTD -XKBCOMMON +UTMP +SYSVINIT default-hierarchy=unified\n', stderr: '', exitCode: 0 };
    if (verb.startsWith('-')) return { stdout: '', stderr: `resolvectl: unrecognized option '${verb}'\n`, exitCode: 1 };
    return { stdout: '', stderr: `Unknown command verb ${verb}.\n`, exitCode: 1 };
  },
};
