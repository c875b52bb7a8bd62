/**
 * kubectl port-forward TYPE/NAME [LOCAL_PORT:]REMOTE_PORT… — kubectl v1.34
 * pkg/cmd/portforward/portforward.go and client-go v0.34 tools/portforward/portforward.go.
 *
 * Complete(): `TYPE/NAME and list of ports are required for port-forward` (a usage error);
 * the Pod behind a Service/Deployment is picked as exec picks it (AttachablePodForObjectFn);
 * a Service port is translated to its targetPort (translateServicePortToTargetPort, with
 * util.LookupContainerPortNumberByServicePort's and LookupServicePortNumberByName's errors), a
 * Pod's named port to its number (convertPodNamedPortToNumber). RunPortForwardContext: `unable
 * to forward port because pod is not running. Current status=%v`. client-go: parsePorts'
 * errors; parseAddresses (localhost → 127.0.0.1 tcp4 and ::1 tcp6, both "all"; an IP "any";
 * sorted); getListener prints `Forwarding from %s -> %d` (net.JoinHostPort) per address, or
 * fails `unable to create listener: Error listen tcp4 127.0.0.1:8080: bind: address already in
 * use`, grouped by listenOnPort into `Unable to listen on port %d: Listeners failed to create
 * with the following errors: [%v]` and, when no port could listen, `unable to listen on any of
 * the requested ports: [{8080 80}]`. Port 0 (`:5000`) takes an ephemeral port, the same one
 * for every address (getListener writes it back into the port).
 *
 * Then it streams: `Handling connection for %d` for each connection the walk passed through
 * it (dataplane/port-forward.ts) — as a background job, the moment it accepts (listen), so
 * it comes before what the client prints. A connection the Pod side refused: handleConnection's
 * runtime.HandleError (klog, portforward.go:424, "Unhandled Error") with the kubelet's and
 * containerd's text, then the stream connection is closed and kubectl exits with
 * `error: lost connection to pod` — as it does when the Pod goes away. Ctrl+C ends it quietly.
 */
import type { CommandOutcome, Streaming } from '../../types';
import type { Pod, Service } from '../../cluster/types';
import { isIPv6 } from '../../cluster/ipv6';
import { isDottedQuad } from '../../cluster/ipv4';
import { goQuote } from '../../cluster/fielderrors';
import { netnsName } from '../../controllers/cni/netdev';
import { addressInUse, closeForward, openForward, type PortForward } from '../../dataplane/port-forward';
import { sandboxId } from '../runtime/crictl';
import { flagStrings, type FlagDef } from './flags';
import { KubectlError, type Kctx } from './common';
import { resolvePod } from './exec';

export const PORT_FORWARD_FLAGS: FlagDef[] = [
  { long: 'address', type: 'strings' },
  { long: 'pod-running-timeout', type: 'string' },
];

const USAGE = "\nSee 'kubectl port-forward -h' for help and examples";

/** splitPort: `[LOCAL:]REMOTE`. */
function splitPort(port: string): [string, string] {
  const parts = port.split(':');
  return parts.length === 2 ? [parts[0], parts[1]] : [parts[0], parts[0]];
}

function containerPortByName(pod: Pod, name: string): number {
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
    const p = (c.ports ?? []).find((x) => x.name === name);
    if (p) return p.containerPort;
  }
  throw new KubectlError(`error: Pod '${pod.metadata.name}' does not have a named port '${name}'`);
}

/**
 * checkUDPPortInService / checkUDPPortInPod: a remote port declared only as UDP is refused
 * ("UDP protocol is not supported for %s", the port as typed); a named port is looked up first.
 */
function checkUdp(ports: string[], declared: { port: number; protocol?: string; name?: string }[], lookup: (name: string) => number): void {
  const udp = new Set(declared.filter((p) => p.protocol === 'UDP').map((p) => p.port));
  for (const p of declared) if ((p.protocol ?? 'TCP') === 'TCP') udp.delete(p.port);
  for (const spec of ports) {
    const [, remote] = splitPort(spec);
    const num = /^[+-]?\d+$/.test(remote) ? Number(remote) : lookup(remote);
    if (udp.has(num)) throw new KubectlError(`error: UDP protocol is not supported for ${remote}`);
  }
}

