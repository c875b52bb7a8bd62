/**
 * Flag parsing with spf13/pflag's rules as cobra runs them for kubectl: flags may come
 * before or after arguments, `--flag=value`, `--flag value`, `-n value`, `-nvalue`,
 * `-n=value`, grouped booleans (`-it`), `--` ends flags (kubectl keeps what follows as
 * the command of exec/run). Errors carry pflag's wording.
 */
export type FlagType = 'bool' | 'string' | 'int' | 'strings';

export interface FlagDef {
  long: string;
  short?: string;
  type: FlagType;
  /** pflag's NoOptDefVal: the value of `--flag` given without `=value` (which then takes no argument). */
  noOptDefVal?: string;
}

export interface ParsedFlags {
  values: Map<string, string | boolean | number | string[]>;
  positional: string[];
  /** Arguments after `--` (undefined when there was no `--`). */
  afterDash?: string[];
  /** Flags as given on the command line, in order (for `Did you mean` and validation). */
  seen: string[];
}

export class FlagError extends Error {}

/** Flags every kubectl verb accepts (kubectl's persistent flags, the ones we model). */
export const GLOBAL_FLAGS: FlagDef[] = [
  { long: 'namespace', short: 'n', type: 'string' },
  { long: 'context', type: 'string' },
  { long: 'cluster', type: 'string' },
  { long: 'user', type: 'string' },
  { long: 'kubeconfig', type: 'string' },
  { long: 'server', short: 's', type: 'string' },
  { long: 'request-timeout', type: 'string' },
  { long: 'v', short: 'v', type: 'string' },
  { long: 'help', short: 'h', type: 'bool' },
  { long: 'insecure-skip-tls-verify', type: 'bool' },
  { long: 'match-server-version', type: 'bool' },
  { long: 'warnings-as-errors', type: 'bool' },
  // impersonation (client-go's Impersonate-User / Impersonate-Group headers)
  { long: 'as', type: 'string' },
  { long: 'as-group', type: 'strings' },
  { long: 'as-uid', type: 'string' },
];

function parseInt64(flag: string, v: string): number {
  if (!/^[-+]?\d+$/.test(v)) throw new FlagError(`invalid argument "${v}" for "${flag}" flag: strconv.ParseInt: parsing "${v}": invalid syntax`);
  // pflag's int is Go's int (64 bits): ParseInt reports what does not fit
  const n = BigInt(v);
  if (n > 9223372036854775807n || n < -9223372036854775808n) throw new FlagError(`invalid argument "${v}" for "${flag}" flag: strconv.ParseInt: parsing "${v}": value out of range`);
  return Number(v);
}

function parseBool(flag: string, v: string): boolean {
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(v)) return false;
  throw new FlagError(`invalid argument "${v}" for "${flag}" flag: strconv.ParseBool: parsing "${v}": invalid syntax`);
}

export function parseFlags(args: string[], defs: FlagDef[]): ParsedFlags {
  // a verb's own flag shadows a global one of the same name (create rolebinding's --user), as cobra's local flags do
  const all = [...GLOBAL_FLAGS, ...defs];
  const byLong = new Map(all.map((d) => [d.long, d]));
  const byShort = new Map(all.filter((d) => d.short).map((d) => [d.short!, d]));
  const out: ParsedFlags = { values: new Map(), positional: [], seen: [] };
  const set = (d: FlagDef, raw: string, label: string) => {
    out.seen.push(d.long);
    switch (d.type) {
      case 'bool':
        out.values.set(d.long, parseBool(label, raw));
        break;
      case 'int':
        out.values.set(d.long, parseInt64(label, raw));
        break;
      case 'strings': {
        const prev = (out.values.get(d.long) as string[] | undefined) ?? [];
        out.values.set(d.long, [...prev, raw]);
        break;
      }
      default:
        out.values.set(d.long, raw);
    }
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      out.afterDash = args.slice(i + 1);
      break;
    }
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      const d = byLong.get(name);
      if (!d) throw new FlagError(`unknown flag: --${name}`);
      const label = `--${name}`;
      if (eq >= 0) set(d, a.slice(eq + 1), label);
      else if (d.type === 'bool') set(d, 'true', label);
      else if (d.noOptDefVal !== undefined) set(d, d.noOptDefVal, label);
      else {
        if (i + 1 >= args.length) throw new FlagError(`flag needs an argument: --${name}`);
        set(d, args[++i], label);
      }
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      const shorts = a.slice(1);
      for (let j = 0; j < shorts.length; j++) {
        const c = shorts[j];
        const d = byShort.get(c);
        if (!d) throw new FlagError(`unknown shorthand flag: '${c}' in -${shorts}`);
        const label = `-${c}, --${d.long}`;
        if (d.type === 'bool') {
          if (shorts[j + 1] === '=') {
            set(d, shorts.slice(j + 2), label);
            break;
          }
          set(d, 'true', label);
          continue;
        }
        let rest = shorts.slice(j + 1);
        if (rest.startsWith('=')) rest = rest.slice(1);
        if (rest !== '') set(d, rest, label);
        else {
          if (i + 1 >= args.length) throw new FlagError(`flag needs an argument: '${c}' in -${shorts}`);
          set(d, args[++i], label);
        }
        break;
      }
      continue;
    }
    out.positional.push(a);
  }
  return out;
}

export function flagString(p: ParsedFlags, name: string): string | undefined {
  const v = p.values.get(name);
  return typeof v === 'string' ? v : undefined;
}

export function flagBool(p: ParsedFlags, name: string): boolean {
  return p.values.get(name) === true;
}

export function flagInt(p: ParsedFlags, name: string): number | undefined {
  const v = p.values.get(name);
  return typeof v === 'number' ? v : undefined;
}

export function flagStrings(p: ParsedFlags, name: string): string[] {
  const v = p.values.get(name);
  return Array.isArray(v) ? v : [];
}
