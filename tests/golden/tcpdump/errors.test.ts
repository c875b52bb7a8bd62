/**
 * tcpdump's and the shell's errors, and what a host without tcpdump says.
 *
 * tcpdump.c (tag tcpdump-4.99.5): error() prefixes "tcpdump: " and exits 1; "invalid packet
 * count %s"; an unknown option prints getopt's message (glibc on the node: "invalid option --
 * 'x'", "option requires an argument -- 'x'"; musl in netshoot: "unrecognized option: x",
 * "option requires an argument: x"), then print_usage() (print_version() first);
 * show_devices_and_exit() for -D. libpcap 1.10: grammar.y yyerror ("can't parse filter
 * expression: syntax error"), gencode.c ("unknown host '%s'", "unknown port '%s'"),
 * pcap-linux.c ("%s: No such device exists" and "(SIOCGIFHWADDR: No such device)"); savefile.c
 * pcap_fopen_offline ("unknown file format"; fread of a directory: "error reading dump
 * file: Is a directory"), fopen's errno text for -r and -w ("%s: No such file or directory");
 * tcpdump.c's "invalid snaplen %s (must be >= 0 and <= %d)".
 * bash builtins/jobs.def and kill.def ("fg: current: no such job", "kill: %3: no such job");
 * busybox ash's "sh: tcpdump: not found"; runc's "executable file not found in $PATH" through
 * kubectl exec.
 */
import { expect, it } from 'vitest';
import { cluster, type } from './scenario';

it('bad input gets the real tools\' errors, and a tool missing from the image the runtime\'s', () => {
  const sim = cluster();
  const seen: [string, string][] = [];
  for (const [line] of EXPECTED) seen.push([line, type(sim, line)]);
  expect(seen).toEqual(EXPECTED);
});

const EXPECTED: [string, string][] = [
  ["kubectl exec -it client -- bash", ``],
  ["tcpdump -nn ether proto 0x0800", `tcpdump: filter primitive 'ether proto' is not simulated here
`],
  ["tcpdump -nn port", `tcpdump: can't parse filter expression: syntax error
`],
  ["tcpdump -nn host 10.244.0.4 and", `tcpdump: can't parse filter expression: syntax error
`],
  ["tcpdump -nn 'port 80 or (host 10.96.0.10'", `tcpdump: can't parse filter expression: syntax error
`],
  ["tcpdump -i eth9", `tcpdump: eth9: No such device exists
(SIOCGIFHWADDR: No such device)
`],
  ["tcpdump -Z", `tcpdump: option requires an argument: Z
tcpdump version 4.99.5
libpcap version 1.10.5 (with TPACKET_V3)
OpenSSL 3.3.2 3 Sep 2024
Usage: tcpdump [-AbdDefhHIJKlLnNOpqStuUvxX#] [ -B size ] [ -c count ] [--count]
		[ -C file_size ] [ -E algo:secret ] [ -F file ] [ -G seconds ]
		[ -i interface ] [ --immediate-mode ] [ -j tstamptype ]
		[ -M secret ] [ --number ] [ --print ] [ -Q in|out|inout ]
		[ -r file ] [ -s snaplen ] [ -T type ] [ --version ]
		[ -V file ] [ -w file ] [ -W filecount ] [ -y datalinktype ]
		[ --time-stamp-precision precision ] [ --micro ] [ --nano ]
		[ -z postrotate-command ] [ -Z user ] [ expression ]
`],
  ["tcpdump host nosuch", `tcpdump: unknown host 'nosuch'
`],
  ["tcpdump port nosuch", `tcpdump: unknown port 'nosuch'
`],
  ["tcpdump -c 0", `tcpdump: invalid packet count 0
`],
  ["tcpdump -D", `1.eth0 [Up, Running, Connected]
2.any (Pseudo-device that captures on all interfaces) [Up, Running]
3.lo [Up, Running, Loopback]
4.tunl0 [none]
`],
  ["tcpdump -w /nope/x.pcap", `tcpdump: /nope/x.pcap: No such file or directory
`],
  ["tcpdump -w /tmp", `tcpdump: /tmp: Is a directory
`],
  ["tcpdump -r /tmp/x.pcap", `tcpdump: /tmp/x.pcap: No such file or directory
`],
  ["tcpdump -r /tmp", `tcpdump: error reading dump file: Is a directory
`],
  ["tcpdump -r /etc/resolv.conf", `tcpdump: unknown file format
`],
  ["tcpdump -s -1", `tcpdump: invalid snaplen -1 (must be >= 0 and <= 262144)
`],
  ["tcpdump -s 96 -w /tmp/x.pcap", `tcpdump: -s is not simulated here: a snapshot shorter than 1600 bytes would cut packets short, and the printers' truncation marks ([|tcp]) are not modelled
`],
  ["tcpdump -w - -nA port 80", `tcpdump: -w - is not simulated here: the terminal shows text, and a savefile on standard output is binary (write it to a file and read it with -r)
`],
  ["tcpdump --version", `tcpdump version 4.99.5
libpcap version 1.10.5 (with TPACKET_V3)
OpenSSL 3.3.2 3 Sep 2024
`],
  ["fg", `bash: fg: current: no such job
`],
  ["kill %3", `bash: kill: %3: no such job
`],
  ["exit", `exit
command terminated with exit code 1
`],
  ["kubectl exec bb -- tcpdump -i any", `error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "0106c25905610a60dac6a35373c7817206b40326fb1bc32e9449b2dbe0b861f3": OCI runtime exec failed: exec failed: unable to start container process: exec: "tcpdump": executable file not found in $PATH: unknown
`],
  ["kubectl exec -it bb -- sh", ``],
  ["tcpdump -i eth0", `sh: tcpdump: not found
`],
  ["exit", `command terminated with exit code 127
`],
  ["ssh node-1", ``],
  ["tcpdump -Z", `tcpdump: option requires an argument -- 'Z'
tcpdump version 4.99.5
libpcap version 1.10.5 (with TPACKET_V3)
OpenSSL 3.3.2 3 Sep 2024
Usage: tcpdump [-AbdDefhHIJKlLnNOpqStuUvxX#] [ -B size ] [ -c count ] [--count]
		[ -C file_size ] [ -E algo:secret ] [ -F file ] [ -G seconds ]
		[ -i interface ] [ --immediate-mode ] [ -j tstamptype ]
		[ -M secret ] [ --number ] [ --print ] [ -Q in|out|inout ]
		[ -r file ] [ -s snaplen ] [ -T type ] [ --version ]
		[ -V file ] [ -w file ] [ -W filecount ] [ -y datalinktype ]
		[ --time-stamp-precision precision ] [ --micro ] [ --nano ]
		[ -z postrotate-command ] [ -Z user ] [ expression ]
`],
  ["tcpdump -D", `1.eth0 [Up, Running, Connected]
2.tunl0 [Up, Running]
3.cali521b6c62951 [Up, Running, Connected]
4.calia7a3e029a7b [Up, Running, Connected]
5.cali782cecfb048 [Up, Running, Connected]
6.any (Pseudo-device that captures on all interfaces) [Up, Running]
7.lo [Up, Running, Loopback]
`],
  ["exit", `logout
Connection to node-1 closed.
`],
];
