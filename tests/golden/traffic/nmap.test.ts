/**
 * Golden outputs of nmap 7.95's TCP scans (github:nmap/nmap): nmap.cc "Starting %s %s ( %s ) at
 * %s"; output.cc write_host_header (Target::NameIP: the name as typed, else the PTR name, then
 * the address; "rDNS record for %s: %s"), write_host_status ("Host is up (%ss latency)." with
 * num_to_string_sigdigits(srtt, 2), so 0.001 prints as 0.00100), printportoutput ("Not shown:
 * %d %s %s %s%s (%s)" for a state over 25 ports, portlist.cc isIgnoredState; otherwise an empty
 * line; the PORT STATE SERVICE table), printfinaloutput ("Note: Host seems down. ...", "Nmap
 * done: %u %s (%u %s up) scanned in %.2f seconds"); nmap-services' top 1000 TCP ports and
 * their names; scan_lists.cc's port-spec fatals ("Error #485: ...", "Ports specified must be
 * between 0 and 65535 inclusive", "Your port range %ld-%ld is backwards. Did you mean
 * %ld-%ld?", then "QUITTING!"); libnetutil NetBlock.cc "Failed to resolve \"%s\"." and
 * "WARNING: No targets were specified, so 0 hosts scanned.". States come from each probe's
 * walk as nc -z decides them; a SYN scan marks an ICMP port unreachable filtered, connect()
 * gets ECONNREFUSED (closed).
 */
import { describe, expect, it } from 'vitest';
import { cluster, shoot } from './scenario';
import { run } from './harness';

