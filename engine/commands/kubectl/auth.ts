/**
 * kubectl auth can-i and whoami — k8s.io/kubectl/pkg/cmd/auth/cani.go and whoami.go.
 *
 * can-i sends a SelfSubjectAccessReview (or, with --list, a SelfSubjectRulesReview) as the
 * kubeconfig's user — kubeadm's kubernetes-admin — or as the user --as impersonates; the
 * API server's authorizer (cluster/rbac/authorizer.ts) answers from the RBAC objects.
 * `yes` exits 0, `no` (with the authorizer's reason when there is one) exits 1.
 */
import type { CommandOutcome } from '../../types';
import { resourceFor, isServed } from '../../cluster/resources';
import { authorize, rulesFor, type UserInfo } from '../../cluster/rbac/authorizer';
import { requestUser } from './impersonate';
import type { PolicyRule } from '../../cluster/types';
import { printableRules, ruleCells, tabwrite, TABLE_OPTS } from '../../printers/kubectl';
import { flagBool, flagString, type FlagDef } from './flags';
import { KubectlError, type Kctx } from './common';

export const AUTH_FLAGS: FlagDef[] = [
  { long: 'all-namespaces', short: 'A', type: 'bool' },
  { long: 'list', type: 'bool' },
  { long: 'quiet', short: 'q', type: 'bool' },
  { long: 'no-headers', type: 'bool' },
  { long: 'subresource', type: 'string' },
  { long: 'output', short: 'o', type: 'string' },
];

const RESOURCE_VERBS = new Set(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'use', 'bind', 'impersonate', '*', 'approve', 'sign', 'escalate', 'attest']);
const NON_RESOURCE_URL_VERBS = new Set(['get', 'put', 'post', 'head', 'options', 'delete', 'patch', '*']);
/** nonStandardResourceNames: impersonation's pseudo-resources, never warned about. */
const NON_STANDARD = new Set(['users', 'groups']);

/** printers.WarningPrinter: kubectl's own warnings (not the server's, so --warnings-as-errors ignores them). */
function printWarning(k: Kctx, message: string): void {
  k.early += k.ctx.interactive ? `\x1b[33;1mWarning:\x1b[0m ${message}\n` : `Warning: ${message}\n`;
}

interface Gvr {
  group: string;
  resource: string;
}

/** CanIOptions.resourceFor: the REST mapper's answer, or the argument itself after a warning. */
function resourceArg(k: Kctx, arg: string): Gvr & { known: boolean; namespaced: boolean } {
  if (arg === '*') return { group: '', resource: '*', known: false, namespaced: true };
  const lower = arg.toLowerCase();
  // schema.ParseResourceArg: `resource.version.group` when there are two dots, else `resource.group`
  const parts = lower.split('.');
  const candidates: string[] = [];
  if (parts.length >= 3) candidates.push(`${parts[0]}.${parts.slice(2).join('.')}`);
  candidates.push(lower);
  for (const c of candidates) {
    const info = resourceFor(c);
    if (info && isServed(info, k.store)) return { group: info.group, resource: info.plural, known: true, namespaced: info.namespaced };
  }
  const dot = lower.indexOf('.');
  const [res, grp] = dot >= 0 ? [lower.slice(0, dot), lower.slice(dot + 1)] : [lower, ''];
  if (!NON_STANDARD.has(grp ? `${res}.${grp}` : res)) printWarning(k, grp ? `the server doesn't have a resource type '${res}' in group '${grp}'\n` : `the server doesn't have a resource type '${res}'\n`);
  return { group: '', resource: arg, known: false, namespaced: true };
}

function runCanI(k: Kctx): CommandOutcome {
  const args = k.flags.positional.slice(1);
  const list = flagBool(k.flags, 'list');
  const quiet = flagBool(k.flags, 'quiet');
  const allNs = flagBool(k.flags, 'all-namespaces');
  const sub = flagString(k.flags, 'subresource') ?? '';
  const user = requestUser(k);
  if (list) {
    if (args.length !== 0) throw new KubectlError('error: list option must be specified with no arguments');
    if (quiet || allNs || sub) throw new KubectlError("error: list option can't be specified with neither quiet, all-namespaces nor subresource options");
    return accessList(k, user);
  }
  if (args.length !== 2) throw new KubectlError("error: you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubectl auth can-i -h' for help and examples.");
  const [verb, target] = args;
  const namespace = allNs ? '' : k.namespace;
  let decision;
  if (target.startsWith('/')) {
    if (sub) throw new KubectlError('error: --subresource can not be used with NonResourceURL');
    if (!NON_RESOURCE_URL_VERBS.has(verb)) printWarning(k, `verb '${verb}' is not a known verb\n`);
    if (flagBool(k.flags, 'no-headers')) throw new KubectlError('error: --no-headers cannot be set without --list specified');
    decision = authorize(k.store, user, { verb, path: target });
  } else {
    const slash = target.indexOf('/');
    const gvr = resourceArg(k, slash >= 0 ? target.slice(0, slash) : target);
    const name = slash >= 0 ? target.slice(slash + 1) : '';
    if (!allNs && gvr.known && !gvr.namespaced) printWarning(k, gvr.group ? `resource '${gvr.resource}' is not namespace scoped in group '${gvr.group}'\n` : `resource '${gvr.resource}' is not namespace scoped\n`);
    if (gvr.resource !== '' && !RESOURCE_VERBS.has(verb)) printWarning(k, `verb '${verb}' is not a known verb\n`);
    if (flagBool(k.flags, 'no-headers')) throw new KubectlError('error: --no-headers cannot be set without --list specified');
    decision = authorize(k.store, user, { verb, namespace, group: gvr.group, resource: gvr.resource, subresource: sub, name });
  }
  const out = decision.allowed ? 'yes\n' : `no${decision.reason ? ` - ${decision.reason}` : ''}\n`;
  return { stdout: quiet ? '' : out, stderr: '', exitCode: decision.allowed ? 0 : 1 };
}

/** RunAccessList + printStatus: the review's rules broken down, compacted, sorted, in a table. */
function accessList(k: Kctx, user: UserInfo): CommandOutcome {
  const review = rulesFor(k.store, user, k.namespace);
  if (review.incomplete) printWarning(k, `the list may be incomplete: ${review.evaluationError}`);
  const rules: PolicyRule[] = [...review.resourceRules, ...review.nonResourceRules];
  let text = flagBool(k.flags, 'no-headers') ? '' : 'Resources\tNon-Resource URLs\tResource Names\tVerbs\n';
  for (const r of printableRules(rules)) text += ruleCells(r) + '\n';
  return { stdout: tabwrite(text, TABLE_OPTS), stderr: '', exitCode: 0 };
}

/** whoami.go: a SelfSubjectReview's user, as a table (ATTRIBUTE, VALUE). */
function runWhoAmI(k: Kctx): CommandOutcome {
  const user = requestUser(k);
  const rows = [['ATTRIBUTE', 'VALUE'], ['Username', user.name], ['Groups', `[${user.groups.join(' ')}]`]];
  return { stdout: tabwrite(rows.map((r) => r.join('\t')).join('\n') + '\n', TABLE_OPTS), stderr: '', exitCode: 0 };
}

export function runAuth(k: Kctx): CommandOutcome {
  const sub = k.flags.positional[0];
  if (sub === 'whoami') return runWhoAmI(k);
  if (sub === 'can-i') return runCanI(k);
  if (sub === 'reconcile') throw new KubectlError('error: "kubectl auth reconcile" is not modeled by this simulated cluster');
  throw new KubectlError(`error: unknown command "${sub ?? ''}" for "kubectl auth"`);
}
