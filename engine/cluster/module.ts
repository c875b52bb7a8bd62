/**
 * Every part of the simulation that keeps derived state (controllers, kube-proxy, DNS,
 * the CNI, the dataplane's counters) is a module. The composition root runs their
 * `reconcile` to a fixed point after each change and carries their `snapshot` through
 * persistence, keyed by `name`.
 */
export interface SimModule {
  readonly name: string;
  /** Called once after construction (and after restore). */
  init?(): void;
  /** Re-derive what changed; return true if it wrote to the object store. */
  reconcile?(): boolean;
  /** The virtual clock moved by `ms`. */
  tick?(ms: number): void;
  /** The next virtual time this module has something scheduled (advance() stops there). */
  nextDue?(): number | undefined;
  /**
   * The sizes of what the module keeps beside the store (queues, caches, indexes), by
   * name: the soak test checks that none grows with time.
   */
  sizes?(): Record<string, number>;
  /** JSON-serialisable mutable state that is not in the object store. */
  snapshot?(): unknown;
  restore?(data: unknown): void;
}
