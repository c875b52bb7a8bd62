/**
 * The playground's share link: the whole lab — its scenario, the learner's objects and
 * files, as an exported scenario.yaml — in the URL's fragment, so no server ever sees it:
 * `#s=` + base64url(deflate-raw(UTF-8 text)), with the platform's CompressionStream.
 *
 * Opening one is opening untrusted input: the fragment and the text it inflates to are
 * capped (a small link cannot inflate into a huge one), the text must be UTF-8, and it is
 * only ever read as a scenario — validated like any other (engine/grading checkScenario)
 * before a cluster is built from it, never run as code.
 */

export const SHARE_PARAM = 's';
/** The longest fragment opened (browsers keep URLs of some megabytes; chat apps and QR codes far less). */
export const MAX_SHARE_CHARS = 256 * 1024;
/** The most text a link may inflate to: a lesson-sized scenario is a few kB. */
export const MAX_SCENARIO_BYTES = 512 * 1024;

export type Shared = { ok: true; text: string } | { ok: false; message: string };

function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Runs `bytes` through a (de)compression stream, stopping once more than `limit` bytes came out. */
async function pipe(stream: CompressionStream | DecompressionStream, bytes: Uint8Array, limit = Infinity): Promise<Uint8Array | 'too-big'> {
  const writer = stream.writable.getWriter();
  const writing = writer.write(bytes as Uint8Array<ArrayBuffer>).then(() => writer.close());
  writing.catch(() => {});
  const reader = stream.readable.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return 'too-big';
    }
    parts.push(value);
  }
  await writing;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The fragment (without `#`) that carries `text`. */
export async function encodeShare(text: string): Promise<string> {
  const packed = await pipe(new CompressionStream('deflate-raw'), new TextEncoder().encode(text));
  return `${SHARE_PARAM}=${toBase64Url(packed as Uint8Array)}`;
}

/** The link's value, if the fragment (with or without `#`) is a share link. */
export function shareValue(hash: string): string | null {
  const h = hash.startsWith('#') ? hash.slice(1) : hash;
  return h.startsWith(`${SHARE_PARAM}=`) ? h.slice(SHARE_PARAM.length + 1) : null;
}

const kb = (n: number) => `${Math.round(n / 1024)} kB`;

/** The scenario a share link carries, or why it cannot be opened. Never throws. */
export async function decodeShare(hash: string): Promise<Shared> {
  const value = shareValue(hash);
  if (value === null) return { ok: false, message: 'this is not a share link (it should start with #s=)' };
  if (value.length > MAX_SHARE_CHARS) return { ok: false, message: `the link is ${kb(value.length)} long, more than the ${kb(MAX_SHARE_CHARS)} a share link may be` };
  const bytes = fromBase64Url(value);
  if (!bytes || bytes.length === 0) return { ok: false, message: 'the link is damaged: it is not base64url text (was it cut short when it was copied?)' };
  let inflated: Uint8Array | 'too-big';
  try {
    inflated = await pipe(new DecompressionStream('deflate-raw'), bytes, MAX_SCENARIO_BYTES);
  } catch {
    return { ok: false, message: 'the link is damaged: its data does not decompress (was it cut short when it was copied?)' };
  }
  if (inflated === 'too-big') return { ok: false, message: `the scenario in the link is larger than the ${kb(MAX_SCENARIO_BYTES)} a shared scenario may be` };
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(inflated) };
  } catch {
    return { ok: false, message: 'the link is damaged: its scenario is not UTF-8 text' };
  }
}
