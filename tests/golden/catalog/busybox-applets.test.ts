/**
 * busybox 1.36.1 applets in a busybox Pod, from the Pod's own network namespace and PID
 * namespace (tests/golden/catalog/scenario.ts).
 * ifconfig: networking/ifconfig.c (`-a`, one IFACE, SIOCSIF* needing CAP_NET_ADMIN) and
 * networking/interface.c ife_print ("%-9s Link encap:%s  ", "HWaddr %s  " in ether_print's
 * capitals, "inet addr:%s " + " Bcast:%s " + " Mask:%s", ife_print6 "inet6 addr: %s/%d"
 * " Scope:Link|Host", the IFF_* words in order, " MTU:%d  Metric:%d", the RX/TX lines,
 * "collisions:%lu " "txqueuelen:%d ", print_bytes_scaled "X bytes:%llu (%llu.%u %sB)";
 * an IPIP tunnel has no hwtype of its own: UNSPEC_print's sixteen "%02X-" bytes; do_if_fetch's
 * "%s: error fetching interface information: Device not found").
 * ps: procps/ps.c (DESKTOP: DEFAULT_O_STR "pid,user,time,args"; format_header "%-*s ",
 * format_process, func_pid "%*u", format_time "%2u:%02u"; parse_o and find_out_spec's
 * "bad -o argument '%s', supported arguments: %s"; ps_trivial_usage).
 * telnet: networking/telnet.c telnet_main (`printf("Connected to %s\n", host)`, then stdin's
 * end ends the session with EXIT_SUCCESS), libbb/xconnect.c (bb_lookup_port "bad port '%s'",
 * "bad address '%s'", xconnect's "can't connect to remote host (%s)" + strerror).
 * wget -S: networking/wget.c fgets_trim_sanitize(sfp, "  %s\n") echoes the status line, each
 * header as received and the blank line after them, to stderr, even with -q; busybox sends
 * `Connection: close`, so nginx answers `Connection: close` (ngx_http_header_filter_module.c).
 * netshoot's ifconfig is the same applet (nicolaka/netshoot v0.13 Dockerfile installs no
 * net-tools: Alpine's busybox provides it).
 */
import { expect, it } from 'vitest';
import { cluster, type } from './scenario';

function replay(cni: string, lines: string[]): string {
  const sim = cluster(cni);
  return lines.map((l) => `$ ${l}\n${type(sim, l)}`).join('');
}

