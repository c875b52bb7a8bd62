/**
 * kubectl wait — k8s.io/kubectl/pkg/cmd/wait/wait.go: --for=condition=C[=value],
 * --for=delete, --for=jsonpath='{…}'=value; time passes on the virtual clock until the
 * condition holds (`pod/web condition met`) or --timeout (default 30s) runs out.
 */
import type { CommandOutcome, Streaming } from '../../types';
import type { KubeObject } from '../../cluster/types';
import type { ResourceInfo } from '../../cluster/resources';
import { notFound } from '../../cluster/api';
import { flagBool, flagString, type FlagDef } from './flags';
import { apiRequest, errorText, kindPrefix, KubectlError, parseSelector, resourceName, selectorMatches, type Kctx } from './common';
import { parseSelection } from './get';
import { evalJsonPathValues } from '../../printers/kubectl/jsonpath';

export const WAIT_FLAGS: FlagDef[] = [
  { long: 'for', type: 'string' },
  { long: 'timeout', type: 'string' },
  { long: 'selector', short: 'l', type: 'string' },
  { long: 'all', type: 'bool' },
  { long: 'all-namespaces', short: 'A', type: 'bool' },
  { long: 'filename', short: 'f', type: 'strings' },
  { long: 'field-selector', type: 'string' },
  { long: 'output', short: 'o', type: 'string' },
  { long: 'local', type: 'bool' },
];

/** The longest wait `kubectl wait` takes in one call (see runWait); longer ones stream. */
export const WAIT_JUMP_MS = 3_600_000;

/** time.ParseDuration for the forms people type: 30s, 2m, 1m30s, 500ms, 1h. */
export function parseDuration(s: string): number {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let total = 0;
  let consumed = '';
  for (let m = re.exec(s); m; m = re.exec(s)) {
    total += Number(m[1]) * ({ ms: 1, s: 1000, m: 60000, h: 3600000 } as Record<string, number>)[m[2]];
    consumed += m[0];
  }
  if (s === '0') return 0;
  if (consumed !== s || consumed === '') throw new KubectlError(`error: invalid argument "${s}" for "--timeout" flag: time: invalid duration "${s}"`);
  return total;
}

export function runWait(k: Kctx): CommandOutcome {
  const forArg = flagString(k.flags, 'for');
  if (!forArg) throw new KubectlError('error: --for must be specified');
  let test: (o: KubeObject | undefined) => boolean;
  let forDelete = false;
  if (forArg === 'delete') {
    forDelete = true;
    test = (o) => !o;
  } else if (forArg.startsWith('condition=')) {
    const spec = forArg.slice('condition='.length);
    const [cond, want = 'true'] = spec.split('=');
    test = (o) => !!o && (o.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type.toLowerCase() === cond.toLowerCase() && c.status.toLowerCase() === want.toLowerCase());
  } else if (forArg.startsWith('jsonpath=')) {
    const m = /^jsonpath=(\{.*\})=(.*)$/.exec(forArg) ?? /^jsonpath=([^=]+)=(.*)$/.exec(forArg);
    if (!m) throw new KubectlError(`error: jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3`);
    const path = m[1].startsWith('{') ? m[1] : `{${m[1]}}`;
    test = (o) => !!o && evalJsonPathValues(path, o).some((v) => String(v) === m[2]);
  } else {
    throw new KubectlError(`error: unrecognized condition: "${forArg}"`);
  }
  const timeout = parseDuration(flagString(k.flags, 'timeout') ?? '30s');
  if (k.flags.positional.length === 0) throw new KubectlError("error: resource(s) were provided, but no name was specified");
  const sel = parseSelection(k.flags.positional, 'wait', k.store);
  const selector = flagString(k.flags, 'selector');
  const reqs = selector !== undefined ? parseSelector(selector) : undefined;
  const targets: { info: ResourceInfo; ns: string | undefined; name: string }[] = [];
  const errors: string[] = [];
  for (const r of sel.requests) {
    apiRequest(k, r.info);
    const ns = r.info.namespaced ? k.namespace : undefined;
    if (r.names) {
      for (const n of r.names) {
        if (!k.store.get(r.info.kind, ns, n)) {
          if (!forDelete) errors.push(errorText(notFound(r.info, n)));
          continue;
        }
        targets.push({ info: r.info, ns, name: n });
      }
    } else {
      if (!reqs && !flagBool(k.flags, 'all')) throw new KubectlError('error: resource(s) were provided, but no name was specified');
      for (const o of k.store.list(r.info.kind, ns)) if (!reqs || selectorMatches(reqs, o.metadata.labels)) targets.push({ info: r.info, ns, name: o.metadata.name });
    }
  }
  if (targets.length === 0 && errors.length === 0) throw new KubectlError('error: no matching resources found');
  // Each target in turn gets up to --timeout, a second of virtual time a round. Up to
  // WAIT_JUMP_MS of waiting is done at once; a longer wait (`--timeout=8760h` on a condition
  // that never comes) streams a second a step, as the real one blocks, until it ends or
  // Ctrl+C stops it with 130 — it never holds the tab for the whole year in one call.
  let stdout = '';
  let i = 0;
  let waited = 0;
  let jumped = 0;
  const met = () => test(k.store.get(targets[i].info.kind, targets[i].ns, targets[i].name));
  /** Settles targets from i on, the clock moving by `tick` a round; false when it must yield. */
  const settle = (tick: () => boolean): boolean => {
    for (; i < targets.length; i++, waited = 0) {
      while (!met() && waited < timeout) {
        if (!tick()) return false;
        waited += 1000;
      }
      const t = targets[i];
      if (met()) stdout += `${kindPrefix(t.info)}/${t.name} condition met\n`;
      else errors.push(`error: timed out waiting for the condition on ${resourceName(t.info)}/${t.name}\n`);
    }
    return true;
  };
  const outcome = () => ({ stdout, stderr: errors.join(''), exitCode: errors.length > 0 ? 1 : 0 });
  const done = settle(() => {
    if (jumped >= WAIT_JUMP_MS) return false;
    k.cluster.advance(1000);
    jumped += 1000;
    return true;
  });
  if (done) return outcome();
  const printed = outcome();
  stdout = '';
  errors.length = 0;
  const s: Streaming = {
    streaming: true,
    stdout: printed.stdout,
    stderr: printed.stderr,
    intervalMs: 1000,
    // the shell moves the clock by intervalMs before each step: that second is this round's
    step: () => {
      let fresh = true;
      const finished = settle(() => {
        if (!fresh) return false;
        fresh = false;
        return true;
      });
      const o = outcome();
      stdout = '';
      errors.length = 0;
      if (!finished) return { stdout: o.stdout, stderr: o.stderr };
      return { stdout: o.stdout, stderr: o.stderr, done: true, exitCode: printed.exitCode || o.exitCode };
    },
    interrupt: () => ({ exitCode: 130 }),
  };
  return s;
}
