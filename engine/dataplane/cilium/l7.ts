/**
 * The node's Envoy as Cilium runs it for a connection with L7 (HTTP) rules: each request is
 * checked by the cilium.l7policy filter — egress rules of the client's policy first, then
 * ingress rules of the server's — and a request no rule allows gets Envoy's local reply,
 * 403 Forbidden with the body "Access denied\r\n" (cilium/proxy cilium/l7policy.cc). The
 * upstream's answer to an allowed request comes back through Envoy's HTTP/1 codec, which
 * writes header names in lower case.
 */
import type { TraceHop } from '../../types';
import type { HttpRequest, HttpResponse } from '../apps';
import { httpDate } from '../apps';
import { ACCESS_DENIED_BODY, decideHttp, type L7Decision, type L7Policy } from './policy';

export interface L7Outcome {
  /** The decision that stopped the request, or the last one that let it through. */
  decision: L7Decision;
  /** Envoy's own reply when denied. */
  denied?: HttpResponse;
  hop: TraceHop;
}

/** Runs `req` through the L7 rules of its connection (undefined when there are none). */
export function enforceHttp(l7s: readonly L7Policy[] | undefined, req: HttpRequest, now: number): L7Outcome | undefined {
  const httpRules = (l7s ?? []).filter((l) => l.http.length > 0);
  if (httpRules.length === 0) return undefined;
  let last: L7Decision | undefined;
  for (const l7 of httpRules) {
    const d = decideHttp(l7, req);
    last = d;
    if (!d.allowed) {
      const denied: HttpResponse = {
        status: 403,
        reason: 'Forbidden',
        headers: [['content-length', String(ACCESS_DENIED_BODY.length)], ['content-type', 'text/plain'], ['date', httpDate(now)], ['server', 'envoy']],
        body: ACCESS_DENIED_BODY,
      };
      const hop: TraceHop = { where: 'Cilium L7 proxy (Envoy)', what: `${d.direction} HTTP rules of ${d.policy}: ${d.method} ${d.path} denied: 403 Access denied`, verdict: 'reject' };
      return { decision: d, denied, hop };
    }
  }
  const d = last!;
  const rule = [d.rule?.method && `method ${d.rule.method}`, d.rule?.path && `path ${d.rule.path}`].filter(Boolean).join(', ');
  return { decision: d, hop: { where: 'Cilium L7 proxy (Envoy)', what: `${d.direction} HTTP rules of ${d.policy}: ${d.method} ${d.path} allowed${rule ? ` (${rule})` : ''}`, verdict: 'pass' } };
}

/** The upstream's response as Envoy forwards it: header names in lower case. */
export function throughEnvoy(res: HttpResponse): HttpResponse {
  return { ...res, headers: res.headers.map(([k, v]) => [k.toLowerCase(), v] as [string, string]) };
}
