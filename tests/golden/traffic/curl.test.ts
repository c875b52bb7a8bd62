/**
 * Golden outputs of curl (curlimages/curl:8.11.1 in a pod, 8.5.0 on the workstation, 7.88.1
 * in Debian-based images). Formats: curl's lib/strerror.c ("Could not connect to server"
 * from 8.6, "Couldn't connect to server" before; "Timeout was reached"), lib/connect.c
 * ("Failed to connect to %s port %u after %ld ms: %s", verbose "*   Trying %s:%d...",
 * "connect to %s port %u from %s port %d failed: %s", "closing connection #0"), lib/multi.c
 * ("Connection timed out after %ld milliseconds" for --max-time), lib/hostip.c ("Could not
 * resolve host: %s", the "Host %s:%d was resolved." / "IPv4:" lines of 8.5+), lib/progress.c
 * (the meter's layout and max5data sizes), src/tool_writeout.c (-w %{http_code}). The body is
 * nginx's docs/html/index.html (615 bytes); the headers are ngx_http_header_filter_module's
 * order, ETag = hex(mtime)-hex(length) as ngx_http_set_etag builds it.
 */
import { describe, expect, it } from 'vitest';
import { cluster, bb, curlPod, shoot, ws } from './scenario';
import { run } from './harness';

const hosts = { bb, curl: curlPod, shoot, ws };

