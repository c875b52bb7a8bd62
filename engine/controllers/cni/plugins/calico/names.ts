/**
 * The names Felix gives what it programs, computed as Felix v3.28 computes them:
 *
 * - chain names for policies, profiles and endpoints: felix/hashutils/id.go
 *   GetLengthLimitedID — the prefix and the id when they fit in 28 characters
 *   (felix/iptables MaxChainNameLength), else the prefix, `_` and the start of
 *   base64url(SHA-256(id)); felix/rules/policy.go PolicyChainName, ProfileChainName.
 * - IP set ids: libcalico-go/lib/hash/unique_id.go MakeUniqueID — `<prefix>:` +
 *   base64url(SHA-224(`<prefix>:<content>`)); a selector's is MakeUniqueID("s", its canonical
 *   text) (libcalico-go/lib/selector/parser/ast.go UniqueID), a named port's
 *   MakeUniqueID("n", selectorID + "," + protocol + "," + port name) (felix/calc/rule_scanner.go
 *   IPSetData.UniqueID); the set's name is `cali40` + the id cut to 31 characters
 *   (felix/ipsets/ipset_defs.go NameForMainIPSet, combineAndTrunc, MaxIPSetNameLength).
 * - policy group chains: felix/rules/endpoints.go PolicyGroup.UniqueID — SHA3-224 over tier,
 *   selector, direction, the count and each policy name, each followed by "\n", base64url, cut
 *   to 20 characters (MaxPolicyGroupUIDLength = 28 - len("cali-gi-")).
 */
import { sha224Bytes, sha256Bytes, utf8 } from '../../../../cluster/hash';

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Go's base64.RawURLEncoding. */
export function base64url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = i + 2 < bytes.length ? 4 : i + 1 < bytes.length ? 3 : 2;
    for (let k = 0; k < chars; k++) out += B64URL[(n >> (18 - 6 * k)) & 63];
  }
  return out;
}

/** iptables' chain-name limit (felix/iptables/table.go MaxChainNameLength). */
export const MAX_CHAIN = 28;
/** felix/ipsets/ipset_defs.go MaxIPSetNameLength. */
export const MAX_IPSET = 31;

/** felix/hashutils/id.go GetLengthLimitedID. */
export function lengthLimitedId(prefix: string, suffix: string, max: number): string {
  const total = prefix.length + suffix.length;
  if (total > max || (total === max && suffix.startsWith('_'))) {
    return prefix + '_' + base64url(sha256Bytes(utf8(suffix))).slice(0, max - 1 - prefix.length);
  }
  return prefix + suffix;
}

/** felix/rules/policy.go PolicyChainName: `cali-pi-`/`cali-po-` + the policy's name (`<ns>/knp.default.<name>`). */
export function policyChainName(dir: 'pi' | 'po', policyName: string): string {
  return lengthLimitedId(`cali-${dir}-`, policyName, MAX_CHAIN);
}

/** felix/rules/policy.go ProfileChainName: `cali-pri-`/`cali-pro-` + the profile's name (`kns.<ns>`, `ksa.<ns>.<sa>`). */
export function profileChainName(dir: 'pri' | 'pro', profileName: string): string {
  return lengthLimitedId(`cali-${dir}-`, profileName, MAX_CHAIN);
}

/** libcalico-go/lib/hash/unique_id.go MakeUniqueID. */
export function makeUniqueId(prefix: string, content: string): string {
  return `${prefix}:${base64url(sha224Bytes(utf8(`${prefix}:${content}`)))}`;
}

/** felix/ipsets/ipset_defs.go NameForMainIPSet (IPv4): `cali40` + the id, 31 characters at most. */
export function mainIpSetName(setId: string): string {
  return ('cali40' + setId).slice(0, MAX_IPSET);
}

/** felix/calc/rule_scanner.go IPSetData.UniqueID for a named port: the selector's id, protocol and port name. */
export function namedPortSetId(selectorId: string, proto: string, port: string): string {
  return makeUniqueId('n', `${selectorId},${proto},${port}`);
}

