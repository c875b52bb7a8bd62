/**
 * Goldens for the learner probe of 2026-12-07 (notes/probe-2026-12-07.md, defects 1, 2, 4, 6,
 * 7, 8, 10, 12, 13, 15), each against its upstream source:
 *  - programs by path (hosts/paths.ts): busybox 1_36_1's `//applet:` install dirs and
 *    docker-library/busybox's `busybox --install /bin`; aports APKBUILDs (bash --bindir=/bin,
 *    iputils ping in /bin, iproute2 SBINDIR=/sbin, iptables --sbindir=/sbin, tcpdump 4.99 in
 *    /usr/bin); usrmerged Debian/Ubuntu; ash's "not found" and bash's "No such file or directory"
 *  - kubectl run -it --rm -- SHELL (k8s.io/kubectl pkg/cmd/run/run.go Run: attach, then
 *    removeCreatedObjects; DeleteOptions.PrintObj's `deleted from NS namespace`)
 *  - curl -V (src/tool_help.c tool_version_info; each build's libraries)
 *  - busybox getopt32 and bb_show_usage (libbb/appletlib.c: `APPLET --help` exits 0), the
 *    applets' //usage: text; iputils getopt
 *  - nc's readwrite() copying stdin to the socket (networking/nc_bloaty.c); nginx's 400
 *    (ngx_http_parse_request_line, ngx_http_special_response.c)
 *  - ss's FILTER (iproute2 misc/ssfilter.y, misc/ss.c main/parse_hostcond/scan_state/_usage at v5.15.0)
 *  - kube-proxy's serveMetrics (cmd/kube-proxy/app/server.go): /proxyMode, healthz's "ok"
 *  - chroot (busybox coreutils/chroot.c, GNU chroot) into the /host mount of kubectl debug node/…;
 *    the debugger Pod's container terminated and the Pod Succeeded (kubelet: restartPolicy Never)
 */
import { describe, expect, it } from 'vitest';
import type { HostRef } from '../../../engine/types';
import { cluster, bb, curlPod, shoot } from '../traffic/scenario';
import { sim } from './helpers';

const node: HostRef = { kind: 'node', node: 'node-1' };
const web: HostRef = { kind: 'pod', namespace: 'default', pod: 'web-7d4b9c8f5-x2kqp', container: 'main' };

