/**
 * What one run of a container probe gives (the kubelet's prober, pkg/kubelet/prober/prober.go
 * runProbe over pkg/probe/{exec,http,tcp,grpc}, Kubernetes v1.34), and the container's own
 * shell script as it runs on the clock.
 *
 * A probe's outcome is evaluated from the simulated state at the moment it runs:
 *  - exec: the command runs in the container against the Pod's filesystem (hosts/vfs), so a
 *    file the container's script or a learner's `kubectl exec` removed fails `cat`. The
 *    commands modelled are the ones probes use (`cat`, `test`/`[`, `ls`, `true`, `false`,
 *    `exit N`, `echo`, chained with `;`, `&&`, `||` under `sh -c`); their output is the
 *    image's tool's (busybox's `cat: can't open 'x': …`, coreutils' `cat: x: …`), and
 *    pkg/probe/exec/exec.go reports it whole (CombinedOutput). Any other command is not
 *    modelled and passes.
 *  - httpGet: the request the kubelet sends (kube-probe/1.34) answered by the app model
 *    (dataplane/apps.ts); pkg/probe/http/http.go fails a status outside 200–399 with
 *    "HTTP probe failed with statuscode: %d", a refused port with Go's dial error, and an
 *    address nobody answers with the client's timeout. With `host:` the kubelet's
 *    connection is walked from the Pod's node (its resolver, kube-proxy's rules,
 *    NetworkPolicy at the far end) and answered by whatever accepts it.
 *  - tcpSocket: pkg/probe/tcp/tcp.go's dial error for a closed port (with `host:`, walked
 *    as httpGet's).
 *  - grpc: pkg/probe/grpc/grpc.go; no server the catalogue models speaks the gRPC health
 *    protocol, so on a fully modelled Pod the dial (grpc.WithBlock) never gets a ready
 *    HTTP/2 transport and runs into the probe's timeout.
 * `changesAt`: when an outcome that depends only on time will next be different (agnhost
 * liveness turns unhealthy 10 s after it started), so the kubelet probes again then instead
 * of every period.
 */
import type { Cluster } from '../cluster/cluster';
import type { Container, Pod, Probe } from '../cluster/types';
import { imageProfile, servedPorts } from '../hosts/images';
import { resolvePath } from '../hosts/vfs';
import { containerListeners, listenerOn, nodeListeners, serveHttp, serverRefFor, type HttpRequest, type ServerRef } from '../dataplane/apps';
import { podInfo } from '../dataplane/topology';
import { connect, dryRun, type ConnectResult } from '../dataplane/walk';
import { KUBERNETES_VERSION } from '../cluster/release';
import type { NetCluster } from '../dataplane/ports';

export type ProbeKind = 'Readiness' | 'Liveness' | 'Startup';

export interface ProbeOutcome {
  /** The output after "%s probe failed: " when the probe fails now; undefined when it passes. */
  fail?: string;
  /** When the outcome changes by itself (ms), if it will. */
  changesAt?: number;
  /** An exec probe running something this model does not run (it passes). */
  unknown?: boolean;
}

/** Application images whose every socket the image catalogue knows (hosts/images.ts): a port they do not serve is closed. */
const FULLY_MODELLED_APPS = new Set(['nginx', 'httpd', 'http-echo', 'ealen-echo', 'jmalloc-echo', 'echo-basic', 'echoserver', 'netexec', 'serve-hostname', 'json-api', 'agnhost-liveness', 'grpc-health']);

