/**
 * More curl options against the simulated cluster and internet: -L follows a 301
 * (src/tool_operate.c, url_effective in tool_writeout.c), --resolve pins a name to an
 * address without DNS (lib/hostip.c Curl_loadhostpairs), -H replaces a default header,
 * -f turns an HTTP error into exit 22 ("The requested URL returned error: %d").
 */
import { describe, expect, it } from 'vitest';
import { cluster, bb, curlPod, shoot, ws } from './scenario';
import { run } from './harness';

const hosts = { bb, curl: curlPod, shoot, ws };

describe("curl options: -L, --resolve, -i, -H, -w variables, -f", () => {
  // One simulation, the commands in order: the virtual clock and the seeded stream advance as they would in a session.
  const s = cluster("calico", "iptables");
  const cases: { host: keyof typeof hosts; line: string; why: string; opts?: { steps?: number }; stdout: string; stderr: string; exitCode: number }[] = [
    {
      host: "curl",
      line: "curl -sL -o /dev/null -w \"%{http_code} %{url_effective}\\n\" http://google.com",
      why: "-L follows google.com to www",
      stdout: "200 http://www.google.com/\n",
      stderr: "",
      exitCode: 0,
    },
    {
      host: "curl",
      line: "curl -s -o /dev/null -w \"%{http_code}\\n\" http://google.com",
      why: "without -L: the 301",
      stdout: "301\n",
      stderr: "",
      exitCode: 0,
    },
    {
      host: "curl",
      line: "curl -s --resolve shop.example.com:80:10.96.12.3 -o /dev/null -w \"%{http_code} %{remote_ip}:%{remote_port}\\n\" http://shop.example.com/",
      why: "--resolve: no DNS, straight to the ClusterIP",
      stdout: "200 10.96.12.3:80\n",
      stderr: "",
      exitCode: 0,
    },
    {
      host: "curl",
      line: "curl -si http://echo",
      why: "-i: headers then body",
      stdout: "HTTP/1.1 200 OK\r\nX-App-Name: http-echo\r\nX-App-Version: 1.0.0\r\nDate: Wed, 15 Jan 2025 09:00:00 GMT\r\nContent-Length: 16\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nhello from echo\n",
      stderr: "",
      exitCode: 0,
    },
    {
      host: "curl",
      line: "curl -s -H \"User-Agent: probe/1.0\" http://web -o /dev/null",
      why: "a custom User-Agent (see the nginx log)",
      stdout: "",
      stderr: "",
      exitCode: 0,
    },
    {
      host: "curl",
      line: "curl -sSf http://web/nope",
      why: "-f: exit 22 on 404",
      stdout: "",
      stderr: "curl: (22) The requested URL returned error: 404\n",
      exitCode: 22,
    },
    {
      host: "curl",
      line: "curl -s http://ifconfig.me",
      why: "egress: the internet sees the node address (SNAT)",
      stdout: "192.168.49.2",
      stderr: "",
      exitCode: 0,
    },
  ];
  for (const c of cases) {
    it(`${c.host}: ${c.line} — ${c.why}`, () => {
      expect(run(s, hosts[c.host], c.line, c.opts)).toEqual({ stdout: c.stdout, stderr: c.stderr, exitCode: c.exitCode });
    });
  }
});
