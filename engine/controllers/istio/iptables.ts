/**
 * The nat table istio-init leaves in an injected Pod's network namespace: istio-iptables
 * (tools/istio-iptables/pkg/capture/run.go at 1.24.2, REDIRECT mode, DNS capture off) run
 * with the arguments the injector wrote into the Pod's istio-init container — so an
 * annotation such as traffic.sidecar.istio.io/excludeOutboundPorts changes the rules.
 *
 *   PREROUTING -p tcp → ISTIO_INBOUND: the tunnel port 15008 and the excluded inbound ports
 *     (15090, 15021, 15020) RETURN, everything else → ISTIO_IN_REDIRECT → REDIRECT :15006
 *   OUTPUT -p tcp → ISTIO_OUTPUT: Envoy's own traffic (uid/gid 1337) and loopback RETURN,
 *     the rest → ISTIO_REDIRECT → REDIRECT :15001
 */
import type { KubeObject } from '../../cluster/types';
import { NodeNetfilter } from '../../dataplane/netfilter/tables';
import { parseRuleSpec } from '../../dataplane/netfilter/rule';

export interface CaptureConfig {
  proxyPort: string;
  inboundCapturePort: string;
  uids: string[];
  gids: string[];
  mode: string;
  outboundIpRangesInclude: string;
  outboundIpRangesExclude: string;
  inboundPortsInclude: string;
  inboundPortsExclude: string;
  outboundPortsExclude: string;
  inboundTunnelPort: string;
}

/** istio-iptables' flags (tools/istio-iptables/pkg/cmd/root.go), with its defaults. */
export function parseCaptureArgs(args: string[]): CaptureConfig {
  const cfg: CaptureConfig = {
    proxyPort: '15001', inboundCapturePort: '15006', uids: ['1337'], gids: [], mode: 'REDIRECT',
    outboundIpRangesInclude: '', outboundIpRangesExclude: '', inboundPortsInclude: '', inboundPortsExclude: '',
    outboundPortsExclude: '', inboundTunnelPort: '15008',
  };
  for (let i = 0; i < args.length; i++) {
    const v = args[i + 1] ?? '';
    switch (args[i]) {
      case '-p': cfg.proxyPort = v; i++; break;
      case '-z': cfg.inboundCapturePort = v; i++; break;
      case '-u': cfg.uids = v.split(',').filter(Boolean); i++; break;
      case '-g': cfg.gids = v.split(',').filter(Boolean); i++; break;
      case '-m': cfg.mode = v; i++; break;
      case '-i': cfg.outboundIpRangesInclude = v; i++; break;
      case '-x': cfg.outboundIpRangesExclude = v; i++; break;
      case '-b': cfg.inboundPortsInclude = v; i++; break;
      case '-d': cfg.inboundPortsExclude = v; i++; break;
      case '-o': cfg.outboundPortsExclude = v; i++; break;
    }
  }
  // root.go: the proxy's group defaults to its user
  if (!cfg.gids.length) cfg.gids = [...cfg.uids];
  return cfg;
}

const split = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);

/** The istio-init container of a Pod, if it was injected. */
export function istioInit(pod: KubeObject): { args?: string[] } | undefined {
  return (pod.spec?.initContainers ?? []).find((c: { name: string }) => c.name === 'istio-init');
}

/** One rule istio-iptables' builder appends (builder/iptables_builder_impl.go AppendRule): its chain and the rest of its spec. */
export interface CaptureRule {
  chain: string;
  spec: string[];
}

/**
 * istio-iptables' REDIRECT-mode rule builder (capture/run.go Run at 1.24.2), IPv4, nat table:
 * the rules in the order it appends them. Both the Pod's tables and the iptables-restore
 * input istio-init logs are derived from this one list.
 */