/** The probe's outcome now (`at`), as the kubelet's prober would see it. */
export function probeOutcome(cluster: Cluster, probe: Probe, pod: Pod, c: Container, at: number): ProbeOutcome {
  if (probe.exec) return execProbe(cluster, probe.exec.command ?? [], pod, c);
  const podIP = pod.status?.podIP ?? '';
  if (probe.grpc) return grpcProbe(probe, pod, at);
  const host = probe.httpGet?.host || probe.tcpSocket?.host || podIP;
  if (probe.httpGet && host !== podIP) return httpElsewhere(cluster, probe, host, pod, at);
  if (probe.tcpSocket && host !== podIP) return tcpElsewhere(cluster, probe, host, pod, at);
  const refused = probeRefused(probe, pod, c);
  if (refused !== undefined) {
    const dial = `dial tcp ${joinHostPort(host, refused)}: connect: connection refused`;
    return { fail: probe.httpGet ? `Get "http://${joinHostPort(host, refused)}${probe.httpGet.path ?? '/'}": ${dial}` : dial };
  }
  if (!probe.httpGet) return {};
  const r = httpProbeStatus(cluster, probe, pod, c, host);
  if (!r) return {};
  const fail = r.status < 200 || r.status >= 400 ? `HTTP probe failed with statuscode: ${r.status}` : undefined;
  return { fail, changesAt: r.changesAt !== undefined && r.changesAt > at ? r.changesAt : undefined };
}

/**
 * pkg/probe/grpc/grpc.go against the Pod's address: agnhost grpc-health-checking answers
 * Check (SERVING; NOT_SERVING once --delay-unhealthy-sec has passed; NotFound for another
 * service name); any other server, or a closed port, never gives grpc.DialContext (WithBlock)
 * a ready transport, so the dial runs into the probe's timeout.
 */
function grpcProbe(probe: Probe, pod: Pod, at: number): ProbeOutcome {
  const port = probe.grpc!.port;
  const podIP = pod.status?.podIP ?? '';
  if (!fullyModelled(pod)) return {};
  for (const x of pod.spec.containers) {
    const l = containerListeners(x).find((y) => y.port === port && y.proto === 'tcp' && y.app === 'grpc-health');
    if (!l) continue;
    if ((probe.grpc!.service ?? '') !== (l.params?.service ?? '')) return { fail: 'error: health rpc probe failed: rpc error: code = NotFound desc = unknown service' };
    const delay = Number(l.params?.delay ?? -1);
    const started = Date.parse((pod.status?.containerStatuses ?? []).find((s) => s.name === x.name)?.state?.running?.startedAt ?? '');
    if (delay < 0 || !Number.isFinite(started)) return {};
    const turns = started + delay * 1000;
    return at >= turns ? { fail: 'service unhealthy (responded with "NOT_SERVING")' } : { changesAt: turns };
  }
  return { fail: `timeout: failed to connect service "${joinHostPort(podIP, port)}" within ${probe.timeoutSeconds ?? 1}s: context deadline exceeded` };
}

/**
 * A probe walked to another address depends on what lies between (NetworkPolicy, the
 * Service's endpoints, the Pod that answers), which can change at any time: passing, it
 * runs again at the next period, as the worker's ticker would. (A probe to the node's own
 * loopback or address — the static Pods' — is left to its node's listeners, as before.)
 */
function everyPeriod(o: ProbeOutcome, at: number): ProbeOutcome {
  return o.fail === undefined ? { ...o, changesAt: at + 1 } : o;
}

function joinHostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function fullyModelled(pod: Pod): boolean {
  const served = pod.spec.containers.flatMap((x) => servedPorts(x));
  return served.length > 0 && served.every((p) => FULLY_MODELLED_APPS.has(p.app));
}

/**
 * An httpGet whose `host` names another address: the kubelet's client (pkg/probe/http/http.go,
 * v1.34) dials it from the node it runs on, so the connection is walked from that node as
 * any of the node's own connections (dataplane/walk.ts connect, in dryRun: a probe leaves no
 * trace, conntrack entry or Hubble flow): a name resolves through the node's resolver, a
 * ClusterIP is translated by kube-proxy's rules, a NetworkPolicy on another node's Pod
 * applies. The app that accepts answers the GET; the errors are Go's as http.go passes them
 * on (`Get "<url>": <err>`): a dropped SYN runs into the client's timeout ("context deadline
 * exceeded (Client.Timeout exceeded while awaiting headers)"), an RST is
 * "dial tcp <addr>: connect: connection refused".
 */