describe("curl 8.x against the simulated cluster", () => {
  // One simulation, the commands in order: the virtual clock and the seeded stream advance as they would in a session.
  const s = cluster("calico", "iptables");
  const cases: { host: keyof typeof hosts; line: string; why: string; opts?: { steps?: number }; stdout: string; stderr: string; exitCode: number }[] = [
    {
      host: "curl",
      line: "curl -s http://web",
      why: "success: the nginx welcome page through the Service",
      stdout: "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n<style>\nhtml { color-scheme: light dark; }\nbody { width: 35em; margin: 0 auto;\nfont-family: Tahoma, Verdana, Arial, sans-serif; }\n</style>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed and\nworking. Further configuration is required.</p>\n\n<p>For online documentation and support please refer to\n<a href=\"http://nginx.org/\">nginx.org</a>.<br/>\nCommercial support is available at\n<a href=\"http://nginx.com/\">nginx.com</a>.</p>\n\n<p><em>Thank you for using nginx.</em></p>\n</body>\n</html>\n",
      stderr: "",
      exitCode: 0,
    },
    {
      host: "curl",
      line: "curl -sI http://web",
      why: "HEAD: nginx headers, CRLF line ends",
      stdout: "HTTP/1.1 200 OK\r\nServer: nginx/1.27.3\r\nDate: Wed, 15 Jan 2025 09:00:00 GMT\r\nContent-Type: text/html\r\nContent-Length: 615\r\nLast-Modified: Tue, 26 Nov 2024 15:55:00 GMT\r\nConnection: keep-alive\r\nETag: \"6745ef54-267\"\r\nAccept-Ranges: bytes\r\n\r\n",
      stderr: "",
      exitCode: 0,
    },
    {
      host: "curl",
      line: "curl -s -o /dev/null -w \"%{http_code}\\n\" http://web/missing",
      why: "-w http_code of a 404",
      stdout: "404\n",
      stderr: "",
      exitCode: 0,
    },
    {
      host: "curl",
      line: "curl -s http://web/missing",
      why: "nginx 404 page with the version in the tail (CRLF)",
      stdout: "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.27.3</center>\r\n</body>\r\n</html>\r\n",
      stderr: "",
      exitCode: 0,
    },
    {
      host: "curl",
      line: "curl -sS http://broken",
      why: "refused: a Service without endpoints is REJECTed by kube-proxy",
      stdout: "",
      stderr: "curl: (7) Failed to connect to broken port 80 after 0 ms: Could not connect to server\n",
      exitCode: 7,
    },
    {
      host: "curl",
      line: "curl -v http://broken",
      why: "refused, verbose",
      stdout: "",
      stderr: "* Host broken:80 was resolved.\n* IPv6: (none)\n* IPv4: 10.96.0.5\n*   Trying 10.96.0.5:80...\n* connect to 10.96.0.5 port 80 from 10.244.0.58 port 44272 failed: Connection refused\n* Failed to connect to broken port 80 after 0 ms: Could not connect to server\n* closing connection #0\ncurl: (7) Failed to connect to broken port 80 after 0 ms: Could not connect to server\n",
      exitCode: 7,
    },
    {
      host: "curl",
      line: "curl -sS --connect-timeout 3 http://10.96.12.3:81",
      why: "timeout: nothing translates port 81 of the ClusterIP (connect timeout)",
      stdout: "",
      stderr: "curl: (28) Failed to connect to 10.96.12.3 port 81 after 3003 ms: Timeout was reached\n",
      exitCode: 28,
    },
    {
      host: "curl",
      line: "curl -sS -m 3 http://10.96.12.3:81",
      why: "timeout with --max-time",
      stdout: "",
      stderr: "curl: (28) Connection timed out after 3003 milliseconds\n",
      exitCode: 28,
    },
    {
      host: "curl",
      line: "curl -sS http://nosuchservice",
      why: "unknown host",
      stdout: "",
      stderr: "curl: (6) Could not resolve host: nosuchservice\n",
      exitCode: 6,
    },
    {
      host: "curl",
      line: "curl -o /tmp/page.html http://web",
      why: "progress meter when the body goes to a file",
      stdout: "",
      stderr: "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n\r  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0\r100   615  100   615    0     0   300k      0 --:--:-- --:--:-- --:--:--  300k\n",
      exitCode: 0,
    },
    {
      host: "curl",
      line: "curl -v -o /dev/null http://web.default.svc.cluster.local",
      why: "verbose with the meter: name resolution lines, request, response headers",
      stdout: "",
      stderr: "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n\r  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0* Host web.default.svc.cluster.local:80 was resolved.\n* IPv6: (none)\n* IPv4: 10.96.12.3\n*   Trying 10.96.12.3:80...\n* Connected to web.default.svc.cluster.local (10.96.12.3) port 80\n* using HTTP/1.x\n> GET / HTTP/1.1\r\n> Host: web.default.svc.cluster.local\r\n> User-Agent: curl/8.11.1\r\n> Accept: */*\r\n> \r\n* Request completely sent off\n< HTTP/1.1 200 OK\r\n< Server: nginx/1.27.3\r\n< Date: Wed, 15 Jan 2025 09:00:06 GMT\r\n< Content-Type: text/html\r\n< Content-Length: 615\r\n< Last-Modified: Tue, 26 Nov 2024 15:55:00 GMT\r\n< Connection: keep-alive\r\n< ETag: \"6745ef54-267\"\r\n< Accept-Ranges: bytes\r\n< \r\n{ [615 bytes data]\n\r100   615  100   615    0     0   300k      0 --:--:-- --:--:-- --:--:--  300k\n* Connection #0 to host web.default.svc.cluster.local left intact\n",
      exitCode: 0,
    },
    {
      host: "curl",
      line: "curl -s http://echo",
      why: "http-echo answering its -text",
      stdout: "hello from echo\n",
      stderr: "",
      exitCode: 0,
    },
    {
      host: "curl",
      line: "curl -s -X POST -d a=1 http://web",
      why: "POST to nginx static content: 405",
      stdout: "<html>\r\n<head><title>405 Not Allowed</title></head>\r\n<body>\r\n<center><h1>405 Not Allowed</h1></center>\r\n<hr><center>nginx/1.27.3</center>\r\n</body>\r\n</html>\r\n",
      stderr: "",
      exitCode: 0,
    },
    {
      host: "ws",
      line: "curl -sS http://10.96.12.3",
      why: "from the workstation the service network is not routed: the kernel gives up on the SYN",
      stdout: "",
      stderr: "curl: (28) Failed to connect to 10.96.12.3 port 80 after 128089 ms: Couldn't connect to server\n",
      exitCode: 28,
    },
    {
      host: "ws",
      line: "curl -s -m 2 http://10.244.0.55",
      why: "the pod network neither",
      stdout: "",
      stderr: "",
      exitCode: 28,
    },
    {
      host: "ws",
      line: "curl -sS http://127.0.0.1:8080",
      why: "8.5.0 on the workstation: Couldn't connect to server",
      stdout: "",
      stderr: "curl: (7) Failed to connect to 127.0.0.1 port 8080 after 0 ms: Couldn't connect to server\n",
      exitCode: 7,
    },
  ];
  for (const c of cases) {
    it(`${c.host}: ${c.line} — ${c.why}`, () => {
      expect(run(s, hosts[c.host], c.line, c.opts)).toEqual({ stdout: c.stdout, stderr: c.stderr, exitCode: c.exitCode });
    });
  }
});