/** translateServicePortToTargetPort (portforward.go) over util.LookupContainerPortNumberByServicePort. */
function translateServicePorts(ports: string[], svc: Service, pod: Pod): string[] {
  return ports.map((spec) => {
    let [local, remote] = splitPort(spec);
    let portnum = Number(remote);
    if (!/^[+-]?\d+$/.test(remote)) {
      const named = (svc.spec?.ports ?? []).find((p) => p.name === remote);
      if (!named) throw new KubectlError(`error: Service '${svc.metadata.name}' does not have a named port '${remote}'`);
      portnum = named.port;
      if (local === remote) local = String(portnum);
    }
    const sp = (svc.spec?.ports ?? []).find((p) => p.port === portnum);
    if (!sp) throw new KubectlError(`error: Service ${svc.metadata.name} does not have a service port ${portnum}`);
    let target: number;
    if (svc.spec?.clusterIP === 'None') target = portnum;
    else if (typeof sp.targetPort === 'string' && !/^\d+$/.test(sp.targetPort)) target = containerPortByName(pod, sp.targetPort);
    else target = Number(sp.targetPort ?? 0) || sp.port;
    remote = String(target);
    return local !== remote ? `${local}:${remote}` : remote;
  });
}

/** convertPodNamedPortToNumber (portforward.go). */
function convertPodPorts(ports: string[], pod: Pod): string[] {
  return ports.map((spec) => {
    const [local, remote] = splitPort(spec);
    if (remote === '') throw new KubectlError('error: remote port cannot be empty');
    const num = /^[+-]?\d+$/.test(remote) ? remote : String(containerPortByName(pod, remote));
    return local !== remote ? `${local}:${num}` : num;
  });
}

/** Go's strconv.ParseUint(s, 10, 16) error text, or the value. */
function parseUint16(s: string): number | string {
  if (!/^\d+$/.test(s)) return `strconv.ParseUint: parsing ${JSON.stringify(s)}: invalid syntax`;
  const n = Number(s);
  if (n > 65535) return `strconv.ParseUint: parsing ${JSON.stringify(s)}: value out of range`;
  return n;
}

/** client-go parsePorts. */
function parsePorts(ports: string[]): { local: number; remote: number }[] {
  return ports.map((p) => {
    const parts = p.split(':');
    if (parts.length > 2) throw new KubectlError(`error: invalid port format '${p}'`);
    const localS = parts.length === 2 ? parts[0] || '0' : parts[0];
    const remoteS = parts.length === 2 ? parts[1] : parts[0];
    const local = parseUint16(localS);
    if (typeof local === 'string') throw new KubectlError(`error: error parsing local port '${localS}': ${local}`);
    const remote = parseUint16(remoteS);
    if (typeof remote === 'string') throw new KubectlError(`error: error parsing remote port '${remoteS}': ${remote}`);
    if (remote === 0) throw new KubectlError('error: remote port must be > 0');
    return { local, remote };
  });
}

interface ListenAddress {
  address: string;
  protocol: 'tcp4' | 'tcp6';
  failureMode: 'all' | 'any';
}

/** client-go parseAddresses: deduplicated, sorted by address. */
function parseAddresses(list: string[]): ListenAddress[] {
  const parsed = new Map<string, ListenAddress>();
  for (const a of list) {
    if (a === 'localhost') {
      if (!parsed.has('127.0.0.1')) parsed.set('127.0.0.1', { address: '127.0.0.1', protocol: 'tcp4', failureMode: 'all' });
      if (!parsed.has('::1')) parsed.set('::1', { address: '::1', protocol: 'tcp6', failureMode: 'all' });
    } else if (isDottedQuad(a)) parsed.set(a, { address: a, protocol: 'tcp4', failureMode: 'any' });
    else if (isIPv6(a)) parsed.set(a, { address: a, protocol: 'tcp6', failureMode: 'any' });
    else throw new KubectlError(`error: ${a} is not a valid IP`);
  }
  return [...parsed.values()].sort((x, y) => (x.address < y.address ? -1 : x.address > y.address ? 1 : 0));
}