function httpElsewhere(cluster: Cluster, probe: Probe, host: string, self: Pod, at: number): ProbeOutcome {
  const get = probe.httpGet!;
  const port = typeof get.port === 'number' ? get.port : /^\d+$/.test(get.port) ? Number(get.port) : undefined;
  if (port === undefined) return {};
  const scheme = (get.scheme ?? 'HTTP').toLowerCase();
  const url = `${scheme}://${joinHostPort(host, port)}${get.path ?? '/'}`;
  const node = onNodePort(cluster, self, host, port);
  if (node !== undefined) return node ? {} : { fail: `Get "${url}": dial tcp ${joinHostPort(host, port)}: connect: connection refused` };
  const r = dialFromNode(cluster, self, host, port);
  if (!r) return {};
  return everyPeriod(httpAnswer(cluster, get, url, host, port, r), at);
}

/** What the kubelet's GET over the walked connection `r` gives. */
function httpAnswer(cluster: Cluster, get: NonNullable<Probe['httpGet']>, url: string, host: string, port: number, r: ConnectResult): ProbeOutcome {
  const scheme = url.slice(0, url.indexOf(':'));
  if (r.outcome === 'timeout') return { fail: `Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)` };
  if (r.outcome !== 'delivered') {
    const err = dialError(r, host, port);
    return err ? { fail: `Get "${url}": ${err}` } : {};
  }
  const srv = r.server;
  if (scheme !== 'http' || !srv) return {};
  const net = cluster as NetCluster;
  const ref = serverRefFor(net, srv.host as { kind: string; namespace?: string; pod?: string; node?: string; ip?: string });
  const l = ref ? listenerOn(net, ref, srv.port, 'tcp', srv.ip) : undefined;
  if (!ref || !l || l.tls || (ref.kind === 'pod' && !FULLY_MODELLED_APPS.has(l.app))) return {};
  const server: ServerRef = l.pod ? { kind: 'pod', pod: l.pod, container: l.container } : ref;
  // the probe's request is answered as any client's; its access-log line is not kept, nor
  // the random stream it may draw from
  const quiet = Object.assign(Object.create(cluster) as NetCluster, { logs: { append: () => undefined } });
  const headers: [string, string][] = [['Host', joinHostPort(host, port)], ['User-Agent', `kube-probe/${KUBERNETES_VERSION.replace(/^v(\d+\.\d+).*$/, '$1')}`], ['Accept', '*/*'], ...(get.httpHeaders ?? []).map((h): [string, string] => [h.name, h.value])];
  const res = dryRun(net, () => serveHttp({ cluster: quiet, server, listener: l, conn: { clientIp: r.seenSource ?? '', clientPort: r.sourcePort ?? 0, localIp: srv.ip, localPort: srv.port } }, { method: 'GET', path: get.path ?? '/', headers, body: '', scheme: 'http' }));
  if (res.empty) return {};
  return res.status < 200 || res.status >= 400 ? { fail: `HTTP probe failed with statuscode: ${res.status}` } : {};
}

/** A tcpSocket probe to another address (pkg/probe/tcp/tcp.go: net.DialTimeout from the node, walked as httpElsewhere's). */
function tcpElsewhere(cluster: Cluster, probe: Probe, host: string, self: Pod, at: number): ProbeOutcome {
  const target = probe.tcpSocket!.port;
  const port = typeof target === 'number' ? target : /^\d+$/.test(target) ? Number(target) : undefined;
  if (port === undefined) return {};
  const node = onNodePort(cluster, self, host, port);
  if (node !== undefined) return node ? {} : { fail: `dial tcp ${joinHostPort(host, port)}: connect: connection refused` };
  const r = dialFromNode(cluster, self, host, port);
  if (!r) return {};
  if (r.outcome === 'delivered') return everyPeriod({}, at);
  const err = r.outcome === 'timeout' ? `dial tcp ${joinHostPort(r.address ?? host, port)}: i/o timeout` : dialError(r, host, port);
  return everyPeriod(err ? { fail: err } : {}, at);
}

