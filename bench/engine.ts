/** Engine figures: command latency on lesson-sized and large clusters (owned by the cluster room). */
export async function benchEngine(): Promise<void> {}
