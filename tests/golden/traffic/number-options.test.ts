/**
 * Issue 13: time limits a learner can type into nc and wget are refused as the real tools
 * refuse them. busybox (1.36, libbb/xatonum_template.h): digits only, "invalid number '%s'"
 * or "number %s is not in %llu..%llu range" (nc -w and wget -T through xatoi_positive /
 * getopt32 "T:+"); OpenBSD netcat (netcat.c): strtonum(optarg, 0, INT_MAX / 1000) and
 * errx(1, "timeout %s: %s", errstr, optarg). Grouped flags (`-zvw2`, `-zw 2`) as getopt reads them.
 */
import { describe, expect, it } from 'vitest';
import { cluster, bb, shoot } from './scenario';
import { run } from './harness';

const fail = (stderr: string) => ({ stdout: '', stderr, exitCode: 1 });

describe('nc -w and wget -T numbers', () => {
  const s = cluster('calico', 'iptables');
  it.each([
    ['nc -w 1e308 10.96.0.10 53', "nc: invalid number '1e308'\n"],
    ['nc -w -5 10.96.0.10 53', "nc: invalid number '-5'\n"],
    ['nc -w 99999999999 10.96.0.10 53', 'nc: number 99999999999 is not in 0..2147483647 range\n'],
    ['wget -T 1e308 -qO- http://10.96.0.1', "wget: invalid number '1e308'\n"],
    ['wget -T -1 http://10.96.0.1', "wget: invalid number '-1'\n"],
    ['wget -T 4294967296 http://10.96.0.1', 'wget: number 4294967296 is not in 0..2147483647 range\n'],
  ])('busybox: %s', (line, stderr) => {
    expect(run(s, bb, line)).toEqual(fail(stderr));
  });
  it.each([
    ['nc -w 1e308 10.96.0.10 53', 'nc: timeout invalid: 1e308\n'],
    ['nc -w -5 10.96.0.10 53', 'nc: timeout too small: -5\n'],
    ['nc -w 2147484 10.96.0.10 53', 'nc: timeout too large: 2147484\n'],
  ])('OpenBSD netcat: %s', (line, stderr) => {
    expect(run(s, shoot, line)).toEqual(fail(stderr));
  });
  it('grouped flags carry -w: a scan that succeeds, one that times out after its 2 s', () => {
    expect(run(s, bb, 'nc -zvw2 10.96.0.10 53')).toEqual({ stdout: '', stderr: '10.96.0.10 (10.96.0.10:53) open\n', exitCode: 0 });
    const before = s.clock.now();
    expect(run(s, shoot, 'nc -zvw 2 10.96.0.10 54')).toEqual(fail('nc: connect to 10.96.0.10 port 54 (tcp) timed out: Operation now in progress\n'));
    expect(s.clock.now() - before).toBe(2000);
  });
});