/** The kubelet's connection to host:port, walked from the Pod's node without leaving a mark. */
function dialFromNode(cluster: Cluster, self: Pod, host: string, port: number): ConnectResult | undefined {
  const node = self.spec.nodeName;
  if (!node) return undefined;
  const net = cluster as NetCluster;
  if (!net.resolver || !net.serviceProxy) return undefined;
  const r = dryRun(net, () => connect(net, { kind: 'node', node }, host, port, 'tcp', { record: false }));
  // an IPv6 path the walk does not carry: not simulated, the probe is left alone
  return r.ipv6 ? undefined : r;
}

/**
 * Go's net.Dial error for a connection that did not get through (net.OpError; a failed
 * lookup is a *net.DNSError: "lookup <name> on <server>: no such host").
 */
function dialError(r: ConnectResult, host: string, port: number): string | undefined {
  const addr = joinHostPort(r.address ?? host, port);
  switch (r.outcome) {
    case 'refused':
      return `dial tcp ${addr}: connect: connection refused`;
    case 'unreachable':
      return `dial tcp ${addr}: connect: ${r.netUnreachable ? 'network is unreachable' : 'no route to host'}`;
    case 'nxdomain': {
      const server = r.resolution?.queries?.[0]?.server;
      const on = server ? ` on ${server.includes(':') && !server.startsWith('[') ? server : `${server}:53`}` : '';
      return `dial tcp: lookup ${host}${on}: ${r.dnsTimeout ? 'i/o timeout' : 'no such host'}`;
    }
    default:
      return undefined;
  }
}

/**
 * A probe address on a node: the kubelet dials from the node itself, so 127.0.0.1 is the
 * Pod's node's loopback and a node address is that node. True when something listens on the
 * port there, false when nothing does (refused), undefined when the address is no node's.
 */
function onNodePort(cluster: Cluster, self: Pod, host: string, port: number): boolean | undefined {
  const loopback = host.startsWith('127.') || host === 'localhost';
  const node = loopback ? self.spec.nodeName : [...cluster.store.iterate('Node')].find((n) => ((n.status as { addresses?: { address: string }[] } | undefined)?.addresses ?? []).some((a) => a.address === host))?.metadata.name;
  if (!node) return undefined;
  // a host-network Pod's own processes listen in its node's namespace: as for a Pod's own
  // address, a process whose health ports the catalogue does not list (cilium-agent's 9879) answers
  if (node === self.spec.nodeName && self.spec.hostNetwork && probeRefused({ tcpSocket: { port } } as Probe, self, self.spec.containers[0]) === undefined) return true;
  return nodeListeners(cluster as NetCluster, node, { loopback }).some((l) => l.proto === 'tcp' && l.port === port);
}

/**
 * The port of an httpGet or tcpSocket probe when no process of the Pod listens on it (the
 * kubelet's connection is refused, so the probe fails at every period); undefined when
 * something listens there, or the probe is of another kind, or the Pod runs a process
 * whose health ports the catalogue does not list (a controller's /healthz on 10254). A
 * named port is looked up in the probed container's ports, as the kubelet does.
 */
function probeRefused(probe: Probe, pod: Pod, c: Container): number | string | undefined {
  const target = probe.httpGet?.port ?? probe.tcpSocket?.port;
  if (target === undefined) return undefined;
  if (!fullyModelled(pod)) return undefined;
  const served = pod.spec.containers.flatMap((x) => servedPorts(x));
  const port = typeof target === 'number' ? target : /^\d+$/.test(target) ? Number(target) : c.ports?.find((p) => p.name === target)?.containerPort;
  if (port === undefined) return target;
  return served.some((p) => p.proto === 'tcp' && p.port === port) ? undefined : port;
}

