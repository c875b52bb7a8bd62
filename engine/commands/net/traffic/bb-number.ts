/**
 * busybox's number options (libbb/xatonum_template.h xstrtou_range_sfx, as xatou_range and
 * xatoi_positive use it, and getopt32's `+` options): decimal digits only — no sign, no
 * leading blank, no exponent — within [lower, upper]. The errors are bb_error_msg_and_die's
 * "invalid number '%s'" and "number %s is not in %llu..%llu range", exit 1.
 */
export function bbNumber(applet: string, text: string, lower: number, upper: number): { value: number } | { error: string } {
  if (!/^\d+$/.test(text)) return { error: `${applet}: invalid number '${text}'\n` };
  // strtoull's ERANGE past 2^64-1 is "invalid", as the template's errno check sends it there
  if (BigInt(text) > 18446744073709551615n) return { error: `${applet}: invalid number '${text}'\n` };
  const value = Number(text);
  if (value < lower || value > upper) return { error: `${applet}: number ${text} is not in ${lower}..${upper} range\n` };
  return { value };
}

/** xatoi_positive: 0..INT_MAX. */
export const INT_MAX = 2147483647;