describe('probe fixes: command lines on pods and nodes, in order on one cluster', () => {
  const s = cluster('calico', 'iptables');
  const cases: { host: HostRef; line: string; why: string; stdout: string; stderr: string; exitCode: number }[] = [
    { host: bb, line: "/bin/sh -c 'echo hi; /bin/hostname'", why: "busybox: /bin/sh and /bin/hostname are applet links in /bin (busybox --install /bin)", stdout: "hi\nbb\n", stderr: "", exitCode: 0 },
    { host: bb, line: "ls /bin | head -5; ls /usr/bin; which ping wget nc env; type ls; command -v ls; command -v cd; command -v nope; echo $?", why: "busybox: ls /bin lists the applets, /usr/bin holds only env; which/type/command -v answer /bin paths", stdout: "[\n[[\nacpid\nadd-shell\naddgroup\nenv\n/bin/ping\n/bin/wget\n/bin/nc\n/usr/bin/env\nls is /bin/ls\n/bin/ls\ncd\n1\n", stderr: "", exitCode: 0 },
    { host: bb, line: "/bin/nope; echo $?", why: "busybox ash: a missing path is `sh: PATH: not found`, status 127", stdout: "127\n", stderr: "sh: /bin/nope: not found\n", exitCode: 0 },
    { host: bb, line: "/usr/bin/wget -q -O - http://web/ | head -4", why: "busybox:1.36 has wget only in /bin", stdout: "", stderr: "sh: /usr/bin/wget: not found\n", exitCode: 0 },
    { host: shoot, line: "/bin/bash -c 'which curl ip ss iptables tcpdump ping nc bash; /usr/bin/curl -s -o /dev/null -w \"%{http_code}\\n\" http://web/'", why: "netshoot (Alpine): bash in /bin, iproute2 and iptables in /sbin, curl/tcpdump/nc in /usr/bin, iputils ping in /bin", stdout: "/usr/bin/curl\n/sbin/ip\n/sbin/ss\n/sbin/iptables\n/usr/bin/tcpdump\n/bin/ping\n/usr/bin/nc\n/bin/bash\n200\n", stderr: "", exitCode: 0 },
    { host: shoot, line: "/usr/bin/nope; echo $?", why: "bash: a missing path is `No such file or directory`, status 127", stdout: "127\n", stderr: "bash: /usr/bin/nope: No such file or directory\n", exitCode: 0 },
    { host: shoot, line: "ls /sbin | grep -c .; test -x /sbin/ip && echo ip-there; test -x /sbin/nope || echo no-nope", why: "Alpine /sbin: applets plus iproute2 and iptables; test -x sees a program", stdout: "91\nip-there\nno-nope\n", stderr: "", exitCode: 0 },
    { host: curlPod, line: "which curl; /usr/bin/curl -V", why: "curlimages/curl: /usr/bin/curl and its version block", stdout: "/usr/bin/curl\ncurl 8.11.1 (x86_64-alpine-linux-musl) libcurl/8.11.1 OpenSSL/3.3.2 zlib/1.3.1 brotli/1.1.0 zstd/1.5.6 c-ares/1.34.3 libidn2/2.3.7 libpsl/0.21.5 nghttp2/1.64.0\nRelease-Date: 2024-12-11\nProtocols: dict file ftp ftps gopher gophers http https imap imaps ipfs ipns mqtt pop3 pop3s rtsp smb smbs smtp smtps telnet tftp ws wss\nFeatures: alt-svc AsynchDNS brotli HSTS HTTP2 HTTPS-proxy IDN IPv6 Largefile libz NTLM PSL SSL threadsafe TLS-SRP UnixSockets zstd\n", stderr: "", exitCode: 0 },
    { host: node, line: "which iptables ip ss tcpdump kubectl crictl curl; /usr/sbin/iptables -t nat -S KUBE-SERVICES | head -2; /bin/ls /etc/cni", why: "Ubuntu node (usrmerged): which answers the first PATH directory; /usr/sbin/iptables and /bin/ls run", stdout: "/usr/sbin/iptables\n/usr/sbin/ip\n/usr/bin/ss\n/usr/bin/tcpdump\n/usr/bin/kubectl\n/usr/bin/crictl\n/usr/bin/curl\n-N KUBE-SERVICES\n-A KUBE-SERVICES -d 10.96.12.4/32 -p tcp -m comment --comment \"default/echo cluster IP\" -m tcp --dport 80 -j KUBE-SVC-HV6DMF63W6MGLRDE\nnet.d\n", stderr: "", exitCode: 0 },
    { host: node, line: "curl -s localhost:10249/proxyMode; echo; curl -si 127.0.0.1:10249/healthz; echo; curl -s localhost:10249/nope", why: "kube-proxy's metrics server: /proxyMode, /healthz, Go's 404", stdout: "iptables\nHTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\nDate: Wed, 15 Jan 2025 09:00:00 GMT\r\nContent-Length: 2\r\n\r\nok\n404 page not found\n", stderr: "", exitCode: 0 },
    { host: web, line: "curl --version", why: "nginx image: Debian 12's curl 7.88.1", stdout: "curl 7.88.1 (x86_64-pc-linux-gnu) libcurl/7.88.1 OpenSSL/3.0.15 zlib/1.2.13 brotli/1.0.9 zstd/1.5.4 libidn2/2.3.3 libpsl/0.21.2 (+libidn2/2.3.3) libssh2/1.10.0 nghttp2/1.52.0 librtmp/2.3 OpenLDAP/2.5.13\nRelease-Date: 2023-02-20, security patched: 7.88.1-10+deb12u8\nProtocols: dict file ftp ftps gopher gophers http https imap imaps ldap ldaps mqtt pop3 pop3s rtmp rtsp scp sftp smb smbs smtp smtps telnet tftp\nFeatures: alt-svc AsynchDNS brotli GSS-API HSTS HTTP2 HTTPS-proxy IDN IPv6 Kerberos Largefile libz NTLM NTLM_WB PSL SPNEGO SSL threadsafe TLS-SRP UnixSockets zstd\n", stderr: "", exitCode: 0 },
    { host: shoot, line: "curl -V", why: "netshoot: Alpine's curl 8.7.1", stdout: "curl 8.7.1 (x86_64-alpine-linux-musl) libcurl/8.7.1 OpenSSL/3.3.0 zlib/1.3.1 brotli/1.1.0 zstd/1.5.6 c-ares/1.28.1 libidn2/2.3.7 libpsl/0.21.5 nghttp2/1.62.1\nRelease-Date: 2024-03-27\nProtocols: dict file ftp ftps gopher gophers http https imap imaps ipfs ipns mqtt pop3 pop3s rtsp smb smbs smtp smtps telnet tftp ws wss\nFeatures: alt-svc AsynchDNS brotli HSTS HTTP2 HTTPS-proxy IDN IPv6 Largefile libz NTLM NTLM_WB PSL SSL threadsafe TLS-SRP UnixSockets zstd\n", stderr: "", exitCode: 0 },
    { host: bb, line: "ping -c1 -W1 10.244.0.55", why: "busybox ping: -W1 with its value attached", stdout: "PING 10.244.0.55 (10.244.0.55): 56 data bytes\n64 bytes from 10.244.0.55: seq=0 ttl=62 time=0.685 ms\n\n--- 10.244.0.55 ping statistics ---\n1 packets transmitted, 1 packets received, 0% packet loss\nround-trip min/avg/max = 0.685/0.685/0.685 ms\n", stderr: "", exitCode: 0 },
    { host: shoot, line: "ping -c1 -W1 -w2 10.244.0.55", why: "iputils ping: -W1 -w2 attached", stdout: "PING 10.244.0.55 (10.244.0.55) 56(84) bytes of data.\n64 bytes from 10.244.0.55: icmp_seq=1 ttl=62 time=0.730 ms\n\n--- 10.244.0.55 ping statistics ---\n1 packets transmitted, 1 received, 0% packet loss, time 0ms\nrtt min/avg/max/mdev = 0.730/0.730/0.730/0.000 ms\n", stderr: "", exitCode: 0 },
    { host: bb, line: "ping -x 10.244.0.55", why: "busybox ping: an unknown short option, then the whole usage (exit 1)", stdout: "", stderr: "ping: invalid option -- 'x'\nBusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: ping [OPTIONS] HOST\n\nSend ICMP ECHO_REQUESTs to HOST\n\n\t-4,-6\t\tForce IP or IPv6 name resolution\n\t-c CNT\t\tSend only CNT pings\n\t-s SIZE\t\tSend SIZE data bytes in packets (default 56)\n\t-i SECS\t\tInterval\n\t-A\t\tPing as soon as reply is received\n\t-t TTL\t\tSet TTL\n\t-I IFACE/IP\tSource interface or IP address\n\t-W SEC\t\tSeconds to wait for the first response (default 10)\n\t\t\t(after all -c CNT packets are sent)\n\t-w SEC\t\tSeconds until ping exits (default:infinite)\n\t\t\t(can exit earlier with -c CNT)\n\t-q\t\tQuiet, only display output at start/finish\n\t-p HEXBYTE\tPayload pattern\n", exitCode: 1 },
    { host: bb, line: "ping --help", why: "busybox ping --help: the whole usage, exit 0", stdout: "", stderr: "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: ping [OPTIONS] HOST\n\nSend ICMP ECHO_REQUESTs to HOST\n\n\t-4,-6\t\tForce IP or IPv6 name resolution\n\t-c CNT\t\tSend only CNT pings\n\t-s SIZE\t\tSend SIZE data bytes in packets (default 56)\n\t-i SECS\t\tInterval\n\t-A\t\tPing as soon as reply is received\n\t-t TTL\t\tSet TTL\n\t-I IFACE/IP\tSource interface or IP address\n\t-W SEC\t\tSeconds to wait for the first response (default 10)\n\t\t\t(after all -c CNT packets are sent)\n\t-w SEC\t\tSeconds until ping exits (default:infinite)\n\t\t\t(can exit earlier with -c CNT)\n\t-q\t\tQuiet, only display output at start/finish\n\t-p HEXBYTE\tPayload pattern\n", exitCode: 0 },
    { host: bb, line: "wget --help", why: "busybox wget --help", stdout: "", stderr: "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[-P DIR] [-U AGENT] [-T SEC] URL...\n\nRetrieve files via HTTP or FTP\n\n\t--spider\tOnly check URL existence: $? is 0 if exists\n\t--header STR\tAdd STR (of form 'header: value') to headers\n\t--post-data STR\tSend STR using POST method\n\t--post-file FILE\tSend FILE using POST method\n\t-c\t\tContinue retrieval of aborted transfer\n\t-q\t\tQuiet\n\t-P DIR\t\tSave to DIR (default .)\n\t-S    \t\tShow server response\n\t-T SEC\t\tNetwork read timeout is SEC seconds\n\t-O FILE\t\tSave to FILE ('-' for stdout)\n\t-o LOGFILE\tLog messages to FILE\n\t-U STR\t\tUse STR for User-Agent header\n\t-Y on/off\tUse proxy\n", exitCode: 0 },
    { host: bb, line: "nc --help", why: "busybox nc --help", stdout: "", stderr: "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: nc [OPTIONS] HOST PORT  - connect\nnc [OPTIONS] -l -p PORT [HOST] [PORT]  - listen\n\n\t-e PROG\tRun PROG after connect (must be last)\n\t-l\tListen mode, for inbound connects\n\t-lk\tWith -e, provides persistent server\n\t-p PORT\tLocal port\n\t-s ADDR\tLocal address\n\t-w SEC\tTimeout for connects and final net reads\n\t-i SEC\tDelay interval for lines sent\n\t-n\tDon't do DNS resolution\n\t-u\tUDP mode\n\t-b\tAllow broadcasts\n\t-v\tVerbose\n\t-o FILE\tHex dump traffic\n\t-z\tZero-I/O mode (scanning)\n", exitCode: 0 },
    { host: bb, line: "wget -q -O - --no-check-certificate http://web/ | head -2", why: "busybox wget accepts --no-check-certificate", stdout: "<!DOCTYPE html>\n<html>\n", stderr: "", exitCode: 0 },
    { host: bb, line: "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc web 80", why: "nc as an HTTP client: nginx's response to an HTTP/1.0 request (Connection: close)", stdout: "HTTP/1.1 200 OK\r\nServer: nginx/1.27.3\r\nDate: Wed, 15 Jan 2025 09:00:00 GMT\r\nContent-Type: text/html\r\nContent-Length: 615\r\nLast-Modified: Tue, 26 Nov 2024 15:55:00 GMT\r\nConnection: close\r\nETag: \"6745ef54-267\"\r\nAccept-Ranges: bytes\r\n\r\n<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n<style>\nhtml { color-scheme: light dark; }\nbody { width: 35em; margin: 0 auto;\nfont-family: Tahoma, Verdana, Arial, sans-serif; }\n</style>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed and\nworking. Further configuration is required.</p>\n\n<p>For online documentation and support please refer to\n<a href=\"http://nginx.org/\">nginx.org</a>.<br/>\nCommercial support is available at\n<a href=\"http://nginx.com/\">nginx.com</a>.</p>\n\n<p><em>Thank you for using nginx.</em></p>\n</body>\n</html>\n", stderr: "", exitCode: 0 },
    { host: bb, line: "echo hi | nc web 80", why: "nc sends a non-HTTP line: nginx's 400 page", stdout: "HTTP/1.1 400 Bad Request\r\nServer: nginx/1.27.3\r\nDate: Wed, 15 Jan 2025 09:00:00 GMT\r\nContent-Type: text/html\r\nContent-Length: 157\r\nConnection: close\r\n\r\n<html>\r\n<head><title>400 Bad Request</title></head>\r\n<body>\r\n<center><h1>400 Bad Request</h1></center>\r\n<hr><center>nginx/1.27.3</center>\r\n</body>\r\n</html>\r\n", stderr: "", exitCode: 0 },
    { host: bb, line: "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc echo 80", why: "nc to http-echo", stdout: "HTTP/1.1 200 OK\r\nX-App-Name: http-echo\r\nX-App-Version: 1.0.0\r\nDate: Wed, 15 Jan 2025 09:00:00 GMT\r\nContent-Length: 16\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nhello from echo\n", stderr: "", exitCode: 0 },
    { host: node, line: "ss -tn state established '( dport = :6443 or sport = :6443 )'", why: "ss: a state and a parenthesised or-expression; one state hides the State column", stdout: "Recv-Q Send-Q         Local Address:Port           Peer Address:Port Process\n0      0               192.168.49.2:39574          192.168.49.2:6443        \n0      0               192.168.49.2:33596          192.168.49.2:6443        \n0      0      [::ffff:192.168.49.2]:6443  [::ffff:192.168.49.3]:55957       \n0      0      [::ffff:192.168.49.2]:6443  [::ffff:192.168.49.3]:19494       \n0      0      [::ffff:192.168.49.2]:6443  [::ffff:192.168.49.3]:37824       \n0      0      [::ffff:192.168.49.2]:6443    [::ffff:10.244.0.1]:40752       \n0      0      [::ffff:192.168.49.2]:6443  [::ffff:192.168.49.3]:46061       \n0      0               192.168.49.2:41101          192.168.49.2:6443        \n0      0      [::ffff:192.168.49.2]:6443  [::ffff:192.168.49.2]:39574       \n0      0               192.168.49.2:35326          192.168.49.2:6443        \n0      0      [::ffff:192.168.49.2]:6443  [::ffff:192.168.49.3]:47652       \n0      0      [::ffff:192.168.49.2]:6443  [::ffff:192.168.49.2]:57994       \n0      0      [::ffff:192.168.49.2]:6443  [::ffff:192.168.49.2]:33596       \n0      0      [::ffff:192.168.49.2]:6443  [::ffff:192.168.49.2]:35326       \n0      0      [::ffff:192.168.49.2]:6443  [::ffff:192.168.49.2]:41101       \n", stderr: "", exitCode: 0 },
    { host: node, line: "ss -tln 'sport = :10250'", why: "ss: sport = :PORT", stdout: "State  Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess\nLISTEN 0      4096               *:10250            *:*          \n", stderr: "", exitCode: 0 },
    { host: node, line: "ss -tln sport gt :10000", why: "ss: sport gt :PORT", stdout: "State  Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess\nLISTEN 0      4096       127.0.0.1:10248      0.0.0.0:*          \nLISTEN 0      4096       127.0.0.1:10249      0.0.0.0:*          \nLISTEN 0      4096       127.0.0.1:10257      0.0.0.0:*          \nLISTEN 0      4096       127.0.0.1:10259      0.0.0.0:*          \nLISTEN 0      4096       127.0.0.1:39198      0.0.0.0:*          \nLISTEN 0      4096               *:10250            *:*          \nLISTEN 0      4096               *:10256            *:*          \n", stderr: "", exitCode: 0 },
    { host: node, line: "ss -tln src 127.0.0.0/8", why: "ss: src PREFIX", stdout: "State  Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess\nLISTEN 0      4096       127.0.0.1:2379       0.0.0.0:*          \nLISTEN 0      4096       127.0.0.1:9099       0.0.0.0:*          \nLISTEN 0      4096       127.0.0.1:10248      0.0.0.0:*          \nLISTEN 0      4096       127.0.0.1:10249      0.0.0.0:*          \nLISTEN 0      4096       127.0.0.1:10257      0.0.0.0:*          \nLISTEN 0      4096       127.0.0.1:10259      0.0.0.0:*          \nLISTEN 0      4096       127.0.0.1:39198      0.0.0.0:*          \n", stderr: "", exitCode: 0 },
    { host: node, line: "ss -tn dst 127.0.0.1", why: "ss: dst ADDR", stdout: "State Recv-Q Send-Q Local Address:Port  Peer Address:Port Process\nESTAB 0      0          127.0.0.1:48424    127.0.0.1:2379        \nESTAB 0      0          127.0.0.1:2379     127.0.0.1:48424       \n", stderr: "", exitCode: 0 },
    { host: node, line: "ss -tn state bogus", why: "ss: scan_state's error", stdout: "", stderr: "ss: wrong state name: bogus\n", exitCode: 255 },
    { host: node, line: "ss -tn dport = :foo", why: "ss: parse_hostcond's port error", stdout: "", stderr: "Error: \"foo\" does not look like a port.\nCannot parse dst/src address.\n", exitCode: 1 },
    { host: node, line: "ss -tn dst = nothost", why: "ss: parse_hostcond's address error", stdout: "", stderr: "Error: an inet prefix is expected rather than \"nothost\".\nCannot parse dst/src address.\n", exitCode: 1 },
    { host: node, line: "ss -tn '( dport = :80'", why: "ss: a syntax error: bison bellows and the usage, exit 255", stdout: "", stderr: "ss: bison bellows (while parsing filter): \"syntax error!\" Sorry.\nUsage: ss [ OPTIONS ]\n       ss [ OPTIONS ] [ FILTER ]\n   -h, --help          this message\n   -V, --version       output version information\n   -n, --numeric       don't resolve service names\n   -r, --resolve       resolve host names\n   -a, --all           display all sockets\n   -l, --listening     display listening sockets\n   -o, --options       show timer information\n   -e, --extended      show detailed socket information\n   -m, --memory        show socket memory usage\n   -p, --processes     show process using socket\n   -i, --info          show internal TCP information\n       --tipcinfo      show internal tipc socket information\n   -s, --summary       show socket usage summary\n       --tos           show tos and priority information\n       --cgroup        show cgroup information\n   -b, --bpf           show bpf filter socket information\n   -E, --events        continually display sockets as they are destroyed\n   -Z, --context       display process SELinux security contexts\n   -z, --contexts      display process and socket SELinux security contexts\n   -N, --net           switch to the specified network namespace name\n\n   -4, --ipv4          display only IP version 4 sockets\n   -6, --ipv6          display only IP version 6 sockets\n   -0, --packet        display PACKET sockets\n   -t, --tcp           display only TCP sockets\n   -M, --mptcp         display only MPTCP sockets\n   -S, --sctp          display only SCTP sockets\n   -u, --udp           display only UDP sockets\n   -d, --dccp          display only DCCP sockets\n   -w, --raw           display only RAW sockets\n   -x, --unix          display only Unix domain sockets\n       --tipc          display only TIPC sockets\n       --vsock         display only vsock sockets\n   -f, --family=FAMILY display sockets of type FAMILY\n       FAMILY := {inet|inet6|link|unix|netlink|vsock|tipc|xdp|help}\n\n   -K, --kill          forcibly close sockets, display what was closed\n   -H, --no-header     Suppress header line\n   -O, --oneline       socket's data printed on a single line\n       --inet-sockopt  show various inet socket options\n\n   -A, --query=QUERY, --socket=QUERY\n       QUERY := {all|inet|tcp|mptcp|udp|raw|unix|unix_dgram|unix_stream|unix_seqpacket|packet|netlink|vsock_stream|vsock_dgram|tipc}[,QUERY]\n\n   -D, --diag=FILE     Dump raw information about TCP sockets to FILE\n   -F, --filter=FILE   read filter information from FILE\n       FILTER := [ state STATE-FILTER ] [ EXPRESSION ]\n       STATE-FILTER := {all|connected|synchronized|bucket|big|TCP-STATES}\n         TCP-STATES := {established|syn-sent|syn-recv|fin-wait-{1,2}|time-wait|closed|close-wait|last-ack|listening|closing}\n          connected := {established|syn-sent|syn-recv|fin-wait-{1,2}|time-wait|close-wait|last-ack|closing}\n       synchronized := {established|syn-recv|fin-wait-{1,2}|time-wait|close-wait|last-ack|closing}\n             bucket := {syn-recv|time-wait}\n                big := {established|syn-sent|fin-wait-{1,2}|closed|close-wait|last-ack|listening|closing}\n", exitCode: 255 },
    { host: shoot, line: "dig +trace example.com", why: "dig +trace: not simulated, said so", stdout: "", stderr: "netlab: dig +trace (an iterative walk from the root name servers) is not simulated here: the simulated Internet has no root or TLD servers\n", exitCode: 1 },
  ];
  for (const c of cases) {
    it(`${c.line} — ${c.why}`, () => {
      expect(s.shell.runIn(c.host, c.line)).toEqual({ stdout: c.stdout, stderr: c.stderr, exitCode: c.exitCode });
    });
  }
});

