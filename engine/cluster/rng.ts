/**
 * Seeded pseudo-random numbers (sfc32). The whole state is four 32-bit words so a
 * snapshot can carry it and a restored simulation draws the same numbers next.
 */
export type RngState = [number, number, number, number];

export class Rng {
  private s: RngState;

  constructor(seedOrState: number | RngState) {
    if (Array.isArray(seedOrState)) {
      this.s = [...seedOrState] as RngState;
    } else {
      // splitmix32 expands one seed into four well-mixed words
      let x = seedOrState >>> 0;
      const next = () => {
        x = (x + 0x9e3779b9) >>> 0;
        let z = x;
        z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
        z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
        return (z ^ (z >>> 16)) >>> 0;
      };
      this.s = [next(), next(), next(), next()];
      for (let i = 0; i < 12; i++) this.next();
    }
  }

  state(): RngState {
    return [...this.s] as RngState;
  }

  /** Puts the stream back where `state()` found it (a dry run leaves no mark). */
  setState(state: RngState): void {
    this.s = [...state] as RngState;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    let [a, b, c, d] = this.s;
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    this.s = [a >>> 0, b >>> 0, c >>> 0, d];
    return t / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /**
   * Random string over kube's "safe" alphabet (no vowels, no 0/1/3), the one
   * apimachinery's rand.String uses for generateName and pod-template-hash suffixes.
   */
  kubeString(n: number): string {
    const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
    let out = '';
    for (let i = 0; i < n; i++) out += alphabet[this.int(alphabet.length)];
    return out;
  }

  hex(n: number): string {
    let out = '';
    for (let i = 0; i < n; i++) out += '0123456789abcdef'[this.int(16)];
    return out;
  }
}
