/**
 * Static validation of tasks.yaml: the shape of every task and check, before anything
 * runs. Each problem carries the YAML path it is at (`tasks[1].check.all[0].field`) so
 * the lesson checker can turn it into a file and line.
 */
import { RESOURCES, resourceFor } from '../cluster/resources';
import type { Task } from './types';
import { CHECK_KINDS } from './types';
import { parseSelector } from './query';
import { compileJsPattern } from '../patterns';

export interface Problem {
  /** Path inside the YAML document, e.g. ['tasks', 1, 'check', 'all', 0]. */
  path: (string | number)[];
  message: string;
}

/** A YAML mapping, its keys not yet checked. */
type YamlMap = Record<string, unknown>;
const isObj = (v: unknown): v is YamlMap => typeof v === 'object' && v !== null && !Array.isArray(v);

const TASK_KEYS = ['id', 'title', 'kind', 'question', 'hints', 'check', 'solution', 'challenge'];

export function validateTasksDoc(doc: unknown): { tasks: Task[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const p = (path: (string | number)[], message: string) => problems.push({ path, message });
  if (!isObj(doc)) {
    p([], 'tasks.yaml must be a mapping with a `tasks:` list');
    return { tasks: [], problems };
  }
  for (const k of Object.keys(doc)) if (k !== 'tasks') p([k], `unknown top-level key "${k}" (tasks.yaml holds only \`tasks:\`)`);
  const list = doc.tasks;
  if (!Array.isArray(list) || list.length === 0) {
    p(['tasks'], 'add at least one task under `tasks:`');
    return { tasks: [], problems };
  }
  const ids = new Map<string, number>();
  list.forEach((t, i) => {
    const at = ['tasks', i];
    if (!isObj(t)) return p(at, 'each task must be a mapping (id, title, kind, hints, check, solution)');
    for (const k of Object.keys(t)) if (!TASK_KEYS.includes(k)) p([...at, k], `unknown task key "${k}" (known: ${TASK_KEYS.join(', ')})`);
    if (typeof t.id !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(t.id)) {
      p([...at, 'id'], 'give the task an `id` of lowercase letters, digits and dashes (e.g. `create-service`)');
    } else if (ids.has(t.id)) {
      p([...at, 'id'], `task id "${t.id}" is used twice (also tasks[${ids.get(t.id)}]); ids must be unique within the lesson`);
    } else ids.set(t.id, i);
    if (typeof t.title !== 'string' || t.title.trim() === '') p([...at, 'title'], 'give the task a `title` (one sentence the learner sees)');
    if (t.kind !== 'do' && t.kind !== 'question') p([...at, 'kind'], '`kind` must be `do` or `question`');
    if (t.kind === 'question' && (typeof t.question !== 'string' || t.question.trim() === '')) {
      p([...at, 'question'], 'a question task needs `question:` — the text the learner answers');
    }
    if (!Array.isArray(t.hints) || t.hints.filter((h) => typeof h === 'string' && h.trim() !== '').length < 2) {
      p([...at, 'hints'], 'give at least two `hints:` (strings), from a gentle nudge to nearly the answer');
    }
    if (t.challenge !== undefined && typeof t.challenge !== 'boolean') p([...at, 'challenge'], '`challenge:` is `true` (the lesson\'s challenge: no Try button on the page solves it) or left out');
    if (t.check === undefined) p([...at], 'this task has no `check:` — add one (see docs/authoring.md, "The check API")');
    else validateCheck(t.check, [...at, 'check'], p, t.kind === 'question');
    if (t.kind === 'question' && t.check !== undefined && !containsAnswer(t.check)) {
      p([...at, 'check'], 'a question task must check the learner\'s answer: use `answer: { … }` with a value derived from the cluster');
    }
    if (!isObj(t.solution)) p([...at], 'this task has no `solution:` — add `solution: { commands: [...] }` (what a learner would type)');
    else {
      const s = t.solution;
      for (const k of Object.keys(s)) if (!['commands', 'files'].includes(k)) p([...at, 'solution', k], `unknown solution key "${k}" (known: commands, files)`);
      if (!Array.isArray(s.commands) || s.commands.some((c) => typeof c !== 'string')) {
        p([...at, 'solution', 'commands'], '`solution.commands` must be a list of command lines (use `[]` for a question task)');
      } else if (t.kind === 'do' && s.commands.length === 0 && !isObj(s.files)) {
        p([...at, 'solution', 'commands'], 'a `do` task\'s solution needs at least one command');
      }
      if (s.files !== undefined && (!isObj(s.files) || Object.values(s.files).some((v) => typeof v !== 'string'))) {
        p([...at, 'solution', 'files'], '`solution.files` maps a path (relative to ~) to the file\'s content');
      }
    }
  });
  // `done:` must name an earlier task.
  list.forEach((t, i) => {
    if (!isObj(t)) return;
    const refs: { id: string; path: (string | number)[] }[] = [];
    const walk = (c: unknown, at: (string | number)[]) => {
      if (!isObj(c)) return;
      if (typeof c.done === 'string') refs.push({ id: c.done, path: [...at, 'done'] });
      for (const k of ['all', 'any']) if (Array.isArray(c[k])) (c[k] as unknown[]).forEach((x, j) => walk(x, [...at, k, j]));
      if (isObj(c.not)) walk(c.not, [...at, 'not']);
    };
    walk(t.check, ['tasks', i, 'check']);
    for (const r of refs) {
      const j = ids.get(r.id);
      if (j === undefined) p(r.path, `\`done: ${r.id}\` names no task of this lesson (ids: ${[...ids.keys()].join(', ')})`);
      else if (j >= i) p(r.path, `\`done: ${r.id}\` must name an earlier task (tasks are done in order)`);
    }
  });
  return { tasks: problems.length ? [] : (list as Task[]), problems };
}

function containsAnswer(c: unknown): boolean {
  if (!isObj(c)) return false;
  if ('answer' in c || 'predict' in c) return true;
  for (const k of ['all', 'any']) if (Array.isArray(c[k])) return (c[k] as unknown[]).some(containsAnswer);
  return false;
}

function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length][b.length];
}