describe('kubectl run -ti --rm -- /bin/sh (the Declare Network Policy walkthrough)', () => {
  it('attaches a shell; the Pod is deleted only when the shell exits', () => {
    const w = sim();
    const steps: [string, { stdout: string; stderr: string; exitCode: number }][] = [
      ["kubectl run busybox --rm -ti --image=busybox:1.28 -- /bin/sh", { stdout: "", stderr: "All commands and output from this session will be recorded in container logs, including credentials and sensitive information passed through the command prompt.\nIf you don't see a command prompt, try pressing enter.\n", exitCode: 0 }],
      ["hostname", { stdout: "busybox\n", stderr: "", exitCode: 0 }],
      // attach.go reattachMessage (restartPolicy Always, a TTY session), then --rm's deferred delete
      ["exit", { stdout: "Session ended, resume using 'kubectl attach busybox -c busybox -i -t' command when the pod is running\npod \"busybox\" deleted from default namespace\n", stderr: "", exitCode: 0 }],
      ["kubectl get pod busybox", { stdout: "NAME      READY   STATUS        RESTARTS   AGE\nbusybox   1/1     Terminating   0          5s\n", stderr: "", exitCode: 0 }],
    ];
    for (const [line, want] of steps) expect(w.run(line), line).toEqual(want);
  });

  it('the shell chroot starts is the node\'s /bin/sh, dash: its prompt is `# `; with SHELL=/bin/bash it is bash\'s', () => {
    // busybox coreutils/chroot.c: no PROG → getenv("SHELL") or DEFAULT_SHELL ("/bin/sh") with -i;
    // Ubuntu 22.04's /bin/sh -> dash, whose default PS1 is "# " for root (dash src/var.c)
    const w = sim();
    w.run('kubectl debug node/node-1 -it --image=busybox');
    w.run('chroot /host');
    expect(w.prompt()).toBe('# ');
    w.run('exit');
    expect(w.prompt()).toBe('/ # ');
    w.run('export SHELL=/bin/bash');
    w.run('chroot /host');
    expect(w.prompt()).toBe('root@node-1:/# ');
    expect(w.run('exit').stderr).toBe('exit\n');
  });
});

