/**
 * The virtual clock. Time only moves when the simulation moves it (each command
 * advances it a little; `sleep` and streaming commands advance it more), so ages and
 * timestamps are the same bytes on every run.
 */
export const DEFAULT_EPOCH = Date.UTC(2025, 0, 15, 9, 0, 0);

export class VirtualClock {
  constructor(private ms: number = DEFAULT_EPOCH) {}

  now(): number {
    return this.ms;
  }

  advance(ms: number): void {
    if (ms > 0) this.ms += ms;
  }

  /**
   * Puts the clock at an absolute time. Only the cluster's own bootstrap uses it: the
   * system layer and a scenario's objects are created "in the past" and settled up to
   * the scenario's start, so AGE columns and timestamps read like a cluster that has
   * been running for a while.
   */
  set(ms: number): void {
    this.ms = ms;
  }

  private isoCache = { ms: NaN, text: '' };

  iso(ms: number = this.ms): string {
    const sec = Math.floor(ms / 1000);
    if (sec === this.isoCache.ms) return this.isoCache.text;
    const text = new Date(sec * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    this.isoCache = { ms: sec, text };
    return text;
  }
}

/**
 * kubectl's age format, ported from k8s.io/apimachinery/pkg/util/duration.HumanDuration
 * (what kubectl's printers call through translateTimestampSince).
 */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365;
    return dy === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${dy}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}
