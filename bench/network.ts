/** Network figures: iptables-save at scale, one Service change at 500 vs 5,000 Services (owned by the kube-proxy room). */
export async function benchNetwork(): Promise<void> {}