it('ifconfig, ps, telnet and wget -S in busybox containers on Calico', () => {
  expect(replay('calico', ['kubectl exec bb -- ifconfig', 'kubectl exec bb -- ifconfig -a', 'kubectl exec web -c tools -- ifconfig eth0', 'kubectl exec bb -- ifconfig eth1', 'kubectl exec bb -- ifconfig eth0 down', 'kubectl exec bb -- ps', 'kubectl exec web -c tools -- ps aux', 'kubectl exec bb -- ps -o pid,ppid,user,etime,stat,comm', 'kubectl exec bb -- ps -o pid,args=CMD', 'kubectl exec bb -- ps -o foo', 'kubectl exec bb -- ps -x', 'kubectl exec bb -- telnet web 80', 'kubectl exec bb -- telnet web http', 'kubectl exec bb -- telnet web 81', 'kubectl exec bb -- telnet nope 80', 'kubectl exec bb -- telnet web xyz', 'kubectl exec bb -- telnet', 'kubectl exec shoot -- ifconfig', 'kubectl exec bb -- wget -S -O /dev/null web', 'kubectl exec bb -- wget -qS --spider http://web/nope'])).toBe(`$ kubectl exec bb -- ifconfig
lo        Link encap:Local Loopback  
          inet addr:127.0.0.1  Mask:255.0.0.0
          inet6 addr: ::1/128 Scope:Host
          UP LOOPBACK RUNNING  MTU:65536  Metric:1
          RX packets:0 errors:0 dropped:0 overruns:0 frame:0
          TX packets:0 errors:0 dropped:0 overruns:0 carrier:0
          collisions:0 txqueuelen:1000 
          RX bytes:0 (0.0 B)  TX bytes:0 (0.0 B)

eth0      Link encap:Ethernet  HWaddr C6:95:5F:55:ED:8C  
          inet addr:10.244.0.2  Bcast:0.0.0.0  Mask:255.255.255.255
          inet6 addr: fe80::c495:5fff:fe55:ed8c/64 Scope:Link
          UP BROADCAST RUNNING MULTICAST  MTU:1440  Metric:1
          RX packets:0 errors:0 dropped:0 overruns:0 frame:0
          TX packets:0 errors:0 dropped:0 overruns:0 carrier:0
          collisions:0 txqueuelen:0 
          RX bytes:0 (0.0 B)  TX bytes:0 (0.0 B)

[exit 0]
$ kubectl exec bb -- ifconfig -a
lo        Link encap:Local Loopback  
          inet addr:127.0.0.1  Mask:255.0.0.0
          inet6 addr: ::1/128 Scope:Host
          UP LOOPBACK RUNNING  MTU:65536  Metric:1
          RX packets:0 errors:0 dropped:0 overruns:0 frame:0
          TX packets:0 errors:0 dropped:0 overruns:0 carrier:0
          collisions:0 txqueuelen:1000 
          RX bytes:0 (0.0 B)  TX bytes:0 (0.0 B)

tunl0     Link encap:UNSPEC  HWaddr 00-00-00-00-00-00-00-00-00-00-00-00-00-00-00-00  
          NOARP  MTU:1480  Metric:1
          RX packets:0 errors:0 dropped:0 overruns:0 frame:0
          TX packets:0 errors:0 dropped:0 overruns:0 carrier:0
          collisions:0 txqueuelen:1000 
          RX bytes:0 (0.0 B)  TX bytes:0 (0.0 B)

eth0      Link encap:Ethernet  HWaddr C6:95:5F:55:ED:8C  
          inet addr:10.244.0.2  Bcast:0.0.0.0  Mask:255.255.255.255
          inet6 addr: fe80::c495:5fff:fe55:ed8c/64 Scope:Link
          UP BROADCAST RUNNING MULTICAST  MTU:1440  Metric:1
          RX packets:0 errors:0 dropped:0 overruns:0 frame:0
          TX packets:0 errors:0 dropped:0 overruns:0 carrier:0
          collisions:0 txqueuelen:0 
          RX bytes:0 (0.0 B)  TX bytes:0 (0.0 B)

[exit 0]
$ kubectl exec web -c tools -- ifconfig eth0
eth0      Link encap:Ethernet  HWaddr E2:DF:21:D6:C5:CC  
          inet addr:10.244.0.67  Bcast:0.0.0.0  Mask:255.255.255.255
          inet6 addr: fe80::e0df:21ff:fed6:c5cc/64 Scope:Link
          UP BROADCAST RUNNING MULTICAST  MTU:1440  Metric:1
          RX packets:0 errors:0 dropped:0 overruns:0 frame:0
          TX packets:0 errors:0 dropped:0 overruns:0 carrier:0
          collisions:0 txqueuelen:0 
          RX bytes:0 (0.0 B)  TX bytes:0 (0.0 B)

[exit 0]
$ kubectl exec bb -- ifconfig eth1
ifconfig: eth1: error fetching interface information: Device not found
command terminated with exit code 1
[exit 1]
$ kubectl exec bb -- ifconfig eth0 down
ifconfig: SIOCSIFFLAGS: Operation not permitted
command terminated with exit code 1
[exit 1]
$ kubectl exec bb -- ps
PID   USER     TIME  COMMAND
    1 root      0:00 sleep 3600
    7 root      0:00 ps
[exit 0]
$ kubectl exec web -c tools -- ps aux
PID   USER     TIME  COMMAND
    1 root      0:00 sleep 3600
    7 root      0:00 ps aux
[exit 0]
$ kubectl exec bb -- ps -o pid,ppid,user,etime,stat,comm
PID   PPID  USER     ELAPSED STAT COMMAND
    1     0 root      5:07   S    sleep
    7     0 root      0:00   R    ps
[exit 0]
$ kubectl exec bb -- ps -o pid,args=CMD
PID   CMD
    1 sleep 3600
    7 ps -o pid,args=CMD
[exit 0]
$ kubectl exec bb -- ps -o foo
ps: bad -o argument 'foo', supported arguments: user,group,comm,args,pid,ppid,pgid,etime,nice,rgroup,ruser,time,tty,vsz,sid,stat,rss
command terminated with exit code 1
[exit 1]
$ kubectl exec bb -- ps -x
ps: invalid option -- 'x'
BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.

Usage: ps [-o COL1,COL2=HEADER] [-T]

Show list of processes

	-o COL1,COL2=HEADER	Select columns for display
	-T			Show threads
command terminated with exit code 1
[exit 1]
$ kubectl exec bb -- telnet web 80
Connected to web
[exit 0]
$ kubectl exec bb -- telnet web http
Connected to web
[exit 0]
$ kubectl exec bb -- telnet web 81
telnet: can't connect to remote host (10.104.246.188): Connection timed out
command terminated with exit code 1
[exit 1]
$ kubectl exec bb -- telnet nope 80
telnet: bad address 'nope'
command terminated with exit code 1
[exit 1]
$ kubectl exec bb -- telnet web xyz
telnet: bad port 'xyz'
command terminated with exit code 1
[exit 1]
$ kubectl exec bb -- telnet
BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.

Usage: telnet [-a] [-l USER] HOST [PORT]

Connect to telnet server

	-a	Automatic login with $USER variable
	-l USER	Automatic login as USER
command terminated with exit code 1
[exit 1]
$ kubectl exec shoot -- ifconfig
lo        Link encap:Local Loopback  
          inet addr:127.0.0.1  Mask:255.0.0.0
          inet6 addr: ::1/128 Scope:Host
          UP LOOPBACK RUNNING  MTU:65536  Metric:1
          RX packets:0 errors:0 dropped:0 overruns:0 frame:0
          TX packets:0 errors:0 dropped:0 overruns:0 carrier:0
          collisions:0 txqueuelen:1000 
          RX bytes:0 (0.0 B)  TX bytes:0 (0.0 B)

eth0      Link encap:Ethernet  HWaddr 26:62:90:AB:94:8D  
          inet addr:10.244.0.3  Bcast:0.0.0.0  Mask:255.255.255.255
          inet6 addr: fe80::2462:90ff:feab:948d/64 Scope:Link
          UP BROADCAST RUNNING MULTICAST  MTU:1440  Metric:1
          RX packets:0 errors:0 dropped:0 overruns:0 frame:0
          TX packets:0 errors:0 dropped:0 overruns:0 carrier:0
          collisions:0 txqueuelen:0 
          RX bytes:0 (0.0 B)  TX bytes:0 (0.0 B)

[exit 0]
$ kubectl exec bb -- wget -S -O /dev/null web
Connecting to web (10.104.246.188:80)
  HTTP/1.1 200 OK
  Server: nginx/1.27.3
  Date: Wed, 15 Jan 2025 09:02:26 GMT
  Content-Type: text/html
  Content-Length: 615
  Last-Modified: Tue, 26 Nov 2024 15:55:00 GMT
  Connection: close
  ETag: "6745ef54-267"
  Accept-Ranges: bytes
  
saving to '/dev/null'
null                 100% |********************************|   615  0:00:00 ETA
'/dev/null' saved
[exit 0]
$ kubectl exec bb -- wget -qS --spider http://web/nope
  HTTP/1.1 404 Not Found
  Server: nginx/1.27.3
  Date: Wed, 15 Jan 2025 09:02:27 GMT
  Content-Type: text/html
  Content-Length: 153
  Connection: close
  
wget: server returned error: HTTP/1.1 404 Not Found
command terminated with exit code 1
[exit 1]
`);
});

