/**
 * `cilium-dbg` (also installed as `cilium`) in the cilium-agent container: the agent's
 * debug CLI talking to its own agent over the local API socket, so every answer is about
 * the node the agent pod runs on (`kubectl -n kube-system exec ds/cilium -- cilium-dbg …`).
 *
 * Subcommands (cilium/cilium v1.18 cilium-dbg/cmd): `status [--verbose|--brief]`,
 * `service list`, `bpf lb list`, `endpoint list [--no-headers]`, `identity list`,
 * `policy get [<labels>]` (controllers/cilium/policy-repo.ts), `monitor` (./monitor.ts).
 * Cobra's errors for unknown commands and flags (with its "Did you mean this?"
 * suggestions, Levenshtein distance ≤ 2), exit status 1; a command group given an
 * unknown subcommand prints its help, as cobra does for a command without Run. Not
 * modelled: `-o json|jsonpath` (refused with a note), the usage text cobra prints after an
 * unknown flag, the subcommands' own `--help` (the root's help is printed).
 */
import type { CommandContext, CommandSpec } from '../../shell/command';
import type { CommandOutcome, RunResult } from '../../types';
import type { ClusterRuntime } from '../../controllers/runtime';
import { fail, ok } from '../../types';
import { agentNode, CILIUM_VERSION, endpoints, identities, proxyRedirects, routerIp, serviceMaps, clusterIpMaps } from '../../controllers/cilium/agent';
import { repositoryRules } from '../../controllers/cilium/policy-repo';
import { runMonitor } from './monitor';
import { bpfLbList, endpointList, identityList, policyGet, serviceList, status } from '../../printers/cilium';
import { podInfo } from '../../dataplane/topology';
import { FLOW_BUFFER_CAPACITY, HubbleFlows } from '../../dataplane/flows';

const ROOT = 'cilium-dbg';

interface Sub {
  path: string[];
  aliases?: Record<string, string>;
  flags: string[];
  /** Positional arguments after the command's path. */
  args?: 'none' | 'any';
  run(rt: ClusterRuntime, node: string, flags: Set<string>, args: string[]): RunResult;
}

/** The node's Hubble observer as the agent reports it (the same ring `hubble observe` and `hubble status` read). */
function hubbleObserver(rt: ClusterRuntime, node: string) {
  const hub = rt.flows;
  if (!(hub instanceof HubbleFlows)) return undefined;
  const agentPod = rt.store.list('Pod', 'kube-system').find((p) => p.metadata.labels?.['k8s-app'] === 'cilium' && p.spec?.nodeName === node);
  const started = Date.parse(agentPod?.status?.startTime ?? '') || rt.clock.now();
  return { currentFlows: hub.flows(node).length, maxFlows: FLOW_BUFFER_CAPACITY, seenFlows: hub.seenOn(node), uptimeSec: Math.max(0, rt.clock.now() - started) / 1000 };
}

function lbFrontends(rt: ClusterRuntime, node: string) {
  return serviceMaps(rt, node)?.frontends ?? clusterIpMaps(rt, node).frontends;
}

const SUBS: Sub[] = [
  {
    path: ['status'],
    flags: ['--verbose', '--brief', '--all-addresses', '--all-controllers', '--all-nodes', '--all-redirects', '--all-clusters', '--all-health'],
    run: (rt, node, flags) => {
      if (flags.has('--brief')) return ok('OK\n');
      const n = rt.settings.nodes.find((x) => x.name === node);
      const nodeObj = rt.store.get('Node', undefined, node);
      const cidr = (nodeObj?.spec?.podCIDR as string | undefined) ?? n?.podCIDR ?? '';
      const pods = rt.store.list('Pod').map((o) => podInfo(o)).filter((p) => p.node === node && !p.hostNetwork && p.ip);
      const eps = endpoints(rt, node);
      const prefix = Number(cidr.split('/')[1] ?? 24);
      return ok(status({
        kubernetesVersion: rt.settings.kubernetesVersion,
        kubeProxyReplacement: !!rt.settings.kubeProxyReplacement,
        device: { name: 'eth0', ip: n?.ip ?? '' },
        version: CILIUM_VERSION,
        cpus: 2,
        ipam: { used: pods.length + 1, total: 2 ** (32 - prefix) - 2, cidr, allocations: [...(cidr ? [[routerIp(cidr), 'router'] as [string, string]] : []), ...pods.map((p) => [p.ip, `${p.namespace}/${p.name}`] as [string, string])] },
        // the agent's controllers: a fixed set per agent, and a handful per endpoint
        controllers: 18 + 5 * eps.length,
        proxy: { ip: cidr ? routerIp(cidr) : '', redirects: proxyRedirects(rt, node) },
        nodes: { reachable: rt.settings.nodes.length, total: rt.settings.nodes.length },
        probedAt: new Date(rt.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        hubble: hubbleObserver(rt, node),
      }, flags.has('--verbose')));
    },
  },
  { path: ['service', 'list'], aliases: { ls: 'list' }, flags: ['--clustermesh-affinity'], run: (rt, node) => ok(serviceList(lbFrontends(rt, node))) },
  { path: ['bpf', 'lb', 'list'], aliases: { ls: 'list' }, flags: [], run: (rt, node) => ok(bpfLbList(lbFrontends(rt, node))) },
  { path: ['endpoint', 'list'], aliases: { ls: 'list' }, flags: ['--no-headers'], run: (rt, node, flags) => ok(endpointList(endpoints(rt, node), flags.has('--no-headers'))) },
  { path: ['identity', 'list'], aliases: { ls: 'list' }, flags: [], run: (rt) => ok(identityList(identities(rt))) },
  {
    // policy_get.go: `get [<labels>]`; GET /policy?labels=… answers 404 when labels match no rule
    path: ['policy', 'get'],
    flags: [],
    args: 'any',
    run: (rt, _node, _flags, labels) => {
      const { rules, revision } = repositoryRules(rt, labels);
      if (labels.length && rules.length === 0) return fail('Error: Cannot get policy: [GET /policy][404] getPolicyNotFound\n\n', 1);
      return ok(policyGet(rules, revision));
    },
  },
];

function levenshtein(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length][b.length];
}