type Report = (path: (string | number)[], message: string) => void;

function validateKind(kind: unknown, at: (string | number)[], p: Report): void {
  if (typeof kind !== 'string') return p([...at, 'kind'], 'needs `kind:` (e.g. Service, Deployment, Pod)');
  if (!resourceFor(kind)) {
    const near = RESOURCES.map((r) => r.kind).find((k) => distance(k.toLowerCase(), kind.toLowerCase()) <= 2);
    p([...at, 'kind'], `unknown kind "${kind}"${near ? ` — did you mean ${near}?` : ''} (kinds: ${RESOURCES.map((r) => r.kind).join(', ')})`);
  }
}

function validateSelector(sel: unknown, at: (string | number)[], p: Report): void {
  if (sel === undefined) return;
  if (typeof sel !== 'string' && !isObj(sel)) return p(at, 'a selector is a string like `app=web` or a map of labels');
  try {
    parseSelector(sel as string);
  } catch (e) {
    p(at, (e as Error).message);
  }
}

function validateNumber(v: unknown, at: (string | number)[], p: Report, name: string): void {
  if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 0)) p(at, `\`${name}\` must be a whole number`);
}

function validateOrigin(o: unknown, at: (string | number)[], p: Report): void {
  if (!isObj(o)) return p(at, '`from:` names where the probe starts: `{ pod: NAME }`, `{ selector: app=x, namespace: N }`, `{ namespace: N }`, `{ node: NAME }` or `{ workstation: true }`');
  const keys = ['pod', 'selector', 'namespace', 'node', 'workstation', 'container'];
  for (const k of Object.keys(o)) if (!keys.includes(k)) p([...at, k], `unknown key "${k}" in from: (known: ${keys.join(', ')})`);
  if (!('pod' in o || 'selector' in o || 'namespace' in o || 'node' in o || 'workstation' in o)) p(at, '`from:` needs one of pod, selector, namespace, node, workstation');
  if ('selector' in o) validateSelector(o.selector, [...at, 'selector'], p);
}

function validateTarget(o: unknown, at: (string | number)[], p: Report): void {
  if (!isObj(o)) return p(at, '`to:` names where the probe goes: `{ service: NAME }`, `{ pod: NAME }`, `{ selector: app=x }` or `{ ip: 10.96.0.10 }`');
  const keys = ['service', 'pod', 'selector', 'ip', 'namespace'];
  for (const k of Object.keys(o)) if (!keys.includes(k)) p([...at, k], `unknown key "${k}" in to: (known: ${keys.join(', ')})`);
  if (!('service' in o || 'pod' in o || 'selector' in o || 'ip' in o)) p(at, '`to:` needs one of service, pod, selector, ip');
  if ('selector' in o) validateSelector(o.selector, [...at, 'selector'], p);
}

