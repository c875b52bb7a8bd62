/**
 * The connection tracking table of each node (what `conntrack -L` lists). Entries are
 * added by traffic (translate records every new connection it NATs) and age with the
 * virtual clock like nf_conntrack's timers.
 */
import type { Protocol } from '../../dataplane/packet';

export interface ConntrackEntry {
  proto: Protocol;
  /** Original direction. */
  src: string;
  dst: string;
  sport: number;
  dport: number;
  /** Reply direction (after NAT: the real server answers, to the masqueraded source if any). */
  replySrc: string;
  replyDst: string;
  replySport: number;
  replyDport: number;
  /** TCP state (ESTABLISHED, TIME_WAIT, SYN_SENT, …); none for UDP/ICMP. */
  state?: string;
  /** Seconds the entry lives from when it was recorded. */
  timeout: number;
  assured: boolean;
  unreplied?: boolean;
  mark: number;
  /** Virtual time (ms) the entry expires at; filled in by recordConnection when absent. */
  expires?: number;
}

/** nf_conntrack's default timeouts (seconds). */
export const CT_TIMEOUTS = { tcpEstablished: 432000, tcpTimeWait: 120, udp: 30, udpStream: 120, icmp: 30 };

export class ConntrackTable {
  entries: ConntrackEntry[] = [];

  add(e: ConntrackEntry, now: number): void {
    const entry = { ...e, expires: e.expires ?? now + e.timeout * 1000 };
    // A new packet on the same tuple refreshes the entry, as nf_conntrack finds the existing one.
    const i = this.entries.findIndex((x) => x.proto === e.proto && x.src === e.src && x.dst === e.dst && x.sport === e.sport && x.dport === e.dport);
    if (i >= 0) this.entries[i] = entry;
    else this.entries.push(entry);
    if (this.entries.length > 65536) this.entries.shift();
  }

  expire(now: number): void {
    if (this.entries.some((e) => (e.expires ?? 0) <= now)) this.entries = this.entries.filter((e) => (e.expires ?? 0) > now);
  }
}
