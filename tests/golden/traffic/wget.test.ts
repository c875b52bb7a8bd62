/**
 * Golden outputs of busybox wget (busybox:1.36). Messages from networking/wget.c:
 * "Connecting to %s (%s)" (host, then address:port), "saving to '%s'" / "writing to
 * stdout", "'%s' saved" / "written to stdout", "remote file exists" (--spider), and the
 * fatal errors "bad address '%s'" (xhost2sockaddr), "can't connect to remote host (%s): %s"
 * (xconnect, address only), "download timed out" (alarm, -T), "server returned error: %s"
 * (the status line), "can't open '%s': File exists" (O_EXCL without -O). The progress line is
 * libbb/progress.c's "%-20.20s%4u%% |%s| %5s" with the 32-star bar and "  0:00:00 ETA".
 */
import { describe, expect, it } from 'vitest';
import { cluster, bb, curlPod, shoot, ws } from './scenario';
import { run } from './harness';

const hosts = { bb, curl: curlPod, shoot, ws };

describe("busybox wget 1.36", () => {
  // One simulation, the commands in order: the virtual clock and the seeded stream advance as they would in a session.
  const s = cluster("calico", "iptables");
  const cases: { host: keyof typeof hosts; line: string; why: string; opts?: { steps?: number }; stdout: string; stderr: string; exitCode: number }[] = [
    {
      host: "bb",
      line: "wget -O- http://web",
      why: "success to stdout",
      stdout: "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n<style>\nhtml { color-scheme: light dark; }\nbody { width: 35em; margin: 0 auto;\nfont-family: Tahoma, Verdana, Arial, sans-serif; }\n</style>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed and\nworking. Further configuration is required.</p>\n\n<p>For online documentation and support please refer to\n<a href=\"http://nginx.org/\">nginx.org</a>.<br/>\nCommercial support is available at\n<a href=\"http://nginx.com/\">nginx.com</a>.</p>\n\n<p><em>Thank you for using nginx.</em></p>\n</body>\n</html>\n",
      stderr: "Connecting to web (10.96.12.3:80)\nwriting to stdout\n-                    100% |********************************|   615  0:00:00 ETA\nwritten to stdout\n",
      exitCode: 0,
    },
    {
      host: "bb",
      line: "wget http://web",
      why: "success: saved as index.html",
      stdout: "",
      stderr: "Connecting to web (10.96.12.3:80)\nsaving to 'index.html'\nindex.html           100% |********************************|   615  0:00:00 ETA\n'index.html' saved\n",
      exitCode: 0,
    },
    {
      host: "bb",
      line: "wget http://web",
      why: "the second time the file exists (O_EXCL)",
      stdout: "",
      stderr: "Connecting to web (10.96.12.3:80)\nwget: can't open 'index.html': File exists\n",
      exitCode: 1,
    },
    {
      host: "bb",
      line: "wget -q -O - http://echo",
      why: "-q: only the body",
      stdout: "hello from echo\n",
      stderr: "",
      exitCode: 0,
    },
    {
      host: "bb",
      line: "wget --spider http://web",
      why: "--spider",
      stdout: "",
      stderr: "Connecting to web (10.96.12.3:80)\nremote file exists\n",
      exitCode: 0,
    },
    {
      host: "bb",
      line: "wget http://web/missing",
      why: "HTTP error",
      stdout: "",
      stderr: "Connecting to web (10.96.12.3:80)\nwget: server returned error: HTTP/1.1 404 Not Found\n",
      exitCode: 1,
    },
    {
      host: "bb",
      line: "wget http://broken",
      why: "refused: a Service without endpoints",
      stdout: "",
      stderr: "Connecting to broken (10.96.0.5:80)\nwget: can't connect to remote host (10.96.0.5): Connection refused\n",
      exitCode: 1,
    },
    {
      host: "bb",
      line: "wget -T 3 http://10.96.12.3:81",
      why: "timeout",
      stdout: "",
      stderr: "Connecting to 10.96.12.3:81 (10.96.12.3:81)\nwget: download timed out\n",
      exitCode: 1,
    },
    {
      host: "bb",
      line: "wget http://nosuchservice",
      why: "unknown host",
      stdout: "",
      stderr: "wget: bad address 'nosuchservice'\n",
      exitCode: 1,
    },
  ];
  for (const c of cases) {
    it(`${c.host}: ${c.line} — ${c.why}`, () => {
      expect(run(s, hosts[c.host], c.line, c.opts)).toEqual({ stdout: c.stdout, stderr: c.stderr, exitCode: c.exitCode });
    });
  }
});