/** cobra's `unknown command` error with its suggestions. */
function unknownCommand(word: string, parent: string, known: string[]): RunResult {
  const near = [...new Set(known)].filter((k) => levenshtein(word, k) <= 2 || k.startsWith(word)).sort();
  const hint = near.length ? `\n\nDid you mean this?\n${near.map((n) => `\t${n}\n`).join('')}` : '';
  const err = `unknown command "${word}" for "${parent}"${hint}`;
  // cobra prints the error and the hint on stderr; cilium-dbg's Execute() prints the error again on stdout (fmt.Println(err))
  return { stdout: `${err}\n`, stderr: `Error: ${err}\nRun '${parent} --help' for usage.\n`, exitCode: 1 };
}

const SHORT: Record<string, string> = {
  status: 'Display status of daemon',
  service: 'Manage services & loadbalancers',
  'service list': 'List services',
  bpf: 'Direct access to local BPF maps',
  'bpf lb': 'Load-balancing configuration',
  'bpf lb list': 'List load-balancing configuration',
  endpoint: 'Manage endpoints',
  'endpoint list': 'List all endpoints',
  identity: 'Manage security identities',
  'identity list': 'List identities',
  policy: 'Manage security policies',
  'policy get': 'Display policy node information (deprecated)',
  monitor: 'Display BPF program events',
};

/** The help of a command group, with the subcommands this agent answers. */
function groupHelp(path: string[]): string {
  const key = path.join(' ');
  const subs = [...new Set(SUBS.filter((s) => s.path.slice(0, path.length).join(' ') === key && s.path.length > path.length).map((s) => s.path[path.length]))].sort();
  const w = Math.max(...subs.map((x) => x.length), 10) + 1;
  return `${SHORT[key] ?? ''}\n\nUsage:\n  ${ROOT} ${key} [command]\n\nAvailable Commands:\n${subs.map((x) => `  ${x.padEnd(w)}${SHORT[`${key} ${x}`] ?? ''}\n`).join('')}\nUse "${ROOT} ${key} [command] --help" for more information about a command.\n`;
}

const HELP = `CLI for interacting with the local Cilium Agent

Usage:
  cilium-dbg [command]

Available Commands:
  bpf         Direct access to local BPF maps
  endpoint    Manage endpoints
  identity    Manage security identities
  monitor     Display BPF program events
  policy      Manage security policies
  service     Manage services & loadbalancers
  status      Display status of daemon

Use "cilium-dbg [command] --help" for more information about a command.
`;

export function runCiliumDbg(args: string[], ctx: CommandContext): CommandOutcome {
  const h = ctx.host;
  const node = h.kind === 'pod' ? agentNode(ctx.cluster, h.namespace, h.pod) : undefined;
  if (!node) return fail('Error: Cannot get status/probe: Get "http://localhost/v1/healthz": dial unix /var/run/cilium/cilium.sock: connect: no such file or directory\nIs the agent running?\n', 1);
  const words = args.filter((a) => !a.startsWith('-'));
  const flags = new Set(args.filter((a) => a.startsWith('-')));
  if (words.length === 0 || flags.has('-h') || flags.has('--help')) return ok(HELP);
  const first = words[0];
  // monitor parses its own flags (some take values) and streams
  if (first === 'monitor' && args[0] === 'monitor') return runMonitor(ctx.cluster, node, args.slice(1));
  const candidates = SUBS.filter((s) => s.path[0] === first);
  if (candidates.length === 0) return unknownCommand(first, ROOT, [...SUBS.map((s) => s.path[0]), 'monitor']);
  for (const sub of candidates) {
    const rest = words.slice(1).map((w, i) => (i === sub.path.length - 2 ? sub.aliases?.[w] ?? w : w));
    const want = sub.path.slice(1);
    let matched = true;
    for (let i = 0; i < want.length; i++) {
      if (rest[i] === want[i]) continue;
      matched = false;
      // a command without Run (service, bpf lb…) answers anything else with its help (cobra: flag.ErrHelp)
      return ok(groupHelp(sub.path.slice(0, i + 1)));
    }
    if (!matched) continue;
    for (const f of flags) {
      const name = f.split('=')[0];
      if (name === '-o' || name === '--output') return fail(`${ROOT}: ${name} (JSON and jsonpath output) is not modeled by this simulated cluster; the table form is\n`, 1);
      if (!sub.flags.includes(name)) return fail(`Error: unknown flag: ${name}\n`, 1);
    }
    // cobra's legacyArgs: a leaf command without an Args check takes (and here ignores) extra words
    const extra = sub.args === 'any' ? words.slice(sub.path.length) : [];
    return sub.run(ctx.cluster, node, flags, extra);
  }
  return unknownCommand(first, ROOT, [...SUBS.map((s) => s.path[0]), 'monitor']);
}

export const ciliumDbgCommand: CommandSpec = { name: 'cilium-dbg', summary: "the Cilium agent's debug CLI: status, services, endpoints, identities, policy, monitor", run: runCiliumDbg };
export const ciliumCommand: CommandSpec = { name: 'cilium', summary: 'cilium-dbg, under its older name in the agent image', run: runCiliumDbg };
