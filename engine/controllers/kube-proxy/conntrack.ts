/**
 * The connection tracking table of each node (what `conntrack -L` lists). Entries are
 * added by traffic (translate records every new connection it NATs) and age with the
 * virtual clock like nf_conntrack's timers; the cluster's own long-lived connections
 * (dataplane/background.ts) are kept in it by syncBackground, first in the listing.
 */
import type { Protocol } from '../../dataplane/packet';
import type { BackgroundEntry } from '../../dataplane/background';

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
  /** One of the cluster's own long-lived connections (dataplane/background.ts), kept current by syncBackground. */
  background?: boolean;
  /** Created by hand (`conntrack -I`, ctnetlink's IPCTNL_MSG_CT_NEW): announced as one NEW event in its own state. */
  manual?: boolean;
  /**
   * The reply tuple was set by IPVS (ip_vs_nat_xmit → ip_vs_update_conntrack with
   * net.ipv4.vs.conntrack=1, which kube-proxy sets): nf_conntrack_alter_reply, no NAT status
   * bit, so nf_nat_packet rewrites nothing and each packet's real server is IPVS's own
   * connection's (ip_vs_conn_in_get), not the entry's.
   */
  ipvs?: boolean;
  /** The id ctnetlink reports, fixed once the entry was changed in place (its timer restarted by `conntrack -U`). */
  ctId?: number;
}


/** nf_conntrack's default timeouts (seconds). */
export const CT_TIMEOUTS = { tcpEstablished: 432000, tcpTimeWait: 120, udp: 30, udpStream: 120, icmp: 30 };

/**
 * What ctnetlink multicasts as the table changes (`conntrack -E` listens): a connection
 * recorded (`created`: a new tuple, not a refresh of one already tracked) or one leaving the
 * table (timed out, deleted by hand, flushed).
 */
export type ConntrackEvent = { kind: 'record'; entry: ConntrackEntry; created: boolean } | { kind: 'update'; entry: ConntrackEntry } | { kind: 'destroy'; entry: ConntrackEntry };

export class ConntrackTable {
  private byTuple = new Map<string, ConntrackEntry>();
  private readonly listeners = new Set<(e: ConntrackEvent) => void>();

  /** Listens to the table's changes until the returned function is called. */
  listen(fn: (e: ConntrackEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private tell(e: ConntrackEvent): void {
    for (const l of this.listeners) l(e);
  }
  private nextExpiry = Infinity;
  /** Background connections whose entry was deleted, and when (bounded by the cluster's own connections). */
  private removedAt = new Map<string, number>();
  private syncedAt = 0;

  /** Entries in the order they were first seen. */
  get entries(): ConntrackEntry[] {
    return [...this.byTuple.values()];
  }

  set entries(list: ConntrackEntry[]) {
    // a background connection's entry deleted by hand (conntrack -D, -F) returns with its next packet
    const kept = new Set(list);
    for (const [k, e] of this.byTuple) if (e.background && !kept.has(e)) this.removedAt.set(k, this.syncedAt);
    for (const e of this.byTuple.values()) if (!kept.has(e)) this.tell({ kind: 'destroy', entry: e });
    this.byTuple.clear();
    this.nextExpiry = Infinity;
    for (const e of list) this.put(e);
  }

  private put(e: ConntrackEntry): void {
    this.byTuple.set(`${e.proto} ${e.src} ${e.sport} ${e.dst} ${e.dport}`, e);
    if ((e.expires ?? Infinity) < this.nextExpiry) this.nextExpiry = e.expires ?? Infinity;
  }

  /** The entry whose original tuple is this one (nf_conntrack_find_get on the original direction). */
  find(proto: string, src: string, sport: number, dst: string, dport: number): ConntrackEntry | undefined {
    return this.byTuple.get(`${proto} ${src} ${sport} ${dst} ${dport}`);
  }

  /**
   * ctnetlink_create_conntrack: refused (EEXIST) when either direction's tuple is already in the
   * hash (nf_conntrack_hash_check_insert); otherwise inserted as given, its timer running from now.
   */
  create(e: ConntrackEntry, now: number): boolean {
    const clash = (x: ConntrackEntry) =>
      x.proto === e.proto &&
      ((x.src === e.src && x.sport === e.sport && x.dst === e.dst && x.dport === e.dport) ||
        (x.replySrc === e.replySrc && x.replySport === e.replySport && x.replyDst === e.replyDst && x.replyDport === e.replyDport));
    for (const x of this.byTuple.values()) if (clash(x)) return false;
    this.add(e, now);
    return true;
  }

  /** An entry changed in place (`conntrack -U`): ctnetlink announces an UPDATE. */
  changed(e: ConntrackEntry): void {
    if ((e.expires ?? Infinity) < this.nextExpiry) this.nextExpiry = e.expires ?? Infinity;
    if (this.listeners.size) this.tell({ kind: 'update', entry: e });
  }

  add(e: ConntrackEntry, now: number): void {
    // A new packet on the same tuple refreshes the entry, as nf_conntrack finds the existing one.
    const entry = { ...e, expires: e.expires ?? now + e.timeout * 1000 };
    const created = this.byTuple.delete(`${e.proto} ${e.src} ${e.sport} ${e.dst} ${e.dport}`) === false;
    this.put(entry);
    if (this.listeners.size) this.tell({ kind: 'record', entry, created });
    if (this.byTuple.size > 65536) this.byTuple.delete(this.byTuple.keys().next().value!);
  }

  /**
   * Brings the cluster's own connections up to date: each ESTABLISHED, ASSURED, its timer
   * restarted at its last packet; one that went (a CoreDNS Pod deleted) leaves the table; one
   * a learner deleted (`conntrack -D`, `-F`) comes back, as its next packet creates it anew.
   * Entries already present keep their place in the listing.
   */
  syncBackground(flows: BackgroundEntry[], establishedTimeout: number, now: number): void {
    this.syncedAt = now;
    const keep = new Set<string>();
    for (const f of flows) {
      const key = `tcp ${f.src} ${f.sport} ${f.dst} ${f.dport}`;
      keep.add(key);
      const expires = f.lastPacket + establishedTimeout * 1000;
      const cur = this.byTuple.get(key);
      if (cur?.background) {
        cur.expires = expires;
        continue;
      }
      const removed = this.removedAt.get(key);
      if (removed !== undefined && f.lastPacket <= removed) continue;
      this.removedAt.delete(key);
      this.put({
        proto: 'tcp', src: f.src, dst: f.dst, sport: f.sport, dport: f.dport,
        replySrc: f.replySrc, replyDst: f.replyDst, replySport: f.replySport, replyDport: f.replyDport,
        state: 'ESTABLISHED', timeout: establishedTimeout, assured: true, mark: 0, expires, background: true,
      });
    }
    for (const [k, e] of this.byTuple) if (e.background && !keep.has(k)) this.byTuple.delete(k);
    for (const k of this.removedAt.keys()) if (!keep.has(k)) this.removedAt.delete(k);
  }

  expire(now: number): void {
    if (now < this.nextExpiry) return;
    this.nextExpiry = Infinity;
    for (const [k, e] of this.byTuple) {
      if ((e.expires ?? 0) <= now) {
        this.byTuple.delete(k);
        this.tell({ kind: 'destroy', entry: e });
      } else if ((e.expires ?? Infinity) < this.nextExpiry) this.nextExpiry = e.expires ?? Infinity;
    }
  }
}