export function captureRules(cfg: CaptureConfig): CaptureRule[] {
  const rules: CaptureRule[] = [];
  const add = (chain: string, ...spec: string[]) => rules.push({ chain, spec });
  add('ISTIO_INBOUND', '-p', 'tcp', '--dport', cfg.inboundTunnelPort, '-j', 'RETURN');
  add('ISTIO_REDIRECT', '-p', 'tcp', '-j', 'REDIRECT', '--to-ports', cfg.proxyPort);
  add('ISTIO_IN_REDIRECT', '-p', 'tcp', '-j', 'REDIRECT', '--to-ports', cfg.inboundCapturePort);
  if (cfg.inboundPortsInclude) {
    add('PREROUTING', '-p', 'tcp', '-j', 'ISTIO_INBOUND');
    if (cfg.inboundPortsInclude === '*') {
      for (const port of split(cfg.inboundPortsExclude)) add('ISTIO_INBOUND', '-p', 'tcp', '--dport', port, '-j', 'RETURN');
      add('ISTIO_INBOUND', '-p', 'tcp', '-j', 'ISTIO_IN_REDIRECT');
    } else {
      for (const port of split(cfg.inboundPortsInclude)) add('ISTIO_INBOUND', '-p', 'tcp', '--dport', port, '-j', 'ISTIO_IN_REDIRECT');
    }
  }
  add('OUTPUT', '-p', 'tcp', '-j', 'ISTIO_OUTPUT');
  for (const port of split(cfg.outboundPortsExclude)) add('ISTIO_OUTPUT', '-p', 'tcp', '--dport', port, '-j', 'RETURN');
  add('ISTIO_OUTPUT', '-o', 'lo', '-s', '127.0.0.6/32', '-j', 'RETURN');
  for (const uid of cfg.uids) {
    add('ISTIO_OUTPUT', '-o', 'lo', '!', '-d', '127.0.0.1/32', '-p', 'tcp', '!', '--dport', cfg.inboundTunnelPort, '-m', 'owner', '--uid-owner', uid, '-j', 'ISTIO_IN_REDIRECT');
    add('ISTIO_OUTPUT', '-o', 'lo', '-m', 'owner', '!', '--uid-owner', uid, '-j', 'RETURN');
    add('ISTIO_OUTPUT', '-m', 'owner', '--uid-owner', uid, '-j', 'RETURN');
  }
  for (const gid of cfg.gids) {
    add('ISTIO_OUTPUT', '-o', 'lo', '!', '-d', '127.0.0.1/32', '-p', 'tcp', '!', '--dport', cfg.inboundTunnelPort, '-m', 'owner', '--gid-owner', gid, '-j', 'ISTIO_IN_REDIRECT');
    add('ISTIO_OUTPUT', '-o', 'lo', '-m', 'owner', '!', '--gid-owner', gid, '-j', 'RETURN');
    add('ISTIO_OUTPUT', '-m', 'owner', '--gid-owner', gid, '-j', 'RETURN');
  }
  add('ISTIO_OUTPUT', '-d', '127.0.0.1/32', '-j', 'RETURN');
  for (const cidr of split(cfg.outboundIpRangesExclude)) add('ISTIO_OUTPUT', '-d', cidr, '-j', 'RETURN');
  if (cfg.outboundIpRangesInclude === '*') add('ISTIO_OUTPUT', '-j', 'ISTIO_REDIRECT');
  else for (const cidr of split(cfg.outboundIpRangesInclude)) add('ISTIO_OUTPUT', '-d', cidr, '-j', 'ISTIO_REDIRECT');
  return rules;
}

/** constants.BuiltInChainsMap: chains and targets never declared with -N. */
const BUILTIN_CHAINS_MAP = ['INPUT', 'OUTPUT', 'FORWARD', 'PREROUTING', 'POSTROUTING', 'ACCEPT', 'RETURN', 'DROP'];

/**
 * The iptables-restore input istio-iptables feeds (builder buildRestore and
 * constructIptablesRestoreContents at 1.24.2): `* nat`, a `-N` for each non-built-in chain in
 * the order its first rule was appended, then for each jump target not yet named, every rule
 * as `-A CHAIN …` in append order, `COMMIT`. Empty when there are no rules (the IPv6 pass).
 */
export function restoreInput(rules: CaptureRule[]): string {
  if (!rules.length) return '';
  const seen = new Set<string>();
  const out: string[] = ['* nat'];
  const declare = (chain: string) => {
    if (seen.has(chain)) return;
    seen.add(chain);
    if (!BUILTIN_CHAINS_MAP.includes(chain)) out.push(`-N ${chain}`);
  };
  for (const r of rules) declare(r.chain);
  for (const r of rules) if (r.spec.length >= 2 && r.spec[r.spec.length - 2] === '-j') declare(r.spec[r.spec.length - 1]);
  for (const r of rules) out.push(['-A', r.chain, ...r.spec].join(' '));
  out.push('COMMIT');
  return out.join('\n') + '\n';
}

/** Runs istio-iptables' REDIRECT-mode rule builder; returns the Pod namespace's tables. */
export function captureTables(cfg: CaptureConfig): NodeNetfilter {
  const nf = new NodeNetfilter('pod');
  const nat = nf.table('nat');
  for (const r of captureRules(cfg)) {
    let c = nat.get(r.chain);
    if (!c) {
      c = { name: r.chain, rules: [] };
      nat.set(r.chain, c);
    }
    c.rules.push(parseRuleSpec(r.spec));
  }
  return nf;
}

/** The Pod's own netfilter tables: istio-init's rules if it ran, otherwise none (a fresh network namespace). */
export function podNetfilter(pod: KubeObject): NodeNetfilter {
  const init = istioInit(pod);
  if (!init) return new NodeNetfilter('pod');
  return captureTables(parseCaptureArgs(init.args ?? []));
}

/** Ports the Pod's inbound capture leaves alone (istio-iptables -d), and whether it captures inbound at all. */
export function inboundCaptured(pod: KubeObject, port: number): boolean {
  const init = istioInit(pod);
  if (!init) return false;
  const cfg = parseCaptureArgs(init.args ?? []);
  if (!cfg.inboundPortsInclude) return false;
  if (String(port) === cfg.inboundTunnelPort) return false;
  if (cfg.inboundPortsInclude === '*') return !split(cfg.inboundPortsExclude).includes(String(port));
  return split(cfg.inboundPortsInclude).includes(String(port));
}

/** Does the Pod's OUTPUT capture send this (app-originated) TCP connection to Envoy's 15001? */
export function outboundCaptured(pod: KubeObject, port: number): boolean {
  const init = istioInit(pod);
  if (!init) return false;
  const cfg = parseCaptureArgs(init.args ?? []);
  if (split(cfg.outboundPortsExclude).includes(String(port))) return false;
  return cfg.outboundIpRangesInclude !== '';
}