describe('kubectl debug node/NAME -it, then chroot /host (kubernetes.io "Debugging Kubernetes Nodes With Kubectl")', () => {
  it('chroot /host is the node\'s own shell and tools; when the session ends the debugger Pod (restartPolicy Never) is Completed', () => {
    const w = sim();
    const steps: [string, { stdout: string; stderr: string; exitCode: number }][] = [
      // debug.go v0.34: --profile defaults to legacy, and Validate warns of it on stderr
      ["kubectl debug node/node-1 -it --image=busybox", { stdout: "Creating debugging pod node-debugger-node-1-m2zlm with container debugger on node node-1.\n", stderr: "--profile=legacy is deprecated and will be removed in the future. It is recommended to explicitly specify a profile, for example \"--profile=general\".\nAll commands and output from this session will be recorded in container logs, including credentials and sensitive information passed through the command prompt.\nIf you don't see a command prompt, try pressing enter.\n", exitCode: 0 }],
      ["chroot /host", { stdout: "", stderr: "", exitCode: 0 }],
      ["hostname", { stdout: "node-1\n", stderr: "", exitCode: 0 }],
      ["which crictl", { stdout: "/usr/bin/crictl\n", stderr: "", exitCode: 0 }],
      // dash (the node's /bin/sh, what chroot runs without $SHELL) prints nothing on exit
      ["exit", { stdout: "", stderr: "", exitCode: 0 }],
      // attach.go v0.34 reattachMessage: nothing for a Pod whose restartPolicy is not Always (the node debugger's is Never)
      ["exit", { stdout: "", stderr: "", exitCode: 0 }],
      ["kubectl get pods -o custom-columns=NAME:.metadata.name,PHASE:.status.phase,REASON:.status.containerStatuses[0].state.terminated.reason", { stdout: "NAME                         PHASE       REASON\nnode-debugger-node-1-m2zlm   Succeeded   Completed\n", stderr: "", exitCode: 0 }],
    ];
    for (const [line, want] of steps) expect(w.run(line), line).toEqual(want);
  });

  it('the shell chroot starts is the node\'s /bin/sh, dash: its prompt is `# `; with SHELL=/bin/bash it is bash\'s', () => {
    // busybox coreutils/chroot.c: no PROG → getenv("SHELL") or DEFAULT_SHELL ("/bin/sh") with -i;
    // Ubuntu 22.04's /bin/sh -> dash, whose default PS1 is "# " for root (dash src/var.c)
    const w = sim();
    w.run('kubectl debug node/node-1 -it --image=busybox');
    w.run('chroot /host');
    expect(w.prompt()).toBe('# ');
    w.run('exit');
    expect(w.prompt()).toBe('/ # ');
    w.run('export SHELL=/bin/bash');
    w.run('chroot /host');
    expect(w.prompt()).toBe('root@node-1:/# ');
    expect(w.run('exit').stderr).toBe('exit\n');
  });
});