const DERIVED = ['field', 'count', 'endpoints', 'endpoint', 'probability', 'setting', 'resolve', 'resolvConf', 'veth', 'gateway', 'route', 'neighbor', 'ready', 'listener', 'proxyChain', 'ruleCount', 'cniConfig', 'value'];
const SETTINGS = ['cni', 'proxyMode', 'ipvsScheduler', 'clusterDomain', 'podCIDR', 'serviceCIDR', 'kubernetesVersion'];

function validateDerived(d: unknown, at: (string | number)[], p: Report, forAnswer: boolean): void {
  if (!isObj(d) || Object.keys(d).length !== 1) return p(at, `a derived value is one of: ${DERIVED.join(', ')} (e.g. \`field: { kind: Service, name: web, path: spec.clusterIP }\`)`);
  const [k] = Object.keys(d);
  const v = d[k];
  if (!DERIVED.includes(k)) return p([...at, k], `unknown derived value "${k}" (known: ${DERIVED.join(', ')})`);
  if (k === 'value') {
    if (forAnswer) p([...at, k], 'an answer must be derived from the cluster (field, count, endpoints, endpoint, probability, setting, resolve, resolvConf, veth, gateway, route, neighbor, ready, listener, proxyChain, ruleCount, cniConfig), never typed into the lesson');
    return;
  }
  if (!isObj(v)) return p([...at, k], `\`${k}\` takes a mapping`);
  if (k === 'field') {
    validateKind(v.kind, [...at, k], p);
    if (typeof v.name !== 'string') p([...at, k, 'name'], 'needs `name:`');
    if (typeof v.path !== 'string') p([...at, k, 'path'], 'needs `path:` (a dot path such as spec.clusterIP)');
  } else if (k === 'count') {
    validateKind(v.kind, [...at, k], p);
    validateSelector(v.selector, [...at, k, 'selector'], p);
  } else if (k === 'setting') {
    if (typeof v.name !== 'string' || !SETTINGS.includes(v.name)) p([...at, k, 'name'], `\`setting.name\` is one of ${SETTINGS.join(', ')}`);
  } else if (k === 'endpoints' || k === 'probability' || k === 'endpoint') {
    if (typeof v.service !== 'string') p([...at, k, 'service'], 'needs `service:` (the Service name)');
    if (k === 'probability') validateNumber(v.rule, [...at, k, 'rule'], p, 'rule');
  } else if (k === 'resolve') {
    if (typeof v.name !== 'string') p([...at, k, 'name'], 'needs `name:` (the DNS name)');
    validateOrigin(v.from, [...at, k, 'from'], p);
  } else if (k === 'resolvConf') {
    if (typeof v.pod !== 'string') p([...at, k, 'pod'], 'needs `pod:` (the Pod name)');
    if (!['nameserver', 'search', 'ndots'].includes(v.part as string)) p([...at, k, 'part'], '`part:` is nameserver, search or ndots');
  } else if (k === 'veth' || k === 'gateway' || k === 'route' || k === 'neighbor' || k === 'ready' || k === 'listener') {
    if (k === 'neighbor' && v.ip !== undefined && typeof v.ip !== 'string') p([...at, k, 'ip'], '`ip` is an address');
    if (k === 'listener') {
      validateNumber(v.port, [...at, k, 'port'], p, 'port');
      if (v.port === undefined) p([...at, k, 'port'], 'needs `port:` (the port number)');
      if (v.protocol !== undefined && v.protocol !== 'tcp' && v.protocol !== 'udp') p([...at, k, 'protocol'], '`protocol` is tcp or udp');
    }
    if (typeof v.pod !== 'string') p([...at, k, 'pod'], 'needs `pod:` (the Pod name)');
    if (v.namespace !== undefined && typeof v.namespace !== 'string') p([...at, k, 'namespace'], '`namespace` is a string');
    if (k === 'route' && typeof v.node !== 'string') p([...at, k, 'node'], 'needs `node:` (the node whose routing table is asked)');
    if (k === 'route' && v.part !== undefined && v.part !== 'dev' && v.part !== 'src') p([...at, k, 'part'], '`part:` is dev (the default) or src');
  } else if (k === 'proxyChain') {
    const keys = ['service', 'namespace', 'port', 'chain', 'node', 'ip'];
    for (const x of Object.keys(v)) if (!keys.includes(x)) p([...at, k, x], `unknown key "${x}" in proxyChain (known: ${keys.join(', ')})`);
    if (typeof v.service !== 'string') p([...at, k, 'service'], 'needs `service:` (the Service name)');
    if (!['service', 'external', 'endpoint'].includes(v.chain as string)) p([...at, k, 'chain'], '`chain:` is service, external or endpoint');
    if ((v.node !== undefined || v.ip !== undefined) && v.chain !== 'endpoint') p([...at, k], '`node:` and `ip:` only narrow `chain: endpoint`');
  } else if (k === 'ruleCount') {
    if (typeof v.node !== 'string') p([...at, k, 'node'], 'needs `node:` (the node whose rules are counted)');
    if (typeof v.chain !== 'string') p([...at, k, 'chain'], 'needs `chain:` (the chain name, as nft or iptables prints it)');
    if (v.table !== undefined && !['kube-proxy', 'nat', 'filter', 'mangle', 'raw'].includes(v.table as string)) p([...at, k, 'table'], '`table:` is kube-proxy (nftables, the default) or an iptables table: nat, filter, mangle, raw');
  } else if (k === 'cniConfig') {
    for (const x of Object.keys(v)) if (x !== 'node') p([...at, k, x], `unknown key "${x}" in cniConfig (known: node)`);
    if (typeof v.node !== 'string') p([...at, k, 'node'], 'needs `node:` (the node whose /etc/cni/net.d/ is read)');
  }
}

