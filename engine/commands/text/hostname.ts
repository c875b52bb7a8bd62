/** `hostname` [-i|-I|-s|-f]: the host's name and addresses, derived from the cluster. */
import type { HostRef } from '../../types';
import type { CommandSpec } from '../../shell/command';
import type { ClusterRuntime } from '../../controllers/runtime';
import { hostName, hostPod } from '../../hosts/hosts';

/** The host's primary IPv4 address: the pod IP, the node's InternalIP, the workstation's on the cluster network. */
export function hostAddress(cluster: ClusterRuntime, host: HostRef): string | undefined {
  if (host.kind === 'pod') return hostPod(cluster, host)?.status?.podIP as string | undefined;
  if (host.kind === 'node') {
    const node = cluster.store.get('Node', undefined, host.node);
    const addr = (node?.status?.addresses as { type: string; address: string }[] | undefined)?.find((a) => a.type === 'InternalIP')?.address;
    return addr ?? cluster.settings.nodes.find((n) => n.name === host.node)?.ip;
  }
  // The workstation sits on the nodes' network as its gateway (minikube/kind style: .1).
  const first = cluster.settings.nodes[0]?.ip ?? '192.168.49.2';
  return first.replace(/\.\d+$/, '.1');
}

/**
 * The canonical name of the host's name as the resolver finds it in /etc/hosts: the first
 * name on the line that lists it (busybox hostname.c `-f`: xgethostbyname(name)->h_name;
 * GNU's getaddrinfo with AI_CANONNAME). The kubelet's line for a Pod with a hostname and
 * subdomain puts the FQDN first.
 */
function canonicalName(cluster: ClusterRuntime, host: HostRef, name: string): string {
  let text = '';
  try {
    text = cluster.fs.read(host, '/etc/hosts') ?? '';
  } catch {
    return name;
  }
  for (const line of text.split('\n')) {
    const names = line.replace(/#.*/, '').trim().split(/\s+/).slice(1);
    if (names.includes(name)) return names[0];
  }
  return name;
}

export const hostname: CommandSpec = {
  name: 'hostname',
  summary: 'show the system\'s host name',
  run(args, ctx) {
    const name = hostName(ctx.cluster, ctx.host);
    const flag = args.find((a) => a.startsWith('-'));
    if (!flag) {
      if (args.length) return { stdout: '', stderr: 'hostname: you must be root to change the host name\n', exitCode: 1 };
      return { stdout: name + '\n', stderr: '', exitCode: 0 };
    }
    switch (flag) {
      case '-i':
      case '--ip-address':
      case '-I':
      case '--all-ip-addresses': {
        const ip = hostAddress(ctx.cluster, ctx.host);
        if (!ip) return { stdout: '', stderr: 'hostname: Name or service not known\n', exitCode: 1 };
        return { stdout: flag === '-I' || flag === '--all-ip-addresses' ? `${ip} \n` : `${ip}\n`, stderr: '', exitCode: 0 };
      }
      case '-s':
      case '--short':
        return { stdout: name.split('.')[0] + '\n', stderr: '', exitCode: 0 };
      case '-f':
      case '--fqdn':
      case '--long':
        return { stdout: canonicalName(ctx.cluster, ctx.host, name) + '\n', stderr: '', exitCode: 0 };
      default:
        return { stdout: '', stderr: `hostname: invalid option -- '${flag.slice(1, 2)}'\nTry 'hostname --help' or 'hostname --usage' for more information.\n`, exitCode: 1 };
    }
  },
};
