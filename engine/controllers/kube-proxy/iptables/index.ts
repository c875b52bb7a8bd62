/**
 * The iptables mode's rule builders, at the path the CNI's chains (../cni-chains.ts) import
 * them from. The proxier itself is ./proxier.ts, reached through the mode registry
 * (../modes.ts).
 */
export * from './rules';
