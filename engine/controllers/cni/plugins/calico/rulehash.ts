/**
 * The `cali:` id Felix puts on every rule, computed as Felix v3.28 does
 * (felix/iptables/rules.go Chain.RuleHashes): SHA-224 of the chain name, then for each rule in
 * order SHA-224 of the previous hash followed by the rule as Felix renders it for hashing —
 * `-A <chain> HASH`, each comment as `-m comment --comment "<text>"`, the match, the action
 * (rules.go renderInner) — the first 16 characters of its base64url. Rules Felix inserts into
 * or appends to a built-in chain are hashed as a chain of their own, named after it (appends:
 * `<chain>*appends*`; table.go expectedHashesForInsertAppendChain).
 *
 * We write each rule with iptables-save's arguments; `felixRuleText` turns them back into
 * Felix's own fragments (felix/iptables/match_builder.go, actions.go): `--in-interface`,
 * `--source`, `--jump`, `--goto`, `-m multiport --destination-ports`, protocol numbers in the
 * static chains (ProtocolNum) and names in policy and profile chains (Protocol), a mark clear
 * as `0/<mask>` (MarkClear, ClearMarkAction) but the match-block start as `0x0/0xc0000`
 * (SetMaskedMarkAction with no bits), MARK's `--set-mark`, rpfilter's `--invert --validmark`.
 */
import { sha224Bytes, utf8 } from '../../../../cluster/hash';
import { base64url } from './names';
import { MARK_SCRATCH0, MARK_SCRATCH1 } from './policy';

const PROTO_NUM: Record<string, string> = { icmp: '1', tcp: '6', ipencap: '4', udp: '17', sctp: '132' };
const STARTS = new Set(['-m', '-j', '-g', '-p', '-i', '-o', '-s', '-d']);

/** rules.go escapeComment and truncateComment. */
function comment(text: string): string {
  return `-m comment --comment "${text.replace(/[^\w @%+=:,./-]/g, '_').slice(0, 256)}"`;
}

function clearOr(value: string): string {
  const [v, m] = value.split('/');
  return Number(v) === 0 ? `0/${m}` : value;
}

/** Felix's rendering (without `-A <chain> HASH`) of a rule given as iptables-save arguments. */
export function felixRuleText(chain: string, args: string[]): string {
  const comments: string[] = [];
  const match: string[] = [];
  let action = '';
  // Match().Protocol (a name) in policy and profile chains and in cali-forward-check; ProtocolNum elsewhere
  const names = /^cali-p(i|o|ri|ro)-|^cali-forward-check$/.test(chain);
  for (let i = 0; i < args.length;) {
    const a = args[i];
    if (a === '-m' && args[i + 1] === 'comment') {
      comments.push(comment(args[i + 3] ?? ''));
      i += 4;
      continue;
    }
    if (a === '-j' || a === '-g') {
      const target = args[i + 1];
      const rest = args.slice(i + 2);
      if (a === '-g') action = `--goto ${target}`;
      else if (target === 'MARK') {
        const v = rest[rest.indexOf('--set-xmark') + 1] ?? '';
        const [mark, mask] = v.split('/');
        // SetMaskedMarkAction{0, scratch bits} starts a match block; any other zero is a ClearMarkAction
        action = `--jump MARK --set-mark ${Number(mark) === 0 && Number(mask) === (MARK_SCRATCH0 | MARK_SCRATCH1) ? v : clearOr(v)}`;
      } else if (target === 'MASQUERADE') action = `--jump MASQUERADE${rest.includes('--random-fully') ? ' --random-fully' : ''}`;
      else action = [`--jump ${target}`, ...rest].join(' ');
      break;
    }
    const neg = a === '!';
    const opt = neg ? args[i + 1] : a;
    const val = neg ? args[i + 2] : args[i + 1];
    const not = neg ? '! ' : '';
    if (opt === '-p') match.push(`${not}-p ${names ? val : PROTO_NUM[val] ?? val}`);
    else if (opt === '-i') match.push(`${not}--in-interface ${val}`);
    else if (opt === '-o') match.push(`${not}--out-interface ${val}`);
    else if (opt === '-s') match.push(`${not}--source ${val}`);
    else if (opt === '-d') match.push(`${not}--destination ${val}`);
    else if (a === '-m') {
      // a match module and its options, up to the next option that starts something else
      let j = i + 2;
      while (j < args.length && !STARTS.has(args[j]) && !(args[j] === '!' && STARTS.has(args[j + 1]) && args[j + 1] !== '-m')) j++;
      const mod = args[i + 1];
      let opts = args.slice(i + 2, j);
      if (mod === 'multiport') opts = opts.map((o) => (o === '--dports' ? '--destination-ports' : o === '--sports' ? '--source-ports' : o));
      if (mod === 'mark') opts = opts.map((o, k) => (opts[k - 1] === '--mark' ? clearOr(o) : o));
      // RPFCheckFailed: `--invert --validmark` then `--accept-local` (iptables-save puts --invert last)
      if (mod === 'rpfilter') opts = ['--invert', '--validmark', '--accept-local'].filter((o) => opts.includes(o));
      match.push(['-m', mod, ...opts].join(' '));
      i = j;
      continue;
    } else {
      match.push(a);
      i += 1;
      continue;
    }
    i += neg ? 3 : 2;
  }
  return [...comments, ...match, ...(action ? [action] : [])].join(' ');
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

// Every resync rewrites the same rules on every node: hashes are remembered, in two
// generations of at most GENERATION entries each so that memory stays bounded.
const GENERATION = 50_000;
let recent = new Map<string, Uint8Array>();
let older = new Map<string, Uint8Array>();

function cached(key: string, make: () => Uint8Array): Uint8Array {
  let v = recent.get(key);
  if (v === undefined) {
    v = older.get(key) ?? make();
    if (recent.size >= GENERATION) {
      older = recent;
      recent = new Map();
    }
    recent.set(key, v);
  }
  return v;
}

/** Chain.RuleHashes: the ids of a chain's rules, given in iptables-save arguments. */
export function felixRuleHashes(chain: string, rules: string[][]): string[] {
  let prev = cached(`\u0000${chain}`, () => sha224Bytes(utf8(chain)));
  let prevKey = chain;
  return rules.map((args) => {
    const text = felixRuleText(chain, args);
    const line = `-A ${chain} HASH${text ? ' ' + text : ''}`;
    const key = `${prevKey}\u0001${line}`;
    const p = prev;
    prev = cached(key, () => sha224Bytes(concat(p, utf8(line))));
    prevKey = base64url(prev);
    return prevKey.slice(0, 16);
  });
}
