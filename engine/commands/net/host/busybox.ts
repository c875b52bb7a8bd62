/**
 * What busybox applets share: the banner bb_show_usage prints above an applet's usage
 * (libbb/appletlib.c: "BusyBox v1.36.1 (date) multi-call binary.", the build date of
 * docker-library's busybox:1.36 glibc image), and glibc's inet_aton, which ipcalc and
 * arping parse addresses with.
 */

export const BB_BANNER = 'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n';

/** An applet's usage as bb_show_usage prints it: the banner, "Usage: NAME TRIVIAL", the full text. */
export function bbUsage(name: string, trivial: string, full: string): string {
  return `${BB_BANNER}\nUsage: ${name} ${trivial}\n\n${full}\n`;
}

/**
 * glibc inet_aton (resolv/inet_addr.c inet_aton_end): one to four parts, each decimal, octal
 * (leading 0) or hex (0x); the last part fills the remaining bytes (`10.1` is 10.0.0.1); the
 * text may end in whitespace followed by anything. Undefined where inet_aton returns 0.
 */
export function inetAton(s: string): number | undefined {
  const parts: number[] = [];
  let i = 0;
  for (;;) {
    if (i >= s.length || !/[0-9]/.test(s[i])) return undefined;
    let base = 10;
    if (s[i] === '0') {
      base = 8;
      i++;
      if (s[i] === 'x' || s[i] === 'X') {
        base = 16;
        i++;
      }
    }
    let v = 0;
    let digits = base === 8 ? 1 : 0;
    while (i < s.length) {
      const c = s[i].toLowerCase();
      const d = /[0-9]/.test(c) ? c.charCodeAt(0) - 48 : base === 16 && /[a-f]/.test(c) ? c.charCodeAt(0) - 87 : -1;
      if (d < 0 || d >= base) break;
      v = v * base + d;
      if (v > 0xffffffff) return undefined;
      digits++;
      i++;
    }
    if (base === 16 && digits === 0) return undefined;
    parts.push(v);
    if (s[i] === '.') {
      if (parts.length === 4) return undefined;
      i++;
      continue;
    }
    break;
  }
  if (i < s.length && !/\s/.test(s[i])) return undefined;
  const last = parts[parts.length - 1];
  const head = parts.slice(0, -1);
  if (head.some((p) => p > 255)) return undefined;
  const room = 2 ** (8 * (4 - head.length));
  if (last >= room) return undefined;
  let n = 0;
  for (const p of head) n = n * 256 + p;
  return n * room + last;
}
