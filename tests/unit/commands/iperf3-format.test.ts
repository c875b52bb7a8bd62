/**
 * iperf 3.17.1's number printing (src/units.c unit_snprintf; C's %f and %g as musl prints
 * them) and cJSON 1.7.15's cJSON_Print layout, which every iperf3 report goes through.
 */
import { describe, expect, it } from 'vitest';
import { cjsonPrint, fixed, fmtG, interval, unitSnprintf } from '../../../engine/commands/net/traffic/iperf3-format';

describe('unit_snprintf', () => {
  it('bytes adapt by 1024, bits by 1000, in four places', () => {
    expect(unitSnprintf(131860, 'A')).toBe(' 129 KByte');
    expect(unitSnprintf(1.04 * 1024 ** 3, 'A')).toBe('1.04 GByte');
    expect(unitSnprintf(11_400_000_000, 'A')).toBe('10.6 GByte');
    expect(unitSnprintf(1000 * 1024, 'A')).toBe('1000 KByte');
    expect(unitSnprintf(1023, 'A')).toBe('1023 Byte');
    expect(unitSnprintf(131860, 'a')).toBe('1.05 Mbit');
    expect(unitSnprintf(1.2e9 / 8, 'a')).toBe('1.20 Gbit');
    expect(unitSnprintf(12.5e6, 'a')).toBe(' 100 Mbit');
  });
  it('a fixed unit (-f) keeps it whatever the size', () => {
    expect(unitSnprintf(1.2e9 / 8, 'm')).toBe('1200 Mbit');
    expect(unitSnprintf(1.2e9 / 8, 'g')).toBe('1.20 Gbit');
    expect(unitSnprintf(1.2e9 / 8, 'M')).toBe(' 143 MByte');
    expect(unitSnprintf(2048, 'K')).toBe('2.00 KByte');
  });
});

describe('printf conversions', () => {
  it('%.2f rounds an exact tie to even, as musl does', () => {
    expect(fixed(0.125, 2)).toBe('0.12');
    expect(fixed(0.375, 2)).toBe('0.38');
    expect(fixed(2.5, 0)).toBe('2');
    expect(fixed(1.005, 2)).toBe('1.00');
    expect(fixed(9.994, 2)).toBe('9.99');
  });
  it('%.2g: lost percentages', () => {
    expect(fmtG(0, 2)).toBe('0');
    expect(fmtG(0.5, 2)).toBe('0.5');
    expect(fmtG(52.9175, 2)).toBe('53');
    expect(fmtG(100, 2)).toBe('1e+02');
    expect(fmtG(0.0001234, 2)).toBe('0.00012');
    expect(fmtG(0.00001234, 2)).toBe('1.2e-05');
  });
  it('%6.2f-%-6.2f: an interval', () => {
    expect(interval(0, 1)).toBe('  0.00-1.00  ');
    expect(interval(9, 10)).toBe('  9.00-10.00 ');
    expect(interval(100, 100.04)).toBe('100.00-100.04');
  });
});

describe('cJSON_Print', () => {
  it('objects over tab-indented lines, arrays on one line, numbers as cJSON writes them', () => {
    expect(cjsonPrint({ a: [{ x: 1 }, { y: 'z' }], b: {}, c: [], d: 1.5, e: 11676942336, f: 38196436831.372551, g: true })).toBe(
      '{\n\t"a":\t[{\n\t\t\t"x":\t1\n\t\t}, {\n\t\t\t"y":\t"z"\n\t\t}],\n\t"b":\t{\n\t},\n\t"c":\t[],\n\t"d":\t1.5,\n\t"e":\t11676942336,\n\t"f":\t38196436831.372551,\n\t"g":\ttrue\n}',
    );
  });
  it('a double that %1.15g does not read back prints with 17 digits', () => {
    expect(cjsonPrint(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(cjsonPrint(73.227282 - 1e-14)).toBe('73.227281999999988');
  });
});
