/** `base64 [-d] [-w COLS] [FILE]` (coreutils src/basenc.c): 76-column lines; `base64: invalid input` on bad data. */
import type { CommandSpec } from '../../shell/command';
import { getopt, isOptError, readOperand, usageError } from './util';

const ALPHA = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function encodeBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i], b = bytes[i + 1], c = bytes[i + 2];
    out += ALPHA[a >> 2] + ALPHA[((a & 3) << 4) | ((b ?? 0) >> 4)];
    out += b === undefined ? '=' : ALPHA[((b & 15) << 2) | ((c ?? 0) >> 6)];
    out += c === undefined ? '=' : ALPHA[c & 63];
  }
  return out;
}

export function decodeBase64(text: string, ignoreGarbage: boolean): Uint8Array | undefined {
  let s = text.replace(/\n/g, '');
  if (ignoreGarbage) s = s.replace(/[^A-Za-z0-9+/=]/g, '');
  const out: number[] = [];
  let buf = 0, bits = 0;
  let i = 0;
  for (; i < s.length; i++) {
    const c = s[i];
    if (c === '=') break;
    const v = ALPHA.indexOf(c);
    if (v < 0) return undefined;
    buf = (buf << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((buf >> bits) & 0xff);
    }
  }
  const rest = s.slice(i);
  if (!/^=*$/.test(rest) || (s.length % 4 !== 0 && rest.length > 0)) return undefined;
  if (rest.length === 0 && s.length % 4 === 1) return undefined;
  return new Uint8Array(out);
}

export const base64: CommandSpec = {
  name: 'base64',
  summary: 'base64 encode/decode data and print to standard output',
  run(args, ctx) {
    const p = getopt(args, { short: 'diw:', long: { decode: { key: 'd' }, 'ignore-garbage': { key: 'i' }, wrap: { key: 'w', arg: true } } });
    if (isOptError(p)) return usageError('base64', p, undefined, 1);
    if (p.operands.length > 1) return { stdout: '', stderr: `base64: extra operand '${p.operands[1]}'\nTry 'base64 --help' for more information.\n`, exitCode: 1 };
    const decode = p.opts.some(([k]) => k === 'd');
    const garbage = p.opts.some(([k]) => k === 'i');
    let wrap = 76;
    for (const [k, v] of p.opts) {
      if (k !== 'w') continue;
      if (!/^\d+$/.test(v)) return { stdout: '', stderr: `base64: invalid wrap size: '${v}'\n`, exitCode: 1 };
      wrap = Number(v);
    }
    const r = readOperand(ctx, 'base64', p.operands[0] ?? '-');
    if (!r.ok) return { stdout: '', stderr: r.error, exitCode: 1 };
    if (decode) {
      const bytes = decodeBase64(r.content, garbage);
      if (!bytes) {
        // coreutils prints what it decoded before the bad input
        const good = r.content.replace(/\n/g, '').match(/^([A-Za-z0-9+/]{4})*/)?.[0] ?? '';
        const partial = decodeBase64(good, false) ?? new Uint8Array();
        return { stdout: new TextDecoder().decode(partial), stderr: 'base64: invalid input\n', exitCode: 1 };
      }
      return { stdout: new TextDecoder().decode(bytes), stderr: '', exitCode: 0 };
    }
    const enc = encodeBase64(new TextEncoder().encode(r.content));
    if (enc === '') return { stdout: '', stderr: '', exitCode: 0 };
    const lines = wrap === 0 ? [enc] : enc.match(new RegExp(`.{1,${wrap}}`, 'g'))!;
    return { stdout: lines.join('\n') + (wrap === 0 ? '' : '\n'), stderr: '', exitCode: 0 };
  },
};