/** net.JoinHostPort. */
function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The addresses the workstation has: loopback, its address on the nodes' network, and the wildcards. */
function bindable(address: string): boolean {
  return address === '0.0.0.0' || address === '::' || address === '::1' || address.startsWith('127.');
}

/** klog's header for an error line of kubectl's process: `E1207 07:54:35.123456   12345 file:line] `. */
function klogError(ms: number, pid: number, micros: number, where: string): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `E${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(micros, 6)} ${String(pid).padStart(7)} ${where}] `;
}


export function runPortForward(k: Kctx): CommandOutcome {
  const args = k.flags.positional;
  if (args.length < 2) throw new KubectlError(`error: TYPE/NAME and list of ports are required for port-forward${USAGE}`);
  const { pod } = resolvePod(k, args[0]);
  let ports: string[];
  const kind = args[0].includes('/') ? args[0].slice(0, args[0].indexOf('/')) : 'pod';
  if (['svc', 'service', 'services'].includes(kind.toLowerCase())) {
    const svc = k.store.get('Service', k.namespace, args[0].slice(args[0].indexOf('/') + 1)) as Service;
    checkUdp(args.slice(1), (svc.spec?.ports ?? []).map((p) => ({ port: p.port, protocol: p.protocol })), (name) => {
      const p = (svc.spec?.ports ?? []).find((x) => x.name === name);
      if (!p) throw new KubectlError(`error: Service '${svc.metadata.name}' does not have a named port '${name}'`);
      return p.port;
    });
    ports = translateServicePorts(args.slice(1), svc, pod);
  } else {
    const declared = (pod.spec?.containers ?? []).flatMap((c) => (c.ports ?? []).map((p) => ({ port: p.containerPort, protocol: p.protocol ?? 'TCP' })));
    checkUdp(args.slice(1), declared, (name) => containerPortByName(pod, name));
    ports = convertPodPorts(args.slice(1), pod);
  }
  const addrFlag = flagStrings(k.flags, 'address').flatMap((a) => a.split(',')).filter((a) => a !== '');
  const addresses = parseAddresses(addrFlag.length ? addrFlag : ['localhost']);
  const forwards = parsePorts(ports);
  if (pod.status?.phase !== 'Running') throw new KubectlError(`error: unable to forward port because pod is not running. Current status=${pod.status?.phase ?? ''}`);

  const cluster = k.cluster;
  const host = k.ctx.host.kind === 'workstation' ? 'workstation' : 'other';
  let stdout = '';
  let stderr = '';
  const open: PortForward[] = [];
  for (const fwd of forwards) {
    let local = fwd.local;
    if (local === 0) {
      // the kernel's ephemeral range (net.ipv4.ip_local_port_range 32768 60999)
      do local = 32768 + cluster.rng.int(28232);
      while (addresses.some((a) => addressInUse(cluster, a.address, local, host)));
    }
    const errors: string[] = [];
    const held: string[] = [];
    const fail = { all: 0, any: 0 };
    const ok = { all: 0, any: 0 };
    let lines = '';
    for (const a of addresses) {
      // the learner is not root on the workstation: ports below net.ipv4.ip_unprivileged_port_start (1024) are refused
      const why = !bindable(a.address)
        ? 'bind: cannot assign requested address'
        : host === 'workstation' && local < 1024
          ? 'bind: permission denied'
          : addressInUse(cluster, a.address, local, host)
            ? 'bind: address already in use'
            : undefined;
      if (why) {
        errors.push(`unable to create listener: Error listen ${a.protocol} ${joinHostPort(a.address, local)}: ${why}`);
        fail[a.failureMode]++;
      } else {
        held.push(a.address);
        ok[a.failureMode]++;
        lines += `Forwarding from ${joinHostPort(a.address, local)} -> ${fwd.remote}\n`;
      }
    }
    if ((ok.all === 0 && fail.all > 0) || fail.any > 0) {
      stderr += `Unable to listen on port ${local}: Listeners failed to create with the following errors: [${errors.join(' ')}]\n`;
      continue;
    }
    stdout += lines;
    open.push(openForward(cluster, { addresses: held, local, remote: fwd.remote, namespace: pod.metadata.namespace ?? k.namespace, pod: pod.metadata.name, uid: pod.metadata.uid, host, connections: [] }));
  }
  if (open.length === 0) {
    return { stdout, stderr: `${stderr}error: unable to listen on any of the requested ports: [${forwards.map((f) => `{${f.local} ${f.remote}}`).join(' ')}]\n`, exitCode: 1 };
  }
  // kubectl's process id, for its klog lines
  const pid = 10000 + cluster.rng.int(50000);
  const stopAll = () => open.forEach(closeForward);
  const sandbox = sandboxId(pod);
  const netns = pod.spec?.hostNetwork ? 'host' : `/var/run/netns/${netnsName(pod)}`;
  const podGone = (): boolean => {
    const cur = k.store.get('Pod', pod.metadata.namespace ?? k.namespace, pod.metadata.name);
    return !cur || cur.metadata.uid !== pod.metadata.uid || cur.status?.phase !== 'Running';
  };
  /**
   * What handleConnection writes for a connection (client-go portforward.go): its line as it
   * accepts; when the Pod side refused, the error the kubelet sends back, logged with
   * runtime.HandleError before the local connection is closed (so before the client's "Empty
   * reply"); then streamConn.Close() ends ForwardPorts with ErrLostConnectionToPod.
   */
  const accepted = (f: PortForward, c: { refused: boolean }): { stdout: string; stderr: string } => {
    let err = '';
    if (c.refused) {
      const inner = `failed to connect to localhost:${f.remote} inside namespace ${goQuote(sandbox)}, IPv4: dial tcp4 127.0.0.1:${f.remote}: connect: connection refused IPv6 dial tcp6 [::1]:${f.remote}: connect: connection refused `;
      const msg = `an error occurred forwarding ${f.local} -> ${f.remote}: error forwarding port ${f.remote} to pod ${sandbox}, uid : failed to execute portforward in network namespace ${goQuote(netns)}: ${inner}`;
      err = `${klogError(cluster.clock.now(), pid, cluster.rng.int(1_000_000), 'portforward.go:424')}"Unhandled Error" err=${goQuote(msg)}\n`;
    }
    return { stdout: `Handling connection for ${f.local}\n`, stderr: err };
  };
  const stream: Streaming = {
    streaming: true,
    stdout,
    stderr,
    intervalMs: 1000,
    step() {
      let out = '';
      let err = '';
      for (const f of open) {
        while (f.connections.length) {
          const c = f.connections.shift()!;
          if (!c.announced) {
            const a = accepted(f, c);
            out += a.stdout;
            err += a.stderr;
          }
          if (c.refused) {
            stopAll();
            return { stdout: out, stderr: err + 'error: lost connection to pod\n', done: true, exitCode: 1 };
          }
        }
      }
      if (podGone()) {
        stopAll();
        return { stdout: out, stderr: err + 'error: lost connection to pod\n', done: true, exitCode: 1 };
      }
      return { stdout: out, stderr: err };
    },
    interrupt() {
      const r = this.step();
      stopAll();
      if (r.done) return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode ?? 1 };
      return { stdout: r.stdout, stderr: r.stderr, exitCode: 0 };
    },
    // as a job: handleConnection writes its line as the listener accepts (client-go
    // portforward.go waitForConnection → handleConnection), before the client reads a byte
    listen(write) {
      for (const f of open) {
        f.onAccept = (c) => {
          if (c.announced) return;
          const a = accepted(f, c);
          if (!write('stdout', a.stdout)) return;
          write('stderr', a.stderr);
          c.announced = true;
        };
      }
    },
  };
  return stream;
}
