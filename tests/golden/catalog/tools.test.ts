/**
 * The image catalog drives the tools a container has (engine/hosts/images.ts): busybox 1.36's
 * applets, nicolaka/netshoot's (v0.13 Dockerfile: Alpine's busybox applets — its ps, netstat,
 * route, arp, ifconfig; no net-tools — iproute2, bind-tools, tcpdump, mtr, iperf3, nmap, socat), getent; nginx's Debian userland. A tool the image ships that the simulation does not
 * model says so (commands/net/catalog); a tool it does not ship gets the runtime's error.
 *
 * Formats: busybox 1.36.1 networking/netstat.c (FMT_NET_CONN_HEADER, FMT_NET_CONN_DATA
 * "%s   %6lu %6lu %-23s %-23s %-12s", "%.20s" PID/Program name), networking/route.c
 * (bb_displayroutes "%-15.15s %-15.15s %-16s%-6s" + "%-6d %-2d %7d %s", netstat -r's
 * "%5d %-5d %6d %s"; INET_rresolve's "default" and "*"), networking/arp.c (arp_disp
 * "%s (%s) at ", "%s [%s] ", " on %s"); net-tools netstat.c (tcp_do_one "%-4s  %6ld %6ld
 * %-*s %-*s %-11s", udp_do_one "%-5s …", finish_this_one " %-20s", the "Proto Recv-Q …
 * State      " header) and arp's table; glibc nss/getent.c print_hosts ("%-15s %s") and
 * ahosts ("%-15s %-6s %s"); NetBSD getent hostsprint ("%-16s  %s", aliases after "  ") as
 * Alpine's musl-utils ships it, with musl's h_aliases (the canonical name, then the name
 * asked); busybox ash "sh: X: not found"; runc through kubectl exec.
 */
import { expect, it } from 'vitest';
import { cluster, type } from './scenario';

function replay(cni: string, expected: [string, string][]): [string, string][] {
  const sim = cluster(cni);
  return expected.map(([line]) => [line, type(sim, line)]);
}

it('busybox, netshoot, nginx and node tools on Calico, from each host\'s own network namespace', () => {
  expect(replay('calico', CALICO)).toEqual(CALICO);
});

it('a Flannel Pod\'s routes (the bridge gateway, the /24 on eth0, the cluster /16)', () => {
  expect(replay('flannel', FLANNEL)).toEqual(FLANNEL);
});

