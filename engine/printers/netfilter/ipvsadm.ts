/**
 * ipvsadm's listings (ipvsadm 1.31, ipvsadm.c: print_title, print_service_entry,
 * print_largenum, list_conn/print_conn).
 */
import { parseIPv4 } from '../../cluster/ipv4';
import type { IpvsConn, VirtualServer } from '../../dataplane/ipvs/ipvs';
import { SERVICE_NAMES } from '../../dataplane/netfilter/rule';

export interface IpvsFormat {
  numeric: boolean;
  stats: boolean;
  rate: boolean;
  exact: boolean;
  persistentConn?: boolean;
}

const PROTO_ORDER: Record<string, number> = { TCP: 6, UDP: 17, SCTP: 132 };

function ipNum(ip: string): number {
  return parseIPv4(ip) ?? 0;
}

/** ipvs_cmp_services / ipvs_cmp_dests: ipvsadm sorts what the kernel returns. */
export function sortServices(list: VirtualServer[]): VirtualServer[] {
  const keyed = list.map((vs) => ({ vs, p: PROTO_ORDER[vs.proto], ip: ipNum(vs.ip) }));
  keyed.sort((a, b) => a.p - b.p || a.ip - b.ip || a.vs.port - b.vs.port);
  return keyed.map((k) => k.vs);
}

function addrPort(ip: string, port: number, fmt: IpvsFormat): string {
  return `${ip}:${fmt.numeric ? port : SERVICE_NAMES[port] ?? port}`;
}

function largenum(n: number, fmt: IpvsFormat): string {
  if (fmt.exact) {
    const s = String(n);
    return s.padStart(s.length <= 8 ? 9 : s.length + 1);
  }
  if (n < 100000000) return String(n).padStart(9);
  if (n < 1000000000) return `${Math.floor(n / 1000)}K`.padStart(9);
  if (n < 1000000000000) return `${Math.floor(n / 1000000)}M`.padStart(9);
  return `${Math.floor(n / 1000000000)}G`.padStart(9);
}

export function ipvsTitle(fmt: IpvsFormat): string {
  let out = 'IP Virtual Server version 1.2.1 (size=4096)\n';
  const pad = (s: string) => s.padStart(8);
  if (fmt.stats) out += `${'Prot LocalAddress:Port'.padEnd(33)} ${pad('Conns')} ${pad('InPkts')} ${pad('OutPkts')} ${pad('InBytes')} ${pad('OutBytes')}\n  -> RemoteAddress:Port\n`;
  else if (fmt.rate) out += `${'Prot LocalAddress:Port'.padEnd(33)} ${pad('CPS')} ${pad('InPPS')} ${pad('OutPPS')} ${pad('InBPS')} ${pad('OutBPS')}\n  -> RemoteAddress:Port\n`;
  else out += 'Prot LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n';
  return out;
}

export function ipvsService(vs: VirtualServer, fmt: IpvsFormat): string {
  const name = `${vs.proto}  ${addrPort(vs.ip, vs.port, fmt)}`;
  let out: string;
  if (fmt.stats) {
    const s = vs.stats;
    out = name.padEnd(33) + [s.conns, s.inpkts, s.outpkts, s.inbytes, s.outbytes].map((n) => largenum(n, fmt)).join('') + '\n';
  } else if (fmt.rate) {
    out = name.padEnd(33) + [0, 0, 0, 0, 0].map((n) => largenum(n, fmt)).join('') + '\n';
  } else {
    out = `${name} ${vs.scheduler}${vs.persistent ? ` persistent ${vs.persistent}` : ''}\n`;
  }
  const dests = vs.reals.length < 2 ? vs.reals : vs.reals.map((r) => ({ r, ip: ipNum(r.ip) })).sort((a, b) => a.ip - b.ip || a.r.port - b.r.port).map((x) => x.r);
  for (const r of dests) {
    const d = addrPort(r.ip, r.port, fmt);
    if (fmt.stats) {
      const s = r.stats;
      out += `  -> ${d.padEnd(28)}` + [s.conns, s.inpkts, s.outpkts, s.inbytes, s.outbytes].map((n) => largenum(n, fmt)).join('') + '\n';
    } else if (fmt.rate) {
      out += `  -> ${d.padEnd(28)} ${'0'.padStart(8)} ${'0'.padStart(8)} ${'0'.padStart(8)}` + largenum(0, fmt) + largenum(0, fmt) + '\n';
    } else {
      out += `  -> ${d.padEnd(28)} ${'Masq'.padEnd(7)} ${String(r.weight).padEnd(6)} ${String(r.activeConns).padEnd(10)} ${String(r.inactConns).padEnd(10)}\n`;
    }
  }
  return out;
}

/** `ipvsadm -Lnc`. */
export function ipvsConnections(conns: IpvsConn[], now: number, fmt: IpvsFormat): string {
  let out = 'IPVS connection entries\n';
  out += `pro expire ${'state'.padEnd(11)} ${'source'.padEnd(18)} ${'virtual'.padEnd(18)} destination\n`;
  for (const c of conns) {
    const left = Math.max(0, Math.ceil((c.expires - now) / 1000));
    const expire = `${String(Math.floor(left / 60)).padStart(2, '0')}:${String(left % 60).padStart(2, '0')}`;
    const src = addrPort(c.src, c.sport, fmt);
    const vip = addrPort(c.vip, c.vport, fmt);
    const dst = addrPort(c.dst, c.dport, fmt);
    out += `${c.proto.padEnd(3)} ${expire.padEnd(6)} ${c.state.padEnd(11)} ${src.padEnd(18)} ${vip.padEnd(18)} ${dst}\n`;
  }
  return out;
}
