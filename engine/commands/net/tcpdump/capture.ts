/**
 * The running captures of one cluster. While at least one `tcpdump` runs, the hub listens
 * to every walk (HubbleFlows.tap in dataplane/flows.ts — the same hook Hubble's rings fill
 * from) and hands each capture the packets its interface saw (wire.ts), in time order.
 *
 * A walk's TCP conversation is laid down once the command that made it has said what it
 * carried: the HTTP client tools note their request and response (`noteHttp`), ping the
 * echo's id and sequence (`noteEcho`), and the resolver's lookup names the DNS questions a
 * UDP/53 walk carried (the FlowObserver's `lookup`; nslookup, dig, host and getent through
 * `noteDns`). Until then it waits in `pending`; a capture reads the hub only after the command
 * line that made the traffic has finished. A session's buffer is bounded (CAPTURE_BUFFER): a
 * capture nobody reads drops, as the kernel's ring does.
 */
import type { ClusterRuntime } from '../../../controllers/runtime';
import type { HostRef } from '../../../types';
import type { DnsQuery, Resolution, WalkResult } from '../../../dataplane/packet';
import { HubbleFlows, type WalkTap } from '../../../dataplane/flows';
import { wireEvents, type ConnNotes, type DnsNote, type TlsNote, type WireEvent } from './wire';
import type { FilterExpr } from './filter';
import { matches } from './filter';

type From = HostRef | { kind: 'external'; ip: string };

export interface CaptureSpec {
  /** The network namespace captured: `node/<name>` or `pod/<ns>/<name>`. */
  netns: string;
  /** An interface name, or `any`. */
  iface: string;
  filter?: FilterExpr;
}

/** Packets a capture holds before tcpdump reads them (the socket's ring); beyond it the kernel drops. */
export const CAPTURE_BUFFER = 65536;

export class CaptureSession {
  readonly queue: WireEvent[] = [];
  /** Packets that matched (the kernel's "received by filter"). */
  received = 0;
  /** Packets the full buffer could not take ("dropped by kernel"). */
  dropped = 0;
  constructor(readonly spec: CaptureSpec) {}

  offer(e: WireEvent): void {
    if (e.netns !== this.spec.netns) return;
    if (this.spec.iface !== 'any' && e.iface !== this.spec.iface) return;
    if (this.spec.filter && !matches(this.spec.filter, e)) return;
    this.received++;
    if (this.queue.length >= CAPTURE_BUFFER) this.dropped++;
    else this.queue.push(e);
  }
}

interface Pending {
  from: From;
  res: WalkResult;
  notes: ConnNotes;
  startUs: number;
}

export class CaptureHub implements WalkTap {
  private readonly sessions = new Set<CaptureSession>();
  private untap?: () => void;
  private pending: Pending[] = [];
  /** Where the last laid-down walk ended, so walks in one virtual millisecond follow each other. */
  private lastUs = 0;
  private nextEcho = new Map<string, { id: number; seq: number }>();

  constructor(private readonly cluster: ClusterRuntime) {}

  open(spec: CaptureSpec): CaptureSession {
    const s = new CaptureSession(spec);
    this.sessions.add(s);
    if (!this.untap && this.cluster.flows instanceof HubbleFlows) this.untap = this.cluster.flows.tap(this);
    return s;
  }

  close(s: CaptureSession): void {
    this.flush();
    this.sessions.delete(s);
    if (this.sessions.size === 0) {
      this.untap?.();
      this.untap = undefined;
      this.pending = [];
      this.nextEcho.clear();
    }
  }

  get active(): boolean {
    return this.sessions.size > 0;
  }

  observe(from: From, res: WalkResult): void {
    if (!res.facts) return;
    // the previous walks' conversations are complete: a new connection starts after them
    this.flushExcept();
    const nowUs = this.cluster.clock.now() * 1000;
    const startUs = Math.max(nowUs, this.lastUs + 1000);
    const notes: ConnNotes = {};
    const key = hostKey(from);
    const echo = this.nextEcho.get(key);
    if (echo && res.facts.packet.proto === 'icmp') {
      notes.echo = echo;
      this.nextEcho.delete(key);
    }
    this.pending.push({ from, res, notes, startUs });
    this.lastUs = startUs;
  }

  lookup(from: HostRef, r: Resolution): void {
    this.noteDns(from, r.queries, false);
  }

  /**
   * Questions a host's resolver (or nslookup, dig, host) asked, in order: each rides on the
   * walk that took the first packet to its server (the tools reuse one socket per server),
   * still pending until the next connection or the capture's next step.
   */
  noteDns(from: HostRef, queries: DnsNote[], edns: boolean): void {
    for (const p of this.pending) {
      // UDP, or TCP for the tools' TCP mode (dig +tcp, nslookup -vc, host -T, drill -t)
      if (hostKey(p.from) !== hostKey(from) || (p.res.facts?.packet.proto !== 'udp' && p.res.facts?.packet.proto !== 'tcp') || p.res.facts.packet.dport !== 53) continue;
      const mine = queries.filter((q) => q.server === p.res.facts!.packet.dst);
      if (!mine.length) continue;
      p.notes.dns = [...(p.notes.dns ?? []), ...mine];
      if (edns) p.notes.edns = true;
    }
  }

