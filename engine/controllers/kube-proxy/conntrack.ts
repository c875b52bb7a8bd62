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
  private byTuple = new Map<string, ConntrackEntry>();
  private nextExpiry = Infinity;

  /** Entries in the order they were first seen. */
  get entries(): ConntrackEntry[] {
    return [...this.byTuple.values()];
  }

  set entries(list: ConntrackEntry[]) {
    this.byTuple.clear();
    this.nextExpiry = Infinity;
    for (const e of list) this.put(e);
  }

  private put(e: ConntrackEntry): void {
    this.byTuple.set(`${e.proto} ${e.src} ${e.sport} ${e.dst} ${e.dport}`, e);
    if ((e.expires ?? Infinity) < this.nextExpiry) this.nextExpiry = e.expires ?? Infinity;
  }

  add(e: ConntrackEntry, now: number): void {
    // A new packet on the same tuple refreshes the entry, as nf_conntrack finds the existing one.
    const entry = { ...e, expires: e.expires ?? now + e.timeout * 1000 };
    this.byTuple.delete(`${e.proto} ${e.src} ${e.sport} ${e.dst} ${e.dport}`);
    this.put(entry);
    if (this.byTuple.size > 65536) this.byTuple.delete(this.byTuple.keys().next().value!);
  }

  expire(now: number): void {
    if (now < this.nextExpiry) return;
    this.nextExpiry = Infinity;
    for (const [k, e] of this.byTuple) {
      if ((e.expires ?? 0) <= now) this.byTuple.delete(k);
      else if ((e.expires ?? Infinity) < this.nextExpiry) this.nextExpiry = e.expires ?? Infinity;
    }
  }
}