/** The status the app answers an httpGet probe with (kube-probe's GET), when the app is one the catalogue models fully. */
function httpProbeStatus(cluster: Cluster, probe: Probe, pod: Pod, c: Container, ip: string): { status: number; changesAt?: number } | undefined {
  const get = probe.httpGet!;
  if ((get.scheme ?? 'HTTP') !== 'HTTP') return undefined;
  const port = typeof get.port === 'number' ? get.port : /^\d+$/.test(get.port) ? Number(get.port) : c.ports?.find((p) => p.name === get.port)?.containerPort;
  if (port === undefined) return undefined;
  const info = podInfo(pod);
  for (const x of pod.spec.containers) {
    const l = containerListeners(x).find((y) => y.port === port && y.proto === 'tcp');
    if (!l || !FULLY_MODELLED_APPS.has(l.app)) continue;
    // the probe's request is answered as any client's; its access-log line is not kept (existing logs stay as they were)
    const quiet = Object.assign(Object.create(cluster) as NetCluster, { logs: { append: () => undefined } });
    const headers: [string, string][] = [['Host', joinHostPort(ip, port)], ['User-Agent', `kube-probe/${KUBERNETES_VERSION.replace(/^v(\d+\.\d+).*$/, '$1')}`], ['Accept', '*/*'], ...(get.httpHeaders ?? []).map((h): [string, string] => [h.name, h.value])];
    const req: HttpRequest = { method: 'GET', path: get.path ?? '/', headers, body: '', scheme: 'http' };
    const r = serveHttp({ cluster: quiet, server: { kind: 'pod', pod: info, container: x.name }, listener: l, conn: { clientIp: pod.status?.hostIP ?? '', clientPort: 0, localIp: ip, localPort: port } }, req);
    if (r.empty) return undefined;
    // agnhost liveness: healthy while time.Since(started) is at most 10 s
    let changesAt: number | undefined;
    if (l.app === 'agnhost-liveness' && (get.path ?? '/').split('?')[0] === '/healthz') {
      const started = (pod.status?.containerStatuses ?? []).find((s) => s.name === x.name)?.state?.running?.startedAt;
      if (started) changesAt = Date.parse(started) + 10_001;
    }
    return { status: r.status, changesAt };
  }
  return undefined;
}

// ---- exec -------------------------------------------------------------------------------

interface Ran {
  code: number;
  out: string;
}

/** An exec probe: its combined output when its exit status is not 0 (pkg/probe/exec/exec.go); unknown when it runs something not modelled. */
function execProbe(cluster: Cluster, command: string[], pod: Pod, c: Container): ProbeOutcome {
  const argv = command.map(String);
  if (argv.length === 0) return { unknown: true };
  const exe = argv[0].split('/').pop() ?? '';
  let ran: Ran | undefined;
  if (['sh', 'bash', 'ash', 'dash'].includes(exe) && argv[1] === '-c' && argv.length >= 3) ran = runScript(cluster, pod, c, argv[2]);
  else ran = runSimple(cluster, pod, c, argv);
  if (!ran) return { unknown: true };
  return ran.code === 0 ? {} : { fail: ran.out };
}