export function validateCheck(c: unknown, at: (string | number)[], p: Report, question = false): void {
  if (!isObj(c)) return p(at, `a check is a mapping with one key: ${CHECK_KINDS.join(', ')}`);
  const keys = Object.keys(c).filter((k) => k !== 'because');
  if (keys.length !== 1) return p(at, `a check has exactly one of ${CHECK_KINDS.join(', ')} (found ${keys.join(', ') || 'none'}); combine several with \`all:\``);
  const k = keys[0];
  const v = c[k];
  const here = [...at, k];
  if ('because' in c && k !== 'not') p([...at, 'because'], '`because:` only goes with `not:`');
  switch (k) {
    case 'all':
    case 'any':
      if (!Array.isArray(v) || v.length === 0) return p(here, `\`${k}:\` takes a non-empty list of checks`);
      v.forEach((x, i) => validateCheck(x, [...here, i], p, question));
      return;
    case 'not':
      return validateCheck(v, here, p, question);
    case 'exists':
      if (!isObj(v)) return p(here, '`exists:` takes `{ kind, name, namespace? }`');
      validateKind(v.kind, here, p);
      if (typeof v.name !== 'string') p([...here, 'name'], 'needs `name:`');
      return;
    case 'field': {
      if (!isObj(v)) return p(here, '`field:` takes `{ kind, name, namespace?, path, equals? | equalsDerived? | matches? | present? }`');
      validateKind(v.kind, here, p);
      if (typeof v.name !== 'string') p([...here, 'name'], 'needs `name:`');
      if (typeof v.path !== 'string') p([...here, 'path'], 'needs `path:` (a dot path such as spec.type or spec.ports[0].targetPort)');
      const cmp = ['equals', 'equalsDerived', 'matches', 'present'].filter((x) => x in v);
      if (cmp.length > 1) p(here, `use one of equals, equalsDerived, matches, present (found ${cmp.join(', ')})`);
      if ('equalsDerived' in v) validateDerived(v.equalsDerived, [...here, 'equalsDerived'], p, false);
      if (typeof v.matches === 'string') {
        try {
          compileJsPattern(v.matches);
        } catch (e) {
          p([...here, 'matches'], `not a valid regular expression: ${(e as Error).message}`);
        }
      }
      return;
    }
    case 'count':
      if (!isObj(v)) return p(here, '`count:` takes `{ kind, namespace?, selector?, equals? | atLeast? | atMost? }`');
      validateKind(v.kind, here, p);
      validateSelector(v.selector, [...here, 'selector'], p);
      for (const n of ['equals', 'atLeast', 'atMost']) validateNumber(v[n], [...here, n], p, n);
      if (!['equals', 'atLeast', 'atMost'].some((n) => n in v)) p(here, '`count:` needs equals, atLeast or atMost');
      return;
    case 'endpoints':
      if (!isObj(v)) return p(here, '`endpoints:` takes `{ service, namespace?, equals? | atLeast? | atMost?, port? }`');
      if (typeof v.service !== 'string') p([...here, 'service'], 'needs `service:` (the Service name)');
      for (const n of ['equals', 'atLeast', 'atMost', 'port']) validateNumber(v[n], [...here, n], p, n);
      return;
    case 'reach':
      if (!isObj(v)) return p(here, '`reach:` takes `{ from, to, port, protocol?, expect: allowed | blocked }`');
      validateOrigin(v.from, [...here, 'from'], p);
      validateTarget(v.to, [...here, 'to'], p);
      if (typeof v.port !== 'number') p([...here, 'port'], 'needs `port:` (a number)');
      if (v.protocol !== undefined && v.protocol !== 'tcp' && v.protocol !== 'udp') p([...here, 'protocol'], '`protocol` is tcp or udp');
      if (v.expect !== 'allowed' && v.expect !== 'blocked') p([...here, 'expect'], '`expect` is `allowed` or `blocked`');
      return;
    case 'dns':
      if (!isObj(v)) return p(here, '`dns:` takes `{ from, name, expect? }`');
      validateOrigin(v.from, [...here, 'from'], p);
      if (typeof v.name !== 'string') p([...here, 'name'], 'needs `name:` (the DNS name to look up)');
      if (v.expect !== undefined && v.expect !== 'resolves' && v.expect !== 'nxdomain') {
        if (!isObj(v.expect) || !('addresses' in v.expect)) p([...here, 'expect'], '`expect` is `resolves`, `nxdomain` or `{ addresses: … }`');
        else if (!Array.isArray(v.expect.addresses)) validateDerived(v.expect.addresses, [...here, 'expect', 'addresses'], p, false);
      }
      return;
    case 'http':
      if (!isObj(v)) return p(here, '`http:` takes `{ from, url, host?, status?, body? }`');
      for (const key of Object.keys(v)) if (!['from', 'url', 'host', 'status', 'body'].includes(key)) p([...here, key], `unknown key "${key}" in http: (known: from, url, host, status, body)`);
      validateOrigin(v.from, [...here, 'from'], p);
      if (typeof v.url !== 'string' || !/^https?:\/\/[^/\s]+/.test(v.url)) p([...here, 'url'], 'needs `url:` (http://NAME-OR-ADDRESS/PATH, as curl takes it)');
      if (v.host !== undefined && typeof v.host !== 'string') p([...here, 'host'], '`host` is the Host header to send, e.g. shop.example.com');
      validateNumber(v.status, [...here, 'status'], p, 'status');
      if (v.body !== undefined) {
        try {
          compileJsPattern(String(v.body));
        } catch (e) {
          p([...here, 'body'], `not a valid regular expression: ${(e as Error).message}`);
        }
      }
      return;
    case 'history':
      return validateHistory(v, here, p);
    case 'done':
      if (typeof v !== 'string') return p(here, '`done:` takes the id of another task of this lesson');
      return;
    case 'answer':
      if (!question) p(here, '`answer:` checks belong to `kind: question` tasks');
      return validateDerived(v, here, p, true);
    case 'predict':
      if (!question) p(here, '`predict:` checks belong to `kind: question` tasks');
      if (!isObj(v) || !('answer' in v) || !isObj(v.then)) return p(here, '`predict:` takes `{ answer: DERIVED, then: { pattern, what?, on?, succeeded? } }`: the value the cluster will show, and the command that shows it');
      for (const key of Object.keys(v)) if (!['answer', 'then'].includes(key)) p([...here, key], `unknown key "${key}" in predict: (known: answer, then)`);
      validateDerived(v.answer, [...here, 'answer'], p, true);
      return validateHistory(v.then, [...here, 'then'], p);
    default:
      {
        const near = CHECK_KINDS.find((c) => distance(c, k) <= 2);
        p(here, `unknown check "${k}"${near ? ` — did you mean ${near}?` : ''} (known: ${CHECK_KINDS.join(', ')})`);
      }
  }
}

/** A `history:` check's body (also `predict.then`). */
function validateHistory(v: unknown, here: (string | number)[], p: Report): void {
  if (!isObj(v) || typeof v.pattern !== 'string') return p(here, '`history:` takes `{ pattern: REGEX, succeeded?, on?, to?, what? }`');
  for (const key of Object.keys(v)) if (!['pattern', 'succeeded', 'on', 'to', 'what'].includes(key)) p([...here, key], `unknown key "${key}" in history: (known: pattern, succeeded, on, to, what)`);
  if (v.to !== undefined) validateTarget(v.to, [...here, 'to'], p);
  try {
    compileJsPattern(v.pattern);
  } catch (e) {
    p([...here, 'pattern'], `not a valid regular expression: ${(e as Error).message}`);
  }
}
