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

/** A message id and an 8-byte client cookie, stable for a given sequence of queries. */
export function queryIdentity(cluster: ClusterRuntime): { id: number; cookie: string } {
  const n = nextQueryNumber(cluster);
  const h = sha1Hex(`${cluster.seed}/${n}`);
  return { id: parseInt(h.slice(0, 4), 16), cookie: h.slice(4, 20) };
}
