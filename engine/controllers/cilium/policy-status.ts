/**
 * The validation Cilium runs on every CiliumNetworkPolicy before the agents import it
 * (cilium-operator's policy validation, pkg/policy/api Rule.Sanitize): the result is the
 * `Valid` condition in the policy's status, which `kubectl get cnp` shows in its VALID
 * column. What is checked here: the HTTP rules' method, path and host are regular
 * expressions Envoy can compile (RE2), and DNS names and patterns use only DNS characters
 * and `*`.
 */
import type { Cluster } from '../../cluster/cluster';
import type { SimModule } from '../../cluster/module';
import type { KubeObject } from '../../cluster/types';
import { keyOf, type Change } from '../../cluster/store';
import { compileJsPattern } from '../../patterns';
import { policySpecs } from '../../dataplane/cilium/policy';
import { splitKey } from '../index-cache';
import { withStatus } from '../util';

const DNS_CHARS = /^[-a-zA-Z0-9_.*]*$/;

/** Why the agent would refuse the policy, or undefined when it is valid. */
export function policyError(cnp: KubeObject): string | undefined {
  for (const spec of policySpecs(cnp)) {
    for (const dir of ['ingress', 'egress'] as const) {
      for (const rule of spec[dir] ?? []) {
        for (const sel of rule.toFQDNs ?? []) {
          const v = sel.matchName ?? sel.matchPattern ?? '';
          if (!DNS_CHARS.test(v)) return `Invalid CiliumNetworkPolicy spec: invalid FQDN selector ${JSON.stringify(v)}: only DNS characters and * are allowed`;
        }
        for (const pr of rule.toPorts ?? []) {
          for (const h of pr.rules?.http ?? []) {
            for (const field of ['method', 'path', 'host'] as const) {
              const re = h[field];
              if (re === undefined) continue;
              try {
                compileJsPattern(`^(?:${re})$`);
              } catch (e) {
                return `Invalid CiliumNetworkPolicy spec: invalid regex ${JSON.stringify(re)} in ${field}: ${(e as Error).message}`;
              }
            }
          }
        }
      }
    }
  }
  return undefined;
}

export class CiliumPolicyValidator implements SimModule {
  readonly name = 'cilium-policy-validator';
  private dirty = new Set<string>();
  private unsubscribe?: () => void;

  constructor(private readonly cluster: Cluster) {}

  init(): void {
    this.unsubscribe?.();
    for (const p of this.cluster.store.iterate('CiliumNetworkPolicy')) this.dirty.add(keyOf(p));
    this.unsubscribe = this.cluster.store.subscribe((c) => this.onChange(c));
  }

  private onChange(c: Change): void {
    if (c.object.kind !== 'CiliumNetworkPolicy' || c.type === 'DELETED') return;
    if (c.old && JSON.stringify(c.old.spec) === JSON.stringify(c.object.spec) && JSON.stringify(c.old.specs) === JSON.stringify(c.object.specs) && c.object.status?.conditions) return;
    this.dirty.add(keyOf(c.object));
  }

  reconcile(): boolean {
    let wrote = false;
    for (const k of [...this.dirty].sort()) {
      this.dirty.delete(k);
      const [, ns, name] = splitKey(k);
      const cnp = this.cluster.store.get('CiliumNetworkPolicy', ns, name);
      if (!cnp) continue;
      const err = policyError(cnp);
      const status = err ? 'False' : 'True';
      const message = err ?? 'Policy validation succeeded';
      const prev = (cnp.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Valid');
      if (prev && prev.status === status && prev.message === message) continue;
      const cond = { type: 'Valid', status, lastTransitionTime: this.cluster.clock.iso(), message };
      this.cluster.api.updateStatus(withStatus(cnp, { ...(cnp.status ?? {}), conditions: [cond] }));
      wrote = true;
    }
    return wrote;
  }

  sizes(): Record<string, number> {
    return { dirty: this.dirty.size };
  }
}