/** Splits a script into simple commands and the operators between them; undefined past what it understands (pipes, loops, substitutions). */
export function parseScript(script: string): { argv: string[]; op: ';' | '&&' | '||' }[] | undefined {
  const out: { argv: string[]; op: ';' | '&&' | '||' }[] = [];
  let argv: string[] = [];
  let word: string | undefined;
  let op: ';' | '&&' | '||' = ';';
  const flush = () => {
    if (word !== undefined) argv.push(word);
    word = undefined;
  };
  const end = (next: ';' | '&&' | '||') => {
    flush();
    if (argv.length) out.push({ argv, op });
    else if (next !== ';') return false;
    argv = [];
    op = next;
    return true;
  };
  for (let i = 0; i < script.length; i++) {
    const ch = script[i];
    if (ch === "'") {
      const j = script.indexOf("'", i + 1);
      if (j < 0) return undefined;
      word = (word ?? '') + script.slice(i + 1, j);
      i = j;
    } else if (ch === '"') {
      const j = script.indexOf('"', i + 1);
      if (j < 0) return undefined;
      const inner = script.slice(i + 1, j);
      if (/[$`\\]/.test(inner)) return undefined;
      word = (word ?? '') + inner;
      i = j;
    } else if (ch === ' ' || ch === '\t') flush();
    else if (ch === ';' || ch === '\n') {
      if (!end(';')) return undefined;
    } else if (ch === '&' && script[i + 1] === '&') {
      if (!end('&&')) return undefined;
      i++;
    } else if (ch === '|' && script[i + 1] === '|') {
      if (!end('||')) return undefined;
      i++;
    } else if (/[|&<>()$`\\*?{}#~]/.test(ch)) {
      // pipes, background jobs, redirections, substitutions, globs: not modelled
      return undefined;
    } else word = (word ?? '') + ch;
  }
  flush();
  if (argv.length) out.push({ argv, op });
  return out;
}

function runScript(cluster: Cluster, pod: Pod, c: Container, script: string): Ran | undefined {
  const cmds = parseScript(script);
  if (!cmds) return undefined;
  let last: Ran = { code: 0, out: '' };
  let out = '';
  for (const cmd of cmds) {
    if (cmd.op === '&&' && last.code !== 0) continue;
    if (cmd.op === '||' && last.code === 0) continue;
    if (cmd.argv[0] === 'exit') return { code: Number(cmd.argv[1] ?? last.code) || 0, out };
    const r = runSimple(cluster, pod, c, cmd.argv);
    if (!r) return undefined;
    out += r.out;
    last = r;
  }
  return { code: last.code, out };
}

/** One command in the container: the tools exec probes use, as the image's userland prints them. */
function runSimple(cluster: Cluster, pod: Pod, c: Container, argv: string[]): Ran | undefined {
  const fs = (cluster as NetCluster).fs;
  if (!fs) return undefined;
  const host = { kind: 'pod' as const, namespace: pod.metadata.namespace ?? 'default', pod: pod.metadata.name, container: c.name };
  const profile = imageProfile(String(c.image ?? ''));
  const busybox = profile.flavour === 'busybox';
  const exe = argv[0].split('/').pop() ?? '';
  if (!profile.tools.includes(exe) && !['true', 'false', 'test', '[', 'echo', ':'].includes(exe)) return undefined;
  const cwd = c.workingDir || '/';
  const path = (p: string) => resolvePath(cwd, p, '/');
  const args = argv.slice(1);
  switch (exe) {
    case 'true':
    case ':':
      return { code: 0, out: '' };
    case 'false':
      return { code: 1, out: '' };
    case 'echo':
      return { code: 0, out: `${args.join(' ')}\n` };
    case 'cat': {
      if (args.some((a) => a.startsWith('-') && a !== '-')) return undefined;
      let out = '';
      let code = 0;
      for (const a of args) {
        const p = path(a);
        const content = fs.read(host, p);
        if (content !== undefined) {
          out += content;
          continue;
        }
        code = 1;
        const why = fs.isDir(host, p) ? 'Is a directory' : 'No such file or directory';
        // busybox: libbb fopen_or_warn "can't open '%s'"; coreutils: "%s: %s"
        out += busybox ? (fs.isDir(host, p) ? `cat: read error: Is a directory\n` : `cat: can't open '${a}': ${why}\n`) : `cat: ${a}: ${why}\n`;
      }
      return { code, out };
    }
    case 'ls': {
      if (args.length !== 1 || args[0].startsWith('-')) return undefined;
      const p = path(args[0]);
      if (fs.isFile(host, p)) return { code: 0, out: `${args[0]}\n` };
      if (fs.isDir(host, p)) return { code: 0, out: (fs.list(host, p) ?? []).map((f) => `${f.name}\n`).join('') };
      // busybox coreutils/ls.c: bb_simple_perror_msg(name) → "ls: x: No such file or directory" (exit 1); GNU ls: "cannot access" (exit 2)
      return busybox ? { code: 1, out: `ls: ${args[0]}: No such file or directory\n` } : { code: 2, out: `ls: cannot access '${args[0]}': No such file or directory\n` };
    }
    case 'test':
    case '[': {
      const words = exe === '[' ? (args[args.length - 1] === ']' ? args.slice(0, -1) : undefined) : args;
      if (!words) return undefined;
      const neg = words[0] === '!';
      const w = neg ? words.slice(1) : words;
      if (w.length !== 2 || !/^-[efds]$/.test(w[0])) return undefined;
      const p = path(w[1]);
      const content = fs.read(host, p);
      const ok = w[0] === '-d' ? fs.isDir(host, p) : w[0] === '-f' ? content !== undefined : w[0] === '-s' ? !!content : content !== undefined || fs.isDir(host, p);
      return { code: ok !== neg ? 0 : 1, out: '' };
    }
  }
  return undefined;
}

// ---- the container's own script -----------------------------------------------------------

/** One step of a container's `sh -c` script the clock runs: a file written or removed, or a sleep. */
export type ScriptStep = { touch: string[] } | { rm: string[] } | { mkdir: string[] } | { write: string; text: string; append: boolean } | { sleep: number };

/**
 * The steps of a container's `sh -c` script that change its filesystem over time, in order,
 * up to the first command this model does not run (a server, a loop): `touch`, `rm`,
 * `mkdir`, `echo … > file`, `sleep N`. The Probes page's `touch /tmp/healthy; sleep 30; rm -f
 * /tmp/healthy; sleep 600` is three steps and two sleeps.
 */
export function scriptSteps(c: Container): ScriptStep[] {
  const argv = [...(c.command ?? []), ...(c.args ?? [])].map(String);
  const exe = (argv[0] ?? '').split('/').pop() ?? '';
  if (!['sh', 'bash', 'ash', 'dash'].includes(exe)) return [];
  const i = argv.indexOf('-c');
  if (i < 0 || i + 1 >= argv.length) return [];
  const script = argv[i + 1];
  const steps: ScriptStep[] = [];
  // statements split on ; && and newlines; an echo's redirection is read here, the rest by parseScript
  for (const raw of script.split(/;|&&|\n/)) {
    const stmt = raw.trim();
    if (!stmt) continue;
    const echo = /^echo\s+(?:(['"])(.*?)\1|([^>'"]*?))\s*(>>?)\s*(\S+)$/.exec(stmt);
    if (echo) {
      steps.push({ write: echo[5], text: `${echo[2] ?? (echo[3] ?? '').trim()}\n`, append: echo[4] === '>>' });
      continue;
    }
    const cmd = parseScript(stmt);
    if (!cmd || cmd.length !== 1) break;
    const [name, ...rest] = cmd[0].argv;
    const files = rest.filter((a) => !a.startsWith('-'));
    if (name === 'touch' && files.length) steps.push({ touch: files });
    else if (name === 'rm' && files.length) steps.push({ rm: files });
    else if (name === 'mkdir' && files.length) steps.push({ mkdir: files });
    else if (name === 'sleep' && rest.length === 1 && /^\d+(\.\d+)?s?$/.test(rest[0])) steps.push({ sleep: Number(rest[0].replace(/s$/, '')) });
    else if (name === 'true' || name === ':') continue;
    else break;
  }
  // nothing to run on the clock unless the script changes a file
  return steps.some((s) => !('sleep' in s)) ? steps : [];
}

/** Applies one script step to the Pod's filesystem. */
export function applyStep(cluster: Cluster, pod: Pod, c: Container, step: ScriptStep): void {
  const fs = (cluster as NetCluster).fs;
  if (!fs || 'sleep' in step) return;
  const host = { kind: 'pod' as const, namespace: pod.metadata.namespace ?? 'default', pod: pod.metadata.name, container: c.name };
  const cwd = c.workingDir || '/';
  const path = (p: string) => resolvePath(cwd, p, '/');
  if ('touch' in step) for (const f of step.touch) {
    const p = path(f);
    if (!fs.isDir(host, p)) fs.write(host, p, fs.read(host, p) ?? '');
  }
  else if ('rm' in step) for (const f of step.rm) fs.remove(host, path(f), true);
  else if ('mkdir' in step) for (const d of step.mkdir) fs.mkdir(host, path(d), true);
  else if ('write' in step) {
    const p = path(step.write);
    if (step.append) fs.append(host, p, step.text);
    else fs.write(host, p, step.text);
  }
}
