/**
 * The workstation's `kubectl port-forward` listeners: sockets kubectl holds on the learner's
 * own machine (127.0.0.1 and ::1 by default, or the `--address` list) that carry each
 * accepted connection through the API server and the kubelet into the Pod's network
 * namespace, where containerd dials `localhost:REMOTE` (containerd 1.7
 * internal/cri/server/sandbox_portforward_linux.go). No Service, kube-proxy rule or
 * NetworkPolicy is on that path: the connection reaches the app from the Pod's own loopback.
 *
 * The table lives beside the cluster (one per running cluster); the walk (walk.ts) asks it
 * whether a workstation-loopback destination is a forward, and tells the forward of each
 * connection so kubectl can print `Handling connection for N` (and its error) at its next step.
 */
import type { NetCluster } from './ports';
import type { HttpRequest, HttpResponse } from './apps';

export interface ForwardConnection {
  /** The Pod side refused: nothing listens on localhost:REMOTE in the Pod's namespace. */
  refused: boolean;
  /** kubectl already wrote its `Handling connection for N` line (when it accepted). */
  announced?: boolean;
}

export interface PortForward {
  /** The addresses kubectl listens on, as net.Listen was given them (127.0.0.1, ::1, 0.0.0.0…). */
  addresses: string[];
  local: number;
  remote: number;
  namespace: string;
  pod: string;
  uid: string;
  /** Where kubectl runs: only the workstation's loopback is walked here (kubectl on a node listens on the node's). */
  host: 'workstation' | 'other';
  /** Connections accepted since kubectl last ran a step. */
  connections: ForwardConnection[];
  /** Called as kubectl accepts a connection (the walk pushed it onto `connections`). */
  onAccept?: (c: ForwardConnection) => void;
  /** Set when kubectl stopped (Ctrl+C, kill, lost connection): the sockets are closed. */
  closed?: boolean;
  /**
   * `kubectl proxy`: the socket is kubectl's HTTP server, which answers each request from
   * the API server itself (no Pod behind it: namespace, pod and remote are unused).
   */
  api?: (req: HttpRequest) => HttpResponse;
}

const TABLES = new WeakMap<object, PortForward[]>();

function table(cluster: NetCluster): PortForward[] {
  let t = TABLES.get(cluster);
  if (!t) TABLES.set(cluster, (t = []));
  return t;
}

/** Whether a listener on `address` holds `ip` (0.0.0.0 is every IPv4 address of the workstation, :: every one). */
function covers(address: string, ip: string): boolean {
  if (address === ip) return true;
  if (address === '0.0.0.0') return !ip.includes(':');
  if (address === '::') return true;
  return false;
}

/** The open forwards of kubectl processes on `host`. */
export function portForwards(cluster: NetCluster, host: PortForward['host'] = 'workstation'): PortForward[] {
  return table(cluster).filter((f) => !f.closed && f.host === host);
}

/** The forward whose socket holds `ip:port` on the workstation, if any. */
export function forwardOn(cluster: NetCluster, ip: string, port: number): PortForward | undefined {
  return portForwards(cluster).find((f) => f.local === port && f.addresses.some((a) => covers(a, ip)));
}

/** Whether binding `address:port` collides with a socket already open (EADDRINUSE). */
export function addressInUse(cluster: NetCluster, address: string, port: number, host: PortForward['host'] = 'workstation'): boolean {
  return portForwards(cluster, host).some((f) => f.local === port && f.addresses.some((a) => covers(a, address) || covers(address, a)));
}

export function openForward(cluster: NetCluster, f: PortForward): PortForward {
  const t = table(cluster);
  for (let i = t.length - 1; i >= 0; i--) if (t[i].closed) t.splice(i, 1);
  t.push(f);
  return f;
}

/** kubectl accepted a connection on the forward's socket. */
export function acceptOn(f: PortForward, c: ForwardConnection): void {
  f.connections.push(c);
  f.onAccept?.(c);
}

export function closeForward(f: PortForward): void {
  f.closed = true;
}
