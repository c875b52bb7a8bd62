/**
 * A fault: one real thing wrong with a cluster, put into its state before the learner
 * arrives. A scenario's `faults:` section (scenario/load.ts) draws some from the
 * catalogue (./catalogue.ts) with the seed, so two learners get two different broken
 * clusters; each fault carries the fix an operator would type, which the tests replay
 * to prove every fault in the catalogue can be repaired.
 *
 * A fault acts at up to three moments, whichever fits what it breaks:
 * - `manifests`: the scenario's objects before they enter the cluster (a Service created
 *   with the wrong selector, as if it had been applied that way);
 * - `beforeRunUp`: the running cluster once those objects exist, before it is run
 *   forward to the scenario's start (CoreDNS scaled down minutes ago);
 * - `atStart`: the cluster at the moment the learner arrives (a chain flushed by hand on
 *   a node, which kube-proxy's next full sync would repair).
 * None of them goes through the learner's shell, so nothing shows in `history`.
 */
import type { Manifest } from '../../cluster/types';
import type { ClusterRuntime } from '../../controllers/runtime';

/** The objects of the scenario a fault breaks, by name (scenario.yaml `faults.target`). */
export interface FaultTarget {
  /** Namespace of the app, its Service, Deployment, Ingress and client (default `default`). */
  namespace: string;
  /** The Service in front of the app. */
  service: string;
  /** The Deployment that runs the app. */
  deployment: string;
  /** The Pod the app is used from. */
  client: string;
  /** The Ingress that publishes the app (faults on the public path need it). */
  ingress?: string;
}

/** Which outcome a fault breaks: the app from inside the cluster, or through its Ingress. */
export type FaultOutcome = 'in-cluster' | 'public';

/** The reference fix, as a learner would apply it: files saved in the editor, then command lines. */
export interface FaultFix {
  files?: Record<string, string>;
  commands: string[];
}

export interface FaultContext {
  target: FaultTarget;
  /** The scenario's manifests as the instructor wrote them (before any fault changed them). */
  original: readonly Manifest[];
}

export interface Fault {
  /** Stable id, used in scenario.yaml and in the tests' goldens. */
  readonly id: string;
  /** The layer a troubleshooter finds it on. */
  readonly layer: 'dns' | 'service' | 'readiness' | 'policy' | 'kube-proxy' | 'ingress';
  /** What is wrong, for instructors (the lesson never shows it). */
  readonly description: string;
  /** What stops working. */
  readonly breaks: readonly FaultOutcome[];
  /** The target fields it needs besides the always-present ones. */
  readonly needs?: readonly (keyof FaultTarget)[];
  /** Changes the scenario's manifests (a copy) in place. */
  manifests?(objects: Manifest[], ctx: FaultContext): void;
  beforeRunUp?(cluster: ClusterRuntime, ctx: FaultContext): void;
  atStart?(cluster: ClusterRuntime, ctx: FaultContext): void;
  /** The fix an operator who found it would apply. */
  fix(ctx: FaultContext): FaultFix;
}
