/**
 * The virtual clock. Time only moves when the simulation moves it (each command
 * advances it a little; `sleep` and streaming commands advance it more), so ages and
 * timestamps are the same bytes on every run.
 */
export const DEFAULT_EPOCH = Date.UTC(2025, 0, 15, 9, 0, 0);

/** ECMAScript's time value range (§21.4.1.1): a Date outside ±8.64e15 ms is Invalid Date. */
export const MAX_DATE_MS = 8.64e15;

/**
 * How far the clock can ever run past the scenario's start: 100 calendar years. No command can move
 * it further (`sleep inf`, `curl --max-time 9e15`, a long `timeout`), so `iso()` never sees
 * an Invalid Date and ages read at most "100y". Waits longer than {@link LONGEST_JUMP_MS}
 * stream instead of jumping (see commands/text/delay.ts), so reaching the horizon takes a
 * century of single jumps: it is a guard, not a feature.
 */
export const CLOCK_HORIZON_YEARS = 100;

/** `start` plus {@link CLOCK_HORIZON_YEARS} calendar years, within the Date range. */
export function horizonOf(start: number): number {
  const d = new Date(start);
  d.setUTCFullYear(d.getUTCFullYear() + CLOCK_HORIZON_YEARS);
  const t = d.getTime();
  return Number.isFinite(t) ? Math.min(t, MAX_DATE_MS) : MAX_DATE_MS;
}

/** The longest wait a command may take as one jump of the clock; longer ones stream. */
export const LONGEST_JUMP_MS = 365 * 86400_000;

function clampMs(ms: number, max: number): number {
  return Math.min(Math.max(ms, -MAX_DATE_MS), max);
}

export class VirtualClock {
  private ms: number;
  /** The latest time this clock reaches (scenario start + {@link CLOCK_HORIZON_YEARS} years). */
  readonly horizon: number;

  /**
   * `ms` is where the clock stands (a snapshot's time, or the scenario's start); `start` is
   * the scenario's start, which the horizon counts from. A saved time that is not a number
   * (a snapshot written while an older engine had broken the clock) reads as the start.
   */
  constructor(ms: number = DEFAULT_EPOCH, start: number = ms) {
    const from = Number.isFinite(start) ? clampMs(start, MAX_DATE_MS) : DEFAULT_EPOCH;
    this.horizon = horizonOf(from);
    this.ms = Number.isFinite(ms) ? clampMs(ms, this.horizon) : from;
  }

  now(): number {
    return this.ms;
  }

  /** Moves forward by `ms`, never past the horizon; anything not a positive number is ignored. */
  advance(ms: number): void {
    if (ms > 0) this.ms = Math.min(this.ms + ms, this.horizon);
  }

  /** How much further the clock can go. */
  remaining(): number {
    return this.horizon - this.ms;
  }

  /**
   * Puts the clock at an absolute time. Only the cluster's own bootstrap uses it: the
   * system layer and a scenario's objects are created "in the past" and settled up to
   * the scenario's start, so AGE columns and timestamps read like a cluster that has
   * been running for a while. Clamped like `advance`; a time that is not a number is ignored.
   */
  set(ms: number): void {
    if (Number.isFinite(ms)) this.ms = clampMs(ms, this.horizon);
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
