/** Shared bits of the bind tools (dig, host, nslookup). */
import type { ClusterRuntime } from '../../../controllers/runtime';
import { sha1 as sha1Hex } from '../../../cluster/hash';
import { nextQueryNumber } from '../../../controllers/dns';

/** bind 9.18's per-try error line (dighost.c): one per attempt, for each server. */
export function commErrors(servers: string[], why: string, tries: number): string {
  let s = '';
  for (const srv of servers) for (let i = 0; i < tries; i++) s += `;; communications error to ${srv}#53: ${why}\n`;
  return s;
}

/**
 * bind 9.18.28 dighost.c tcp_connected(): a TCP connection that fails warns
 * `Connection to ADDR#53(SERVNAME) for NAME failed: REASON.` and is retried while the lookup has
 * tries left (dig 3, host 2, nslookup resolv.conf's attempts or 3) — the UDP path's
 * `communications error` lines belong to a reply that never came, not to a connection.
 */
export function tcpConnectErrors(server: string, textname: string, why: string, tries: number): string {
  return `;; Connection to ${server}#53(${server}) for ${textname} failed: ${why}.\n`.repeat(tries);
}

/** recv_done()'s `communications error … timed out` for each try a slow reply (a forward CoreDNS is still waiting on) came too late for. */
export function lostTries(queries: { exchange: { server: string; lostTries?: number } }[]): string {
  return queries.map((q) => commErrors([q.exchange.server], 'timed out', q.exchange.lostTries ?? 0)).join('');
}

/** A message id and an 8-byte client cookie, stable for a given sequence of queries. */
export function queryIdentity(cluster: ClusterRuntime): { id: number; cookie: string } {
  const n = nextQueryNumber(cluster);
  const h = sha1Hex(`${cluster.seed}/${n}`);
  return { id: parseInt(h.slice(0, 4), 16), cookie: h.slice(4, 20) };
}
