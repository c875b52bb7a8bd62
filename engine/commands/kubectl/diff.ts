/**
 * kubectl diff -f FILE — k8s.io/kubectl v0.34 pkg/cmd/diff/diff.go: for each object of the
 * manifests, LIVE is the object on the server (absent: an empty file) and MERGED what a
 * dry-run apply would make of it (Merged(): a dry-run create, or apply's three-way patch —
 * generation counts the change as the server would); both without metadata.managedFields,
 * Secrets' data masked (Masker: `***`, or `*** (before)` / `*** (after)` where they differ),
 * printed as YAML into files named GROUP.VERSION.KIND.NAMESPACE.NAME under
 * /tmp/LIVE-NNN and /tmp/MERGED-NNN (os.MkdirTemp), then `diff -u -N` of the two
 * directories (GNU diffutils: its `diff -u -N` line per file, the ---/+++ lines with the
 * files' times, hunks with three lines of context). Exit 0: no differences; 1: some.
 */
import type { CommandOutcome } from '../../types';
import { isObject, type KubeObject } from '../../cluster/types';
import { printYaml } from '../../printers/kubectl';
import { flagBool, flagStrings, type FlagDef } from './flags';
import { apiRequest, checkManifest, errorText, KubectlError, loadManifests, toSubmit, type Kctx } from './common';
import { LAST_APPLIED, threeWay, withLastApplied } from './apply';

export const DIFF_FLAGS: FlagDef[] = [
  { long: 'filename', short: 'f', type: 'strings' },
  { long: 'recursive', short: 'R', type: 'bool' },
  { long: 'server-side', type: 'bool' },
  { long: 'force-conflicts', type: 'bool' },
  { long: 'field-manager', type: 'string' },
  { long: 'prune', type: 'bool' },
  { long: 'selector', short: 'l', type: 'string' },
  { long: 'show-managed-fields', type: 'bool' },
  { long: 'concurrency', type: 'int' },
  { long: 'kustomize', short: 'k', type: 'string' },
];

function withoutManagedFields(o: KubeObject, show: boolean): KubeObject {
  if (show) return o;
  const c = structuredClone(o);
  delete c.metadata.managedFields;
  return c;
}

/** Masker.run: Secret data values never print; a changed one says which side it is. */
function mask(from: KubeObject | undefined, to: KubeObject): [KubeObject | undefined, KubeObject] {
  const f = from ? structuredClone(from) : undefined;
  const t = structuredClone(to);
  const fd = (f?.data ?? {}) as Record<string, string>;
  const td = (t.data ?? {}) as Record<string, string>;
  for (const k of new Set([...Object.keys(fd), ...Object.keys(td)])) {
    if (k in fd && k in td) {
      const same = fd[k] === td[k];
      fd[k] = same ? '***' : '*** (before)';
      td[k] = same ? '***' : '*** (after)';
    } else if (k in fd) fd[k] = '***';
    else td[k] = '***';
  }
  return [f, t];
}

// ---- GNU diff -u ----------------------------------------------------------------------------

type Op = { t: ' ' | '-' | '+'; line: string };

/** The edit script between two line lists (LCS by dynamic programming; the files are small). */
function editScript(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      ops.push({ t: ' ', line: a[i] });
      i++;
      j++;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) ops.push({ t: '-', line: a[i++] });
    else ops.push({ t: '+', line: b[j++] });
  }
  while (i < n) ops.push({ t: '-', line: a[i++] });
  while (j < m) ops.push({ t: '+', line: b[j++] });
  return ops;
}

/** `@@ -l,s +l,s @@` ranges as GNU diff prints them (a one-line range without its count). */
function range(start: number, count: number): string {
  if (count === 1) return String(start);
  return `${count === 0 ? start - 1 : start},${count}`;
}

/** The hunks of `diff -u` (3 lines of context), or '' when the texts are equal. */
export function unifiedHunks(before: string, after: string): string {
  const a = before === '' ? [] : before.replace(/\n$/, '').split('\n');
  const b = after === '' ? [] : after.replace(/\n$/, '').split('\n');
  const ops = editScript(a, b);
  if (!ops.some((o) => o.t !== ' ')) return '';
  const ctx = 3;
  let out = '';
  let k = 0;
  while (k < ops.length) {
    // the next change, and the hunk around it (changes closer than 2*ctx join)
    while (k < ops.length && ops[k].t === ' ') k++;
    if (k >= ops.length) break;
    let start = Math.max(0, k - ctx);
    let end = k;
    for (;;) {
      while (end < ops.length && ops[end].t !== ' ') end++;
      let next = end;
      while (next < ops.length && ops[next].t === ' ') next++;
      if (next < ops.length && next - end <= 2 * ctx) end = next;
      else break;
    }
    const stop = Math.min(ops.length, end + ctx);
    let aStart = 1;
    let bStart = 1;
    for (let x = 0; x < start; x++) {
      if (ops[x].t !== '+') aStart++;
      if (ops[x].t !== '-') bStart++;
    }
    const body = ops.slice(start, stop);
    const aCount = body.filter((o) => o.t !== '+').length;
    const bCount = body.filter((o) => o.t !== '-').length;
    out += `@@ -${range(aStart, aCount)} +${range(bStart, bCount)} @@\n`;
    out += body.map((o) => `${o.t}${o.line}\n`).join('');
    k = stop;
    start = stop;
  }
  return out;
}