// Every endpoint of a group names it again at each rebuild: names are remembered (at most
// GROUP_CACHE of them, the map starting over when full).
const GROUP_CACHE = 10_000;
const groupNames = new Map<string, string>();

/** felix/rules/endpoints.go PolicyGroup.UniqueID and ChainName. */
export function policyGroupChainName(tier: string, selector: string, direction: 'inbound' | 'outbound', policyNames: string[]): string {
  const text = [tier, selector, direction, String(policyNames.length), ...policyNames].map((s) => s + '\n').join('');
  let name = groupNames.get(text);
  if (name === undefined) {
    const prefix = direction === 'inbound' ? 'cali-gi-' : 'cali-go-';
    name = prefix + base64url(sha3_224(utf8(text))).slice(0, MAX_CHAIN - prefix.length);
    if (groupNames.size >= GROUP_CACHE) groupNames.clear();
    groupNames.set(text, name);
  }
  return name;
}

// Keccak-f[1600] (FIPS 202) on 25 lanes of 64 bits, as BigInts: Felix hashes only policy group
// ids with it (golang.org/x/crypto/sha3 New224), a handful per rebuild.
const MASK = (1n << 64n) - 1n;
const RC: bigint[] = (() => {
  const out: bigint[] = [];
  let r = 1;
  for (let i = 0; i < 24; i++) {
    let c = 0n;
    for (let j = 0; j < 7; j++) {
      if (r & 1) c |= 1n << BigInt((1 << j) - 1);
      r = (r << 1) ^ (r & 0x80 ? 0x71 : 0);
      r &= 0xff;
    }
    out.push(c);
  }
  return out;
})();
const ROT = [0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14];

function rotl(x: bigint, n: number): bigint {
  return n === 0 ? x : ((x << BigInt(n)) | (x >> BigInt(64 - n))) & MASK;
}

function keccakF(a: bigint[]): void {
  for (let round = 0; round < 24; round++) {
    const c = [0, 1, 2, 3, 4].map((x) => a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20]);
    for (let x = 0; x < 5; x++) {
      const d = c[(x + 4) % 5] ^ rotl(c[(x + 1) % 5], 1);
      for (let y = 0; y < 25; y += 5) a[x + y] ^= d;
    }
    const b = new Array<bigint>(25);
    for (let x = 0; x < 5; x++) for (let y = 0; y < 5; y++) b[y + 5 * ((2 * x + 3 * y) % 5)] = rotl(a[x + 5 * y], ROT[x + 5 * y]);
    for (let x = 0; x < 5; x++) for (let y = 0; y < 5; y++) a[x + 5 * y] = b[x + 5 * y] ^ (~b[(x + 1) % 5 + 5 * y] & MASK & b[(x + 2) % 5 + 5 * y]);
    a[0] ^= RC[round];
  }
}

/** SHA3-224 (FIPS 202): rate 144 bytes, domain bits 0x06, 28 bytes out. */
export function sha3_224(msg: Uint8Array): Uint8Array {
  const rate = 144;
  const padded = new Uint8Array(Math.floor(msg.length / rate + 1) * rate);
  padded.set(msg);
  padded[msg.length] ^= 0x06;
  padded[padded.length - 1] ^= 0x80;
  const a = new Array<bigint>(25).fill(0n);
  for (let off = 0; off < padded.length; off += rate) {
    for (let i = 0; i < rate / 8; i++) {
      let lane = 0n;
      for (let k = 7; k >= 0; k--) lane = (lane << 8n) | BigInt(padded[off + i * 8 + k]);
      a[i] ^= lane;
    }
    keccakF(a);
  }
  const out = new Uint8Array(28);
  for (let i = 0; i < 28; i++) out[i] = Number((a[i >> 3] >> BigInt(8 * (i & 7))) & 0xffn);
  return out;
}