  /** An HTTP client's request and response on the connection `res` opened. */
  noteHttp(res: WalkResult, http: NonNullable<ConnNotes['http']>): void {
    const p = this.pending.find((x) => x.res === res);
    if (p) p.notes.http = http;
    this.flush();
  }

  /** An HTTPS client's TLS session on the connection `res` opened. */
  noteTls(res: WalkResult, tls: TlsNote): void {
    const p = this.pending.find((x) => x.res === res);
    if (p) p.notes.tls = tls;
    this.flush();
  }

  /** ping: the id and sequence of the next echo request this host sends. */
  noteEcho(from: HostRef, id: number, seq: number): void {
    if (this.active) this.nextEcho.set(hostKey(from), { id, seq });
  }

  /** Lays down every pending walk's packets and offers them to the captures. */
  flush(): void {
    const all = this.pending;
    this.pending = [];
    this.layDown(all);
  }

  /** As flush, but a DNS walk still waiting for its questions stays (its lookup follows). */
  private flushExcept(): void {
    const keep = this.pending.filter((p) => (p.res.facts?.packet.proto === 'udp' || p.res.facts?.packet.proto === 'tcp') && p.res.facts.packet.dport === 53 && !p.notes.dns);
    const go = this.pending.filter((p) => !keep.includes(p));
    this.pending = keep;
    this.layDown(go);
  }

  private layDown(walks: Pending[]): void {
    for (const p of walks) {
      const events = wireEvents(this.cluster, p.from, p.res, p.notes, p.startUs);
      const end = events.length ? events[events.length - 1].us : p.startUs;
      if (end > this.lastUs) this.lastUs = end;
      for (const e of events) for (const s of this.sessions) s.offer(e);
    }
  }
}

function hostKey(h: From): string {
  if (h.kind === 'pod') return `pod/${h.namespace}/${h.pod}`;
  if (h.kind === 'node') return `node/${h.node}`;
  if (h.kind === 'external') return `ext/${h.ip}`;
  return 'workstation';
}

const hubs = new WeakMap<ClusterRuntime, CaptureHub>();

/** The cluster's capture hub (one per running cluster). */
export function captureHub(cluster: ClusterRuntime): CaptureHub {
  let h = hubs.get(cluster);
  if (!h) hubs.set(cluster, (h = new CaptureHub(cluster)));
  return h;
}

/** For curl over https: tell a running capture the TLS session a connection carried (no-op when none runs). */
export function noteTls(cluster: ClusterRuntime, res: WalkResult, tls: TlsNote): void {
  const h = hubs.get(cluster);
  if (h?.active) h.noteTls(res, tls);
}

/** For the HTTP client tools: tell a running capture what a connection carried (no-op when none runs). */
export function noteHttp(cluster: ClusterRuntime, res: WalkResult, request: { bytes: number; firstLine: string; text?: string }, response?: { bytes: number; firstLine: string; text?: string }): void {
  const h = hubs.get(cluster);
  if (h?.active) h.noteHttp(res, { request, response });
}

/** For nslookup, dig and host: the questions they asked and what came back (no-op when no capture runs). */
export function noteDns(cluster: ClusterRuntime, from: HostRef, asked: { name: string; type: string; exchange: { server: string; timeout?: boolean; refused?: boolean; message?: { rcode: string; answer: { name: string; type: string; ttl: number; data: string }[]; authority?: { name: string; type: string; ttl: number; data: string }[] } } }[], edns = false): void {
  const h = hubs.get(cluster);
  if (!h?.active) return;
  const queries: DnsNote[] = asked.map((a) => ({
    name: a.name,
    type: a.type,
    server: a.exchange.server,
    rcode: (a.exchange.timeout || a.exchange.refused ? 'TIMEOUT' : a.exchange.message?.rcode ?? 'TIMEOUT') as DnsQuery['rcode'],
    answers: (a.exchange.message?.answer ?? []) as DnsQuery['answers'],
    ...(a.exchange.message?.authority ? { authority: a.exchange.message.authority as DnsNote['authority'] } : {}),
  }));
  h.noteDns(from, queries, edns);
}

/** For ping: the id and sequence of the echo it is about to send (no-op when no capture runs). */
export function noteEcho(cluster: ClusterRuntime, from: HostRef, id: number, seq: number): void {
  const h = hubs.get(cluster);
  if (h?.active) h.noteEcho(from, id, seq);
}