/** A file's time as GNU diff prints it: `2025-01-15 09:00:00.123456789 +0000`. */
function diffTime(ms: number, nanos: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(nanos, 9)} +0000`;
}

export function runDiff(k: Kctx): CommandOutcome {
  const files = flagStrings(k.flags, 'filename');
  if (k.flags.values.has('kustomize')) throw new KubectlError('error: kustomize is not available in this simulated cluster');
  if (files.length === 0) throw new KubectlError("error: must specify one of -f and -k\nSee 'kubectl diff -h' for help and examples");
  if (flagBool(k.flags, 'server-side')) throw new KubectlError('error: kubectl diff --server-side is not simulated here');
  if (flagBool(k.flags, 'prune')) throw new KubectlError('error: kubectl diff --prune is not simulated here');
  const show = flagBool(k.flags, 'show-managed-fields');
  const manifests = loadManifests(k, files, flagBool(k.flags, 'recursive'));
  const pairs: { name: string; live?: string; merged: string }[] = [];
  let stderr = '';
  for (const sm of manifests) {
    try {
      const info = checkManifest(k, sm);
      apiRequest(k, info);
      const ns = info.namespaced ? sm.manifest.metadata?.namespace || k.namespace : undefined;
      const name = String(sm.manifest.metadata?.name ?? '');
      const live = k.store.get(info.kind, ns, name);
      // GetModifiedConfiguration: the manifest with its own last-applied annotation, as apply writes it
      const { modified } = withLastApplied(sm.manifest, ns);
      let merged: KubeObject;
      if (!live) merged = k.cluster.api.create(modified, { namespace: ns, dryRun: true });
      else {
        let original: unknown = {};
        try {
          original = JSON.parse(live.metadata.annotations?.[LAST_APPLIED] ?? '{}');
        } catch {
          original = {};
        }
        const patched = toSubmit(threeWay(original, modified, structuredClone(live)));
        patched.metadata.resourceVersion = live.metadata.resourceVersion;
        merged = k.cluster.api.update(patched, { dryRun: true });
        merged.metadata.resourceVersion = live.metadata.resourceVersion;
        merged.metadata.uid = live.metadata.uid;
        merged.metadata.creationTimestamp = live.metadata.creationTimestamp;
        if (live.metadata.generation !== undefined) merged.metadata.generation = JSON.stringify(merged.spec) !== JSON.stringify(live.spec) ? live.metadata.generation + 1 : live.metadata.generation;
      }
      let from = live ? withoutManagedFields(live, show) : undefined;
      let to = withoutManagedFields(merged, show);
      if (info.kind === 'Secret' && info.version === 'v1') [from, to] = mask(from, to);
      const group = info.group ? `${info.group}.` : '';
      pairs.push({ name: `${group}${info.version}.${info.kind}.${ns ?? ''}.${name}`, live: from ? printYaml(orderTop(from)) : undefined, merged: printYaml(orderTop(to)) });
    } catch (e) {
      stderr += errorText(e);
    }
  }
  if (stderr) return { stdout: '', stderr, exitCode: 1 };
  const rng = k.cluster.rng;
  const liveDir = `/tmp/LIVE-${rng.int(4294967296)}`;
  const mergedDir = `/tmp/MERGED-${rng.int(4294967296)}`;
  const now = k.cluster.clock.now();
  let stdout = '';
  for (const p of [...pairs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const hunks = unifiedHunks(p.live ?? '', p.merged);
    if (!hunks) continue;
    const liveTime = p.live === undefined ? diffTime(0, 0) : diffTime(now, rng.int(1_000_000_000));
    stdout += `diff -u -N ${liveDir}/${p.name} ${mergedDir}/${p.name}\n`;
    stdout += `--- ${liveDir}/${p.name}\t${liveTime}\n`;
    stdout += `+++ ${mergedDir}/${p.name}\t${diffTime(now, rng.int(1_000_000_000))}\n`;
    stdout += hunks;
  }
  return { stdout, stderr: '', exitCode: stdout ? 1 : 0 };
}

/** The YAML printer sorts keys itself; this only drops undefined members. */
function orderTop(o: KubeObject): unknown {
  return isObject(o) ? JSON.parse(JSON.stringify(o)) : o;
}
