/**
 * Containers of one Pod share its network namespace, so they share one port space: a
 * second server on a taken port cannot bind (EADDRINUSE), exits 1 and crash-loops, while
 * the first keeps answering. Outputs are the programs' own words:
 * - nginx: ngx_open_listening_sockets (src/core/ngx_connection.c) tries 5 times, 500 ms
 *   apart, logging each failed bind() at emerg (also on stderr as "nginx: [emerg] …") and
 *   "try again to bind() after 500ms", then "still could not bind()"; the event-method and
 *   version notices come later in a start that succeeds, so a failed start never prints them.
 * - Apache httpd: AH00558 (no FQDN), AH00072 make_sock for [::] then 0.0.0.0, "no
 *   listening sockets available, shutting down", AH00015.
 * - hashicorp/http-echo v1.0.0 main.go: log.Printf("[INFO] server is listening on %s"),
 *   log.Fatalf("[ERR] server exited with: %s", err).
 * - kubelet validateContainerLogStatus: a waiting container's log is its last run's;
 *   --previous without a terminated run is "previous terminated container … not found".
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';

const SHOP = `
cluster: { cni: calico }
objects:
  - apiVersion: v1
    kind: Pod
    metadata: { name: shop }
    spec:
      nodeName: node-1
      containers:
        - { name: docs, image: "httpd:2.4", ports: [{ containerPort: 80 }] }
        - { name: web, image: "nginx:1.27" }
  - apiVersion: v1
    kind: Pod
    metadata: { name: client }
    spec:
      nodeName: node-2
      containers: [{ name: client, image: "nicolaka/netshoot:v0.13", command: [sleep, infinity] }]
`;

const ENTRYPOINT = `/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration
/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/
/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh
10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf
10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf
/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh
/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh
/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh
/docker-entrypoint.sh: Configuration complete; ready for start up
`;

function nginxBindFailure(stamps: string[]): string {
  let out = ENTRYPOINT;
  for (const ts of stamps.slice(0, 5)) {
    for (const addr of ['0.0.0.0:80', '[::]:80']) out += `${ts} [emerg] 1#1: bind() to ${addr} failed (98: Address already in use)\nnginx: [emerg] bind() to ${addr} failed (98: Address already in use)\n`;
    out += `${ts} [notice] 1#1: try again to bind() after 500ms\n`;
  }
  return out + `${stamps[5]} [emerg] 1#1: still could not bind()\nnginx: [emerg] still could not bind()\n`;
}

describe('containers of one Pod share one port space', () => {
  it('lets the first server keep port 80 and crash-loops the second', () => {
    const sim = createSimulation(SHOP, { seed: 1 });
    // the scenario starts its pods at 08:55:00 and the lab at 09:00:00: the second server has failed a few times
    expect(sim.run('kubectl get pod shop').stdout).toBe('NAME   READY   STATUS             RESTARTS        AGE\nshop   1/2     CrashLoopBackOff   5 (2m13s ago)   5m1s\n');
    const web = sim.get('Pod', 'default', 'shop')!.status.containerStatuses.find((s: { name: string }) => s.name === 'web');
    expect(web.lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error', startedAt: '2025-01-15T08:57:46Z' });
    // a container waiting to restart shows the log of its last run
    const stamps = ['2025/01/15 08:57:46', '2025/01/15 08:57:46', '2025/01/15 08:57:47', '2025/01/15 08:57:47', '2025/01/15 08:57:48', '2025/01/15 08:57:48'];
    expect(sim.run('kubectl logs shop -c web')).toEqual({ stdout: nginxBindFailure(stamps), stderr: '', exitCode: 0 });
    expect(sim.run('kubectl logs shop -c web --previous').stdout).toBe(nginxBindFailure(stamps));
    // the winner started normally; it never restarted, so it has no previous run
    expect(sim.run('kubectl logs shop -c docs').stdout).toBe(
      `AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using 10.244.0.67. Set the 'ServerName' directive globally to suppress this message
AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using 10.244.0.67. Set the 'ServerName' directive globally to suppress this message
[Wed Jan 15 08:55:02.412345 2025] [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/2.4.62 (Unix) configured -- resuming normal operations
[Wed Jan 15 08:55:02.412689 2025] [core:notice] [pid 1:tid 1] AH00094: Command line: 'httpd -D FOREGROUND'
`,
    );
    expect(sim.run('kubectl logs shop -c docs -p')).toEqual({ stdout: '', stderr: 'Error from server (BadRequest): previous terminated container "docs" in pod "shop" not found\n', exitCode: 1 });
    // port 80 of the Pod is Apache's, whatever the failing nginx wanted
    expect(sim.run('kubectl exec client -- curl -s 10.244.0.67').stdout).toBe('<html><body><h1>It works!</h1></body></html>\n');
  });

  it('keeps failing while the port is held, and runs both once they listen apart', () => {
    const sim = createSimulation(SHOP, { seed: 1 });
    sim.advance(600_000);
    const web = sim.get('Pod', 'default', 'shop')!.status.containerStatuses.find((s: { name: string }) => s.name === 'web');
    expect(web.restartCount).toBeGreaterThanOrEqual(7);
    expect(web.ready).toBe(false);
    // two Pods, two network namespaces: both servers get port 80
    expect(sim.run('kubectl delete pod shop').exitCode).toBe(0);
    expect(sim.run(`kubectl run shop --image=nginx:1.27 --overrides='{"spec":{"nodeName":"node-1"}}'`).exitCode).toBe(0);
    expect(sim.run('kubectl run docs --image=httpd:2.4').exitCode).toBe(0);
    sim.advance(10_000);
    expect(sim.run('kubectl get pod shop docs').stdout).toMatch(/^NAME {3}READY {3}STATUS {4}RESTARTS {3}AGE\nshop {3}1\/1 {5}Running {3}0 {10}\S+\s*\ndocs {3}1\/1 {5}Running {3}0 {10}\S+\s*\n$/);
  });

  it('prints the Go error of an http-echo that finds its port taken', () => {
    const sim = createSimulation(`
objects:
  - apiVersion: v1
    kind: Pod
    metadata: { name: pair }
    spec:
      containers:
        - { name: a, image: "hashicorp/http-echo:1.0", args: ["-listen=:8080", "-text=a"] }
        - { name: b, image: "hashicorp/http-echo:1.0", args: ["-listen=:8080", "-text=b"] }
`, { seed: 1 });
    sim.advance(5000);
    expect(sim.run('kubectl logs pair -c a').stdout).toBe('2025/01/15 08:55:02 [INFO] server is listening on :8080\n');
    const b = sim.get('Pod', 'default', 'pair')!.status.containerStatuses[1];
    const run = b.state.terminated ?? b.lastState.terminated;
    expect(run).toMatchObject({ exitCode: 1, reason: 'Error' });
    const ts = run.startedAt.replace(/^(\d+)-(\d+)-(\d+)T(\S+)Z$/, '$1/$2/$3 $4');
    expect(sim.run('kubectl logs pair -c b').stdout).toBe(`${ts} [INFO] server is listening on :8080\n${ts} [ERR] server exited with: listen tcp :8080: bind: address already in use\n`);
  });
});

describe('ss in a container of a multi-container Pod', () => {
  const DUO = (share: boolean) => `
objects:
  - apiVersion: v1
    kind: Pod
    metadata: { name: duo }
    spec:
      shareProcessNamespace: ${share}
      containers:
        - { name: web, image: "nginx:1.27" }
        - { name: tools, image: "nicolaka/netshoot:v0.13", command: [sleep, infinity] }
`;

  it('shows every container socket but only the processes it can see', () => {
    const sim = createSimulation(DUO(false), { seed: 1 });
    // the sockets are the namespace's; nginx's process lives in another PID namespace
    expect(sim.run('kubectl exec duo -c tools -- ss -tlnp').stdout).toBe(
      'State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n' +
        'LISTEN 0      511          0.0.0.0:80        0.0.0.0:*          \n' +
        'LISTEN 0      511             [::]:80           [::]:*          \n',
    );
    const shared = createSimulation(DUO(true), { seed: 1 });
    expect(shared.run('kubectl exec duo -c tools -- ss -tlnp').stdout).toBe(
      'State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess                      \n' +
        'LISTEN 0      511          0.0.0.0:80        0.0.0.0:*    users:(("nginx",pid=7,fd=3))\n' +
        'LISTEN 0      511             [::]:80           [::]:*    users:(("nginx",pid=7,fd=4))\n',
    );
  });
});