const CALICO: [string, string][] = [
  ["kubectl exec web -c tools -- netstat -tln", `Active Internet connections (only servers)
Proto Recv-Q Send-Q Local Address           Foreign Address         State       
tcp        0      0 0.0.0.0:80              0.0.0.0:*               LISTEN      
tcp        0      0 :::80                   :::*                    LISTEN      
[exit 0]
`],
  ["kubectl exec web -c tools -- netstat -tlnp", `Active Internet connections (only servers)
Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name    
tcp        0      0 0.0.0.0:80              0.0.0.0:*               LISTEN      -
tcp        0      0 :::80                   :::*                    LISTEN      -
[exit 0]
`],
  ["kubectl exec web -c tools -- netstat -ltun", `Active Internet connections (only servers)
Proto Recv-Q Send-Q Local Address           Foreign Address         State       
tcp        0      0 0.0.0.0:80              0.0.0.0:*               LISTEN      
tcp        0      0 :::80                   :::*                    LISTEN      
[exit 0]
`],
  ["kubectl exec web -c tools -- netstat -tl", `Active Internet connections (only servers)
Proto Recv-Q Send-Q Local Address           Foreign Address         State       
tcp        0      0 0.0.0.0:http            0.0.0.0:*               LISTEN      
tcp        0      0 :::http                 :::*                    LISTEN      
[exit 0]
`],
  ["kubectl exec shoot -- netstat -tlnp", `Active Internet connections (only servers)
Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name    
tcp        0      0 :::9000                 :::*                    LISTEN      1/nc
[exit 0]
`],
  ["kubectl exec shoot -- netstat -lntu", `Active Internet connections (only servers)
Proto Recv-Q Send-Q Local Address           Foreign Address         State       
tcp        0      0 :::9000                 :::*                    LISTEN      
[exit 0]
`],
  ["kubectl exec bb -- route -n", `Kernel IP routing table
Destination     Gateway         Genmask         Flags Metric Ref    Use Iface
0.0.0.0         169.254.1.1     0.0.0.0         UG    0      0        0 eth0
169.254.1.1     0.0.0.0         255.255.255.255 UH    0      0        0 eth0
[exit 0]
`],
  ["kubectl exec bb -- route", `Kernel IP routing table
Destination     Gateway         Genmask         Flags Metric Ref    Use Iface
default         169.254.1.1     0.0.0.0         UG    0      0        0 eth0
169.254.1.1     *               255.255.255.255 UH    0      0        0 eth0
[exit 0]
`],
  ["kubectl exec bb -- netstat -rn", `Kernel IP routing table
Destination     Gateway         Genmask         Flags   MSS Window  irtt Iface
0.0.0.0         169.254.1.1     0.0.0.0         UG        0 0          0 eth0
169.254.1.1     0.0.0.0         255.255.255.255 UH        0 0          0 eth0
[exit 0]
`],
  ["kubectl exec bb -- arp -n", `? (169.254.1.1) at ee:ee:ee:ee:ee:ee [ether]  on eth0
[exit 0]
`],
  ["kubectl exec shoot -- arp -n", `? (169.254.1.1) at ee:ee:ee:ee:ee:ee [ether]  on eth0
[exit 0]
`],
  ["kubectl exec shoot -- arp -an", `? (169.254.1.1) at ee:ee:ee:ee:ee:ee [ether]  on eth0
[exit 0]
`],
  ["kubectl exec shoot -- getent hosts web", `10.104.246.188    web.default.svc.cluster.local  web.default.svc.cluster.local web
[exit 0]
`],
  ["kubectl exec web -- getent hosts web.default.svc.cluster.local", `10.104.246.188  web.default.svc.cluster.local
Defaulted container "nginx" out of: nginx, tools
[exit 0]
`],
  ["kubectl exec web -- getent ahosts web.default.svc.cluster.local", `10.104.246.188  STREAM web.default.svc.cluster.local
10.104.246.188  DGRAM  
10.104.246.188  RAW    
Defaulted container "nginx" out of: nginx, tools
[exit 0]
`],
  ["kubectl exec shoot -- getent hosts nosuch", `command terminated with exit code 2
[exit 2]
`],
  ["kubectl exec shoot -- mtr web", `netlab: mtr's interactive curses display is not simulated here; use report mode: mtr -r [-c COUNT] HOST
command terminated with exit code 1
[exit 1]
`],
  ["kubectl exec shoot -- nping -c 1 web", `netlab: nping is installed in this image but is not simulated here
command terminated with exit code 1
[exit 1]
`],
  ["kubectl exec bb -- mtr web", `error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "79f9194162328d033bf1cc20babcc615f410f28aab541edbb34bb70a8b9086e5": OCI runtime exec failed: exec failed: unable to start container process: exec: "mtr": executable file not found in $PATH: unknown
[exit 1]
`],
  ["kubectl exec web -- ps", `Defaulted container "nginx" out of: nginx, tools
error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "e742a734e53340f6779c7e730bbee1b2f2937675d9b7a79c9a2546da2a9cf55b": OCI runtime exec failed: exec failed: unable to start container process: exec: "ps": executable file not found in $PATH: unknown
[exit 1]
`],
  ["kubectl exec web -- nginx", `Defaulted container "nginx" out of: nginx, tools
netlab: nginx is installed in this image but is not simulated here
command terminated with exit code 1
[exit 1]
`],
  ["kubectl exec -it bb -- sh", `[exit 0]
`],
  ["tcpdump", `sh: tcpdump: not found
[exit 127]
`],
  ["which ifconfig route mtr", `/bin/ifconfig
/bin/route
[exit 1]
`],
  ["ifconfig eth0 | head -2", `eth0      Link encap:Ethernet  HWaddr C6:95:5F:55:ED:8C  
          inet addr:10.244.0.2  Bcast:0.0.0.0  Mask:255.255.255.255
[exit 0]
`],
  ["ifconfig eth9", `ifconfig: eth9: error fetching interface information: Device not found
[exit 1]
`],
  ["exit", `command terminated with exit code 1
[exit 1]
`],
  ["ssh node-1", `[exit 0]
`],
  ["ethtool -i eth0 | head -2", `driver: veth
version: 1.0
[exit 0]
`],
  ["getent hosts node-1", `127.0.1.1       node-1
[exit 0]
`],
  ["exit", `logout
Connection to node-1 closed.
[exit 0]
`],
];

const FLANNEL: [string, string][] = [
  ["kubectl exec bb -- route -n", `Kernel IP routing table
Destination     Gateway         Genmask         Flags Metric Ref    Use Iface
0.0.0.0         10.244.0.1      0.0.0.0         UG    0      0        0 eth0
10.244.0.0      0.0.0.0         255.255.255.0   U     0      0        0 eth0
10.244.0.0      10.244.0.1      255.255.0.0     UG    0      0        0 eth0
[exit 0]
`],
  ["kubectl exec shoot -- netstat -rn", `Kernel IP routing table
Destination     Gateway         Genmask         Flags   MSS Window  irtt Iface
0.0.0.0         10.244.0.1      0.0.0.0         UG        0 0          0 eth0
10.244.0.0      0.0.0.0         255.255.255.0   U         0 0          0 eth0
10.244.0.0      10.244.0.1      255.255.0.0     UG        0 0          0 eth0
[exit 0]
`],
];
