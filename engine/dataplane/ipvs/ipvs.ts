/**
 * The IPVS table of one node: virtual services, their real servers, the connection table
 * and the schedulers (net/netfilter/ipvs/ip_vs_rr.c, ip_vs_lc.c, ip_vs_sh.c, …), as
 * `ipvsadm` shows them.
 */
import { parseIPv4 } from '../../cluster/ipv4';
export type IpvsProto = 'TCP' | 'UDP' | 'SCTP';

export interface IpvsStats {
  conns: number;
  inpkts: number;
  outpkts: number;
  inbytes: number;
  outbytes: number;
}

export interface RealServer {
  ip: string;
  port: number;
  weight: number;
  activeConns: number;
  inactConns: number;
  stats: IpvsStats;
}

export interface VirtualServer {
  proto: IpvsProto;
  ip: string;
  port: number;
  scheduler: string;
  /** Persistence timeout in seconds (ClientIP session affinity), 0 if none. */
  persistent: number;
  reals: RealServer[];
  stats: IpvsStats;
  /** Round-robin position (ip_vs_rr keeps a pointer to the last destination used). */
  rrPos: number;
}

export interface IpvsConn {
  proto: IpvsProto;
  src: string;
  sport: number;
  vip: string;
  vport: number;
  dst: string;
  dport: number;
  state: string;
  expires: number;
  /** Persistence template (no ports), as `ipvsadm -Lnc` lists with `NONE`. */
  template?: boolean;
}

export const zeroStats = (): IpvsStats => ({ conns: 0, inpkts: 0, outpkts: 0, inbytes: 0, outbytes: 0 });

export function vsKey(proto: string, ip: string, port: number): string {
  return `${proto} ${ip}:${port}`;
}

function ipNum(ip: string): number {
  return parseIPv4(ip) ?? 0;
}

/** ip_vs_sh's hash: (addr * 2654435761) >> (32 - 8), over a 256-bucket table filled in order. */
function shBucket(ip: string): number {
  return Math.imul(ipNum(ip), 2654435761) >>> 24;
}

/** Picks a real server the way the scheduler would, or undefined if none can take it. */
export function schedule(vs: VirtualServer, src: string, dst: string): RealServer | undefined {
  const reals = vs.reals.filter((r) => r.weight > 0);
  if (reals.length === 0) return undefined;
  switch (vs.scheduler) {
    case 'lc': case 'wlc': case 'sed': case 'nq': case 'lblc': case 'lblcr': {
      // ip_vs_lc: overhead = activeconns * 256 + inactconns; the first least-loaded wins.
      let best = reals[0];
      let bestOv = best.activeConns * 256 + best.inactConns;
      for (const r of reals.slice(1)) {
        const ov = r.activeConns * 256 + r.inactConns;
        if (vs.scheduler === 'wlc' || vs.scheduler === 'sed' ? ov * best.weight < bestOv * r.weight : ov < bestOv) {
          best = r;
          bestOv = ov;
        }
      }
      return best;
    }
    case 'sh': case 'mh':
      return reals[shBucket(src) % reals.length];
    case 'dh':
      return reals[shBucket(dst) % reals.length];
    default: {
      // rr and wrr (all weights 1 under kube-proxy): the next destination after the last one used.
      const i = (vs.rrPos + 1) % reals.length;
      vs.rrPos = i;
      return reals[i];
    }
  }
}