describe('nmap: TCP scans over the walk', () => {
  // One simulation, the commands in order: the virtual clock and the seeded stream advance as they would in a session.
  const s = cluster('calico', 'iptables');
  const cases: { line: string; why: string; stdout: string; stderr: string; exitCode: number }[] = [
    {
      line: "nmap -p 80,443 web",
      why: "a ClusterIP: 80 is DNATed to nginx, 443 has no rule and is dropped; the name as typed, then the rDNS record",
      stdout: "Starting Nmap 7.95 ( https://nmap.org ) at 2025-01-15 09:00 UTC\nNmap scan report for web (10.96.12.3)\nHost is up (0.00100s latency).\nrDNS record for 10.96.12.3: web.default.svc.cluster.local\n\nPORT    STATE    SERVICE\n80/tcp  open     http\n443/tcp filtered https\n\nNmap done: 1 IP address (1 host up) scanned in 1.07 seconds\n",
      stderr: "",
      exitCode: 0,
    },
    {
      line: "nmap web.default.svc.cluster.local",
      why: "the default top-1000 scan: every port but 80 is dropped at the ClusterIP, summarized past 25",
      stdout: "Starting Nmap 7.95 ( https://nmap.org ) at 2025-01-15 09:00 UTC\nNmap scan report for web.default.svc.cluster.local (10.96.12.3)\nHost is up (0.00100s latency).\nNot shown: 999 filtered tcp ports (no-response)\nPORT   STATE SERVICE\n80/tcp open  http\n\nNmap done: 1 IP address (1 host up) scanned in 21.03 seconds\n",
      stderr: "",
      exitCode: 0,
    },
    {
      line: "nmap -p 80 -sT broken",
      why: "a Service without endpoints, -sT: REJECT's port unreachable is ECONNREFUSED, closed",
      stdout: "Starting Nmap 7.95 ( https://nmap.org ) at 2025-01-15 09:00 UTC\nNmap scan report for broken (10.96.0.5)\nHost is up (0.000064s latency).\nrDNS record for 10.96.0.5: broken.default.svc.cluster.local\n\nPORT   STATE  SERVICE\n80/tcp closed http\n\nNmap done: 1 IP address (1 host up) scanned in 0.05 seconds\n",
      stderr: "",
      exitCode: 0,
    },
    {
      line: "nmap -p 80 broken",
      why: "the same under the default SYN scan: an ICMP port unreachable marks the port filtered",
      stdout: "Starting Nmap 7.95 ( https://nmap.org ) at 2025-01-15 09:00 UTC\nNmap scan report for broken (10.96.0.5)\nHost is up (0.000050s latency).\nrDNS record for 10.96.0.5: broken.default.svc.cluster.local\n\nPORT   STATE    SERVICE\n80/tcp filtered http\n\nNmap done: 1 IP address (1 host up) scanned in 1.06 seconds\n",
      stderr: "",
      exitCode: 0,
    },
    {
      line: "nmap -p 22,80,5678 10.244.1.59",
      why: "a Pod: the kernel resets closed ports; http-echo listens on 5678",
      stdout: "Starting Nmap 7.95 ( https://nmap.org ) at 2025-01-15 09:00 UTC\nNmap scan report for 10-244-1-59.echo.default.svc.cluster.local (10.244.1.59)\nHost is up (0.00017s latency).\n\nPORT     STATE  SERVICE\n22/tcp   closed ssh\n80/tcp   closed http\n5678/tcp open   rrac\n\nNmap done: 1 IP address (1 host up) scanned in 0.04 seconds\n",
      stderr: "",
      exitCode: 0,
    },
    {
      line: "nmap -n -p 80 10.244.0.52/30",
      why: "a /30 of the Pod range, numeric: only the web Pod answers",
      stdout: "Starting Nmap 7.95 ( https://nmap.org ) at 2025-01-15 09:00 UTC\nNmap scan report for 10.244.0.55\nHost is up (0.0012s latency).\n\nPORT   STATE SERVICE\n80/tcp open  http\n\nNmap done: 4 IP addresses (1 host up) scanned in 0.07 seconds\n",
      stderr: "",
      exitCode: 0,
    },
    {
      line: "nmap -p 80 10.96.99.99",
      why: "an address nothing answers: host discovery fails",
      stdout: "Starting Nmap 7.95 ( https://nmap.org ) at 2025-01-15 09:00 UTC\nNote: Host seems down. If it is really up, but blocking our ping probes, try -Pn\nNmap done: 1 IP address (0 hosts up) scanned in 2.60 seconds\n",
      stderr: "",
      exitCode: 0,
    },
    {
      line: "nmap -Pn -p 80 10.96.99.99",
      why: "-Pn skips discovery: the port is filtered, no latency measured",
      stdout: "Starting Nmap 7.95 ( https://nmap.org ) at 2025-01-15 09:00 UTC\nNmap scan report for 10.96.99.99\nHost is up.\n\nPORT   STATE    SERVICE\n80/tcp filtered http\n\nNmap done: 1 IP address (1 host up) scanned in 1.06 seconds\n",
      stderr: "",
      exitCode: 0,
    },
    {
      line: "nmap -p 80 nosuchservice",
      why: "an unknown name",
      stdout: "Starting Nmap 7.95 ( https://nmap.org ) at 2025-01-15 09:00 UTC\nNmap done: 0 IP addresses (0 hosts up) scanned in 0.04 seconds\n",
      stderr: "Failed to resolve \"nosuchservice\".\nWARNING: No targets were specified, so 0 hosts scanned.\n",
      exitCode: 0,
    },
    {
      line: "nmap -p 80x web",
      why: "a malformed port list",
      stdout: "",
      stderr: "Error #485: Your port specifications are illegal.  Example of proper form: \"-100,200-1024,T:3000-4000,U:60000-\"\nQUITTING!\n",
      exitCode: 1,
    },
    {
      line: "nmap -p 70000 web",
      why: "a port out of range",
      stdout: "",
      stderr: "Ports specified must be between 0 and 65535 inclusive\nQUITTING!\n",
      exitCode: 1,
    },
    {
      line: "nmap -p 90-80 web",
      why: "a backwards range",
      stdout: "",
      stderr: "Your port range 90-80 is backwards. Did you mean 80-90?\nQUITTING!\n",
      exitCode: 1,
    },
    {
      line: "nmap -p 80 10.244.0.0/16",
      why: "a CIDR wider than this simulation walks",
      stdout: "",
      stderr: "netlab: nmap here scans at most 256 addresses (a /24); 10.244.0.0/16 has 65536\n",
      exitCode: 1,
    },
    {
      line: "nmap -sU -p 53 kube-dns.kube-system",
      why: "a UDP scan is not simulated",
      stdout: "",
      stderr: "netlab: nmap -sU is not simulated here (TCP port scans are: nmap [-p PORTS] [-sS|-sT] [-Pn] [-n] HOST|CIDR)\n",
      exitCode: 1,
    },
    {
      line: "nmap -p 1-30 10.244.1.57",
      why: "a Pod listening on none of them: over 25 closed ports, all in ignored states",
      stdout: "Starting Nmap 7.95 ( https://nmap.org ) at 2025-01-15 09:00 UTC\nNmap scan report for 10.244.1.57\nHost is up (0.00017s latency).\nAll 30 scanned ports on 10.244.1.57 are in ignored states.\nNot shown: 30 closed tcp ports (reset)\n\nNmap done: 1 IP address (1 host up) scanned in 0.04 seconds\n",
      stderr: "",
      exitCode: 0,
    },
  ];
  for (const c of cases) {
    it(`${c.line} — ${c.why}`, () => {
      expect(run(s, shoot, c.line)).toEqual({ stdout: c.stdout, stderr: c.stderr, exitCode: c.exitCode });
    });
  }
});
