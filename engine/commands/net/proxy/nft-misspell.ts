/**
 * nft's "did you mean" (nftables 1.0.6 src/misspell.c): a Damerau-style edit distance,
 * ported as written — including its indexing, which compares each string from its second
 * character and reads the terminating NUL — and the threshold string_misspell_update
 * applies. The first candidate with the smallest distance wins.
 */

function distance(a: string, b: string): number {
  const la = a.length, lb = b.length;
  const d = new Uint32Array((la + 1) * (lb + 1));
  const at = (i: number, j: number) => i * lb + j; // DISTANCE(i, j): the C macro's stride is len_b
  const ca = (i: number) => (i < la ? a.charCodeAt(i) : 0);
  const cb = (j: number) => (j < lb ? b.charCodeAt(j) : 0);
  for (let i = 0; i <= la; i++) d[at(i, 0)] = i;
  for (let j = 0; j <= lb; j++) d[at(0, j)] = j;
  for (let i = 1; i <= la; i++) {
    for (let j = 1; j <= lb; j++) {
      const sub = ca(i) === cb(j) ? 0 : 1;
      d[at(i, j)] = Math.min(d[at(i - 1, j)] + 1, d[at(i, j - 1)] + 1, d[at(i - 1, j - 1)] + sub);
      if (i > 1 && j > 1 && ca(i) === cb(j - 1) && ca(i - 1) === cb(j)) d[at(i, j)] = Math.min(d[at(i, j)], d[at(i - 2, j - 2)] + sub);
    }
  }
  return d[at(la, lb)];
}

/** The candidate whose name is closest to `wanted` within nft's threshold, if any. */
export function closest<T>(candidates: { name: string; obj: T }[], wanted: string): T | undefined {
  let best: T | undefined;
  let min = Infinity;
  for (const c of candidates) {
    const maxLen = Math.max(c.name.length, wanted.length);
    const minLen = Math.min(c.name.length, wanted.length);
    if (maxLen <= 1) continue;
    const threshold = maxLen - minLen <= 1 ? Math.max(Math.ceil(maxLen / 3), 1) : Math.ceil((maxLen + 2) / 3);
    const dist = distance(c.name, wanted);
    if (dist > threshold) continue;
    if (dist < min) {
      min = dist;
      best = c.obj;
    }
  }
  return best;
}
