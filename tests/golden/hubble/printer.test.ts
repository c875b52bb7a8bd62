/**
 * The Hubble printer's time formats: Go's time.StampMilli ("Jan _2 15:04:05.000": the day
 * space-padded), hubble/pkg/time's layouts (".999" fractions drop trailing zeros), and
 * protojson's Timestamp (0, 3, 6 or 9 fractional digits).
 */
import { describe, expect, it } from 'vitest';
import { formatTime, protoTimestamp, stampMilli } from '../../../engine/printers/hubble';

const t = { ms: Date.UTC(2026, 11, 7, 4, 1, 2, 120), nanos: 0 };

describe('hubble time formats', () => {
  it('StampMilli pads a one-digit day with a space', () => {
    expect(stampMilli(t.ms)).toBe('Dec  7 04:01:02.120');
    expect(stampMilli(Date.UTC(2026, 0, 15, 23, 59, 59, 5))).toBe('Jan 15 23:59:59.005');
  });
  it('the other layouts', () => {
    expect(['RFC3339', 'RFC3339Milli', 'RFC3339Micro', 'RFC3339Nano', 'YearMonthDay', 'YearMonthDayHour', 'YearMonthDayHourMinute', 'RFC1123Z', 'nonsense'].map((n) => formatTime({ ...t, nanos: 4500 }, n))).toEqual([
      '2026-12-07T04:01:02Z',
      '2026-12-07T04:01:02.12Z',
      '2026-12-07T04:01:02.120004Z',
      '2026-12-07T04:01:02.1200045Z',
      '2026-12-07',
      '2026-12-07T04Z',
      '2026-12-07T04:01Z',
      'Mon, 07 Dec 2026 04:01:02 +0000',
      'Dec  7 04:01:02.120',
    ]);
    expect(formatTime({ ms: Date.UTC(2026, 11, 7, 4, 1, 2, 0), nanos: 0 }, 'RFC3339Nano')).toBe('2026-12-07T04:01:02Z');
  });
  it('protojson timestamps', () => {
    expect(protoTimestamp({ ms: Date.UTC(2026, 11, 7, 4, 1, 2, 0), nanos: 0 })).toBe('2026-12-07T04:01:02Z');
    expect(protoTimestamp(t)).toBe('2026-12-07T04:01:02.120Z');
    expect(protoTimestamp({ ...t, nanos: 4000 })).toBe('2026-12-07T04:01:02.120004Z');
    expect(protoTimestamp({ ...t, nanos: 4500 })).toBe('2026-12-07T04:01:02.120004500Z');
  });
});