it('ifconfig on Flannel: the /24 on eth0 with its broadcast address, the VXLAN MTU', () => {
  expect(replay('flannel', ['kubectl exec bb -- ifconfig'])).toBe(`$ kubectl exec bb -- ifconfig
lo        Link encap:Local Loopback  
          inet addr:127.0.0.1  Mask:255.0.0.0
          inet6 addr: ::1/128 Scope:Host
          UP LOOPBACK RUNNING  MTU:65536  Metric:1
          RX packets:0 errors:0 dropped:0 overruns:0 frame:0
          TX packets:0 errors:0 dropped:0 overruns:0 carrier:0
          collisions:0 txqueuelen:1000 
          RX bytes:0 (0.0 B)  TX bytes:0 (0.0 B)

eth0      Link encap:Ethernet  HWaddr C6:95:5F:55:ED:8C  
          inet addr:10.244.0.3  Bcast:10.244.0.255  Mask:255.255.255.0
          inet6 addr: fe80::c495:5fff:fe55:ed8c/64 Scope:Link
          UP BROADCAST RUNNING MULTICAST  MTU:1450  Metric:1
          RX packets:0 errors:0 dropped:0 overruns:0 frame:0
          TX packets:0 errors:0 dropped:0 overruns:0 carrier:0
          collisions:0 txqueuelen:0 
          RX bytes:0 (0.0 B)  TX bytes:0 (0.0 B)

[exit 0]
`);
});
