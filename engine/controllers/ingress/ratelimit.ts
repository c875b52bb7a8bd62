/**
 * ingress-nginx's rate limiting (annotations limit-rps / limit-rpm, limit-burst-multiplier):
 * nginx's limit_req with a zone keyed by the client address, rate r/s (or r/m) and
 * burst = rate × multiplier (5 by default), nodelay. A request over the limit gets the
 * configured limit-req-status-code, 503 by default. The buckets live in the ingress
 * module's state and follow the virtual clock, so they survive snapshots.
 */
import type { ClusterRuntime } from '../runtime';

export interface Bucket {
  /** Requests currently counted against the limit ("excess" in nginx's terms). */
  excess: number;
  /** Virtual time of the last accepted request (ms). */
  at: number;
}

export interface RateLimitState {
  buckets: Record<string, Bucket>;
}

function stateOf(cluster: ClusterRuntime): RateLimitState | undefined {
  return cluster.ingress.limits;
}

/**
 * nginx's leaky bucket (ngx_http_limit_req_module): the excess drains at `ratePerSec`; a
 * request is accepted while excess + 1 stays within burst + 1 (nodelay), else rejected.
 */
export function admit(cluster: ClusterRuntime, key: string, ratePerSec: number, burst: number): boolean {
  const st = stateOf(cluster);
  if (!st || ratePerSec <= 0) return true;
  const now = cluster.clock.now();
  const b = st.buckets[key];
  let excess = 0;
  if (b) excess = Math.max(0, b.excess - ((now - b.at) / 1000) * ratePerSec);
  if (excess + 1 > burst + 1) return false;
  st.buckets[key] = { excess: excess + 1, at: now };
  return true;
}
