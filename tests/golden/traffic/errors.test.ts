/**
 * Bad input never throws: each tool answers with its own usage error and exit code — curl's
 * tool_getparam.c/tool_helpers.c ("no URL specified", "option %s: requires parameter"),
 * lib/urlapi.c ("Port number was not a decimal number between 0 and 65535"), busybox's
 * xatou* ("invalid number '%s'"), iputils' "invalid argument: '%s'", OpenBSD netcat's
 * getaddrinfo error, helm's cobra argument checks.
 */
import { describe, expect, it } from 'vitest';
import { cluster, bb, curlPod, shoot, ws } from './scenario';
import { run } from './harness';

const hosts = { bb, curl: curlPod, shoot, ws };

describe("bad input ends as the real tool's error", () => {
  // One simulation, the commands in order: the virtual clock and the seeded stream advance as they would in a session.
  const s = cluster("calico", "iptables");
  const cases: { host: keyof typeof hosts; line: string; why: string; opts?: { steps?: number }; stdout: string; stderr: string; exitCode: number }[] = [
    {
      host: "curl",
      line: "curl",
      why: "curl without a URL",
      stdout: "",
      stderr: "curl: no URL specified\ncurl: try 'curl --help' or 'curl --manual' for more information\n",
      exitCode: 2,
    },
    {
      host: "curl",
      line: "curl -X",
      why: "an option without its parameter",
      stdout: "",
      stderr: "curl: option -X: requires parameter\ncurl: try 'curl --help' or 'curl --manual' for more information\n",
      exitCode: 2,
    },
    {
      host: "curl",
      line: "curl --frobnicate http://web",
      why: "an unknown option",
      stdout: "",
      stderr: "curl: option --frobnicate: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n",
      exitCode: 2,
    },
    {
      host: "curl",
      line: "curl http://web:99999",
      why: "a port out of range",
      stdout: "",
      stderr: "curl: (3) URL rejected: Port number was not a decimal number between 0 and 65535\n",
      exitCode: 3,
    },
    {
      host: "curl",
      line: "curl \"http://web/a b\"",
      why: "a space in the URL",
      stdout: "",
      stderr: "curl: (3) URL rejected: Malformed input to a URL function\n",
      exitCode: 3,
    },
    {
      host: "bb",
      line: "wget -T abc http://web",
      why: "busybox: a bad number",
      stdout: "",
      stderr: "wget: invalid number 'abc'\n",
      exitCode: 1,
    },
    {
      host: "bb",
      line: "ping -c abc web",
      why: "busybox ping: a bad count",
      stdout: "",
      stderr: "ping: invalid number 'abc'\n",
      exitCode: 1,
    },
    {
      host: "shoot",
      line: "ping -c abc web",
      why: "iputils: a bad count",
      stdout: "",
      stderr: "ping: invalid argument: 'abc'\n",
      exitCode: 1,
    },
    {
      host: "bb",
      line: "nc web abc",
      why: "busybox nc: a bad port",
      stdout: "",
      stderr: "nc: bad port 'abc'\n",
      exitCode: 1,
    },
    {
      host: "shoot",
      line: "nc web abc",
      why: "openbsd nc: a bad port",
      stdout: "",
      stderr: "nc: getaddrinfo for host \"web\" port abc: Servname not supported for ai_socktype\n",
      exitCode: 1,
    },
    {
      host: "ws",
      line: "helm uninstall",
      why: "helm: missing release name",
      stdout: "",
      stderr: "Error: \"helm uninstall\" requires at least 1 argument\n\nUsage:  helm uninstall RELEASE_NAME [...] [flags]\n",
      exitCode: 1,
    },
    {
      host: "ws",
      line: "helm frobnicate",
      why: "helm: unknown command",
      stdout: "",
      stderr: "Error: unknown command \"frobnicate\" for \"helm\"\nRun 'helm --help' for usage.\n",
      exitCode: 1,
    },
  ];
  for (const c of cases) {
    it(`${c.host}: ${c.line} — ${c.why}`, () => {
      expect(run(s, hosts[c.host], c.line, c.opts)).toEqual({ stdout: c.stdout, stderr: c.stderr, exitCode: c.exitCode });
    });
  }
});
