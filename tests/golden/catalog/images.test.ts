/**
 * What the images really ship, and the busybox and iputils tools added with them, on the
 * catalog scenario (tests/golden/catalog/scenario.ts: busybox `bb` and netshoot `shoot` on
 * node-1, nginx `web` with a busybox `tools` sidecar on node-2).
 *
 * Catalogs (engine/hosts/userland.ts): busybox:1.36 is docker-library/busybox's glibc build
 * (latest/glibc/Dockerfile.builder at b9ffb18: 1.36.1 defconfig + AR, no SYNC_FANCY) — `df`
 * is an applet there (simulated: commands/runtime/df.ts; `du` is not); netshoot v0.13's Dockerfile (tag v0.13) installs fping, httpie's `http`,
 * tshark, calicoctl… but no nano, and no net-tools or procps, so its ps/route are busybox's;
 * the nginx image (debian:bookworm-slim) has coreutils' du but no procps ps. A binary the image
 * has and the simulation does not model says so; one it lacks gets runc's error.
 *
 * arping: busybox 1.36.1 networking/arping.c (the "%scast re%s from %s [%02x:…]" line with
 * " %u.%03ums", finish()'s "Sent %u probe(s) (%u broadcast(s))" / "Received %u response(s)
 * (%u request(s), %u broadcast(s))", exit !received, -D !!received, -U 0; xfunc_error_retval 2
 * for "interface %s not found" (ioctl_or_perror_and_die + ": No such device"), "is not
 * ARPable", "bad address '%s'") and iputils 20240117 arping.c (netshoot: print_hex's capitals,
 * "]  %ld.%03ldms" with its +0.5 ms usecs arithmetic, "Sent %d probes (%d broadcast(s))",
 * "Received %d response(s)" without zero counts, "Device %s not available.", gai_strerror's
 * musl "Name does not resolve"; -w ends when the timeout fires just after the last probe).
 * Who answers: Calico's cali veth (proxy_arp=1, MAC ee:ee:ee:ee:ee:ee) for 169.254.1.1 but not a
 * DAD probe (net/ipv4/arp.c arp_process answers sip 0.0.0.0 only for local addresses); on
 * Flannel cni0 (the gateway's MAC `ip neigh` shows) and same-node Pods (their eth0 MAC); the
 * SO_DONTROUTE connect fails with ENETUNREACH for an address no link-scope route covers.
 *
 * ipcalc: busybox 1.36.1 networking/ipcalc.c (FANCY and long options: NETMASK=, BROADCAST=,
 * NETWORK=, PREFIX=, HOSTNAME= in that order; get_netmask's classful default; "bad IP address:
 * %s", "use prefix or netmask, not both", xatoul_range's "number %s is not in 0..32 range",
 * bb_herror_msg "can't find hostname for %s" + hstrerror; -s silences; usage for no
 * -b/-n/-p with a second argument); glibc inet_aton's short forms (10.1 is 10.0.0.1).
 *
 * nginx: src/core/nginx.c at release-1.27.3 (ngx_show_version_info — -V's configure arguments are
 * pkg-oss 1.27.3-1 debian/Makefile's, gcc and OpenSSL as the image reports them —, ngx_get_options' errors,
 * "the configuration file %s syntax is ok" / "configuration file %s test is successful", -q);
 * the ENV of nginxinc/docker-nginx mainline/debian/Dockerfile at tag 1.27.3; /etc/nginx/nginx.conf
 * of nginx/pkg-oss debian/debian/nginx.conf at 1.27.3-1; "signal process started" through
 * error.log's link to /dev/stderr. netshoot's `ENV HOSTNAME netshoot` wins over the Pod's
 * name in the environment (containerd CRI: image env after HOSTNAME), not in hostname(1).
 *
 * uname: busybox coreutils/uname.c (-a skips "unknown" fields; -o is CONFIG_UNAME_OSNAME,
 * "GNU/Linux" in busybox's defconfig, "Linux" in Alpine's busyboxconfig — netshoot's uname is
 * Alpine's applet); Debian's coreutils reports -p/-i unknown, Ubuntu's (nodes) the machine.
 * Kernel: Ubuntu 22.04's linux-image-5.15.0-119-generic (5.15.0-119.129): uname's version
 * "#129-Ubuntu SMP Fri Aug 2 19:25:20 UTC 2024" and /proc/version (init/version.c
 * linux_proc_banner) everywhere, the Node's kernelVersion and nginx's "OS: Linux" line the same.
 * /proc/net/route: net/ipv4/fib_trie.c fib_route_seq_show (127-column rows, network-order words
 * as %08X, RTF_UP|RTF_GATEWAY|RTF_HOST); /proc/net/arp: net/ipv4/arp.c arp_seq_show.
 * Roots: docker-library/busybox rootfs.tar.gz (glibc), alpine-baselayout 3.19, debian:bookworm-slim
 * (usrmerged) plus nginx's /docker-entrypoint.sh and /docker-entrypoint.d (docker-nginx 1.27.3) and
 * the files pkg-oss debian/debian/nginx.install puts in /etc/nginx and /usr/share/nginx/html.
 * Image sizes: containerd's image size as kubelets report it (busybox:1.36 2217006 — 1.36.1-glibc
 * amd64, docker-library/busybox 9106ef5: a 2206402-byte layer —, nginx:1.27 72406859).
 */
import { it } from 'vitest';
import { createSimulation } from '../../../engine';
import { golden, session } from './golden';
import { SCENARIO, type } from './scenario';

it('every binary the image ships: modelled, installed-but-not-simulated, or missing as runc says', () => {
  golden('images-tools', session('calico', [
    'kubectl exec bb -- du -sh /',
    'kubectl exec bb -- bash',
    'kubectl exec shoot -- fping web',
    'kubectl exec shoot -- http web',
    'kubectl exec shoot -- tshark -i eth0',
    'kubectl exec shoot -- calicoctl get nodes',
    'kubectl exec shoot -- nano',
    'kubectl exec shoot -- ssh node-1',
    'kubectl exec web -c nginx -- ps',
    'kubectl exec web -c nginx -- du -sh /',
    'kubectl exec shoot -- ps',
    'kubectl exec shoot -- route -n',
  ]));
});

it('arping on Calico: the cali veth answers for 169.254.1.1 by proxy ARP; busybox and iputils builds', () => {
  golden('arping-calico', session('calico', [
    'kubectl exec bb -- arping -c 3 169.254.1.1',
    'kubectl exec shoot -- arping -c 2 169.254.1.1',
    'kubectl exec bb -- arping -c 2 10.244.0.3',
    'kubectl exec bb -- arping -D -c 2 169.254.1.1',
    'kubectl exec bb -- arping -f -I lo 169.254.1.1',
    'kubectl exec bb -- arping -c 1 -I eth1 169.254.1.1',
    'kubectl exec shoot -- arping -c 1 -I eth1 169.254.1.1',
    'kubectl exec bb -- arping -c 1 nope',
    'kubectl exec shoot -- arping -c 1 nope',
  ]));
});

it('arping on Flannel: cni0 and same-node Pods answer with the MACs ip neigh and ip link show; nothing else does', () => {
  golden('arping-flannel', session('flannel', [
    'kubectl exec bb -- ip neigh',
    'kubectl exec shoot -- ip -br link show eth0',
    'kubectl exec bb -- arping -c 2 10.244.0.1',
    'kubectl exec bb -- arping -c 2 10.244.0.4',
    'kubectl exec shoot -- arping -c 2 10.244.0.3',
    'kubectl exec bb -- arping -w 1 10.244.0.77',
    'kubectl exec shoot -- arping -w 2 10.244.0.1',
    'kubectl exec shoot -- arping -D 10.244.0.1',
    'kubectl exec bb -- arping -c 1 10.244.1.3',
    'kubectl exec bb -- arping -U -c 2 10.244.0.3',
  ]));
});

it('busybox ipcalc', () => {
  golden('ipcalc', session('calico', [
    'kubectl exec bb -- ipcalc -bnmp 10.244.1.7/24',
    'kubectl exec bb -- ipcalc -m 172.16.5.4',
    'kubectl exec bb -- ipcalc -n 192.168.49.2',
    'kubectl exec bb -- ipcalc -p 10.0.0.1 255.255.240.0',
    'kubectl exec bb -- ipcalc --broadcast --network 10.96.0.10/12',
    'kubectl exec bb -- ipcalc -h 10.96.0.10',
    'kubectl exec bb -- ipcalc -h 10.1.2.3',
    'kubectl exec bb -- ipcalc -b 10.0.0.300',
    'kubectl exec bb -- ipcalc -sb 10.0.0.300',
    'kubectl exec bb -- ipcalc -b 10.0.0.1/33',
    'kubectl exec bb -- ipcalc -b 10.0.0.1/8 255.0.0.0',
    'kubectl exec bb -- ipcalc -m 10.0.0.1 255.0.0.0',
    'kubectl exec bb -- ipcalc -x 1.2.3.4',
    'kubectl exec shoot -- ipcalc -n 10.1',
    'kubectl exec bb -- sh -c "ipcalc -h $(hostname -i)"',
    'kubectl exec web -c nginx -- ipcalc -n 10.0.0.1/8',
  ]));
});

it('the nginx image: its ENV, its configuration files, nginx -v/-t/-T/-s/-h', () => {
  golden('nginx', session('calico', [
    'kubectl exec web -- nginx -v',
    'kubectl exec web -- nginx -t',
    'kubectl exec web -- nginx -tq',
    'kubectl exec web -- nginx -s reload',
    'kubectl exec web -- nginx -s restart',
    'kubectl exec web -- nginx -s',
    'kubectl exec web -- nginx reload',
    'kubectl exec web -- nginx -h',
    'kubectl exec web -- nginx -V',
    'kubectl exec web -- printenv NGINX_VERSION NJS_VERSION NJS_RELEASE PKG_RELEASE DYNPKG_RELEASE',
    'kubectl exec web -- cat /etc/nginx/nginx.conf',
    'kubectl exec web -- cat /etc/nginx/conf.d/default.conf',
    'kubectl exec web -- sh -c "nginx -T 2>/dev/null | grep \'^# configuration file\'"',
    'kubectl exec web -- sh -c "nginx -T 2>/dev/null | wc -l"',
    'kubectl exec shoot -- printenv HOSTNAME',
    'kubectl exec shoot -- hostname',
  ]));
});

it('one kernel: uname, /proc/version, the Node status and nginx agree; /proc/net from the namespace; pulled sizes', () => {
  golden('kernel', session('calico', [
    'kubectl exec bb -- uname -a',
    'kubectl exec shoot -- uname -r',
    'kubectl exec shoot -- uname -a',
    'kubectl exec web -c nginx -- uname -srv',
    'kubectl exec web -c nginx -- uname -a',
    'kubectl exec web -c nginx -- uname -pi',
    'ssh node-1 uname -a',
    'kubectl exec bb -- cat /proc/version',
    'ssh node-2 cat /proc/version',
    'kubectl get nodes -o wide',
    'kubectl logs web -c nginx | grep OS:',
    'kubectl exec bb -- cat /proc/net/route',
    'kubectl exec bb -- cat /proc/net/arp',
    'ssh node-1 cat /proc/net/route',
    'kubectl get events --field-selector reason=Pulled -o custom-columns=OBJ:.involvedObject.name,MSG:.message',
  ]) + session('flannel', ['kubectl exec bb -- cat /proc/net/route', 'kubectl exec bb -- cat /proc/net/arp']));
});

// busybox's rootfs has no /var/run: it appears because the kubelet mounts the ServiceAccount token at
// /var/run/secrets/kubernetes.io/serviceaccount (runc creates the mount point's parents)
it("each image's root: busybox's rootfs, Alpine's baselayout, Debian's with nginx's entrypoint and /etc/nginx", () => {
  golden('roots', session('calico', [
    'kubectl exec bb -- ls /',
    'kubectl exec bb -- ls /var /usr',
    'kubectl exec shoot -- ls /',
    'kubectl exec web -c nginx -- ls /',
    'kubectl exec web -c nginx -- ls /etc/nginx /docker-entrypoint.d /usr/share/nginx/html',
    'kubectl exec web -c nginx -- grep -n "listen\\|sed" /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh',
    'kubectl exec web -c nginx -- wc -c /usr/share/nginx/html/index.html /usr/share/nginx/html/50x.html /etc/nginx/mime.types /etc/nginx/fastcgi_params',
  ]));
});

it('arping from a hostNetwork Pod: the other node answers on the nodes\' segment with its eth0 MAC', () => {
  const sim = createSimulation(
    SCENARIO + `  - apiVersion: v1
    kind: Pod
    metadata: { name: hn }
    spec:
      nodeName: node-1
      hostNetwork: true
      containers: [{ name: bb, image: "busybox:1.36", command: [sleep, "3600"] }]
`,
    { seed: 11, interactive: true },
  );
  golden('arping-hostnetwork', ['ssh node-2 ip -br link show eth0', 'kubectl exec hn -- arping -c 2 192.168.49.3', 'kubectl exec hn -- arping -c 1 192.168.49.9'].map((l) => `$ ${l}\n${type(sim, l)}`).join(''));
});

it('nginx:1.25.3-alpine and nginx:1.27.0: each release its own ENV; the alpine image is Alpine with busybox ps', () => {
  const sim = createSimulation(
    `objects:
  - { apiVersion: v1, kind: Pod, metadata: { name: a }, spec: { containers: [{ name: a, image: "nginx:1.25.3-alpine" }] } }
  - { apiVersion: v1, kind: Pod, metadata: { name: b }, spec: { containers: [{ name: b, image: "nginx:1.27.0" }] } }
`,
    { seed: 1, interactive: true },
  );
  golden('nginx-releases', ['kubectl exec a -- printenv NGINX_VERSION PKG_RELEASE NJS_VERSION', 'kubectl exec b -- printenv NGINX_VERSION NJS_VERSION NJS_RELEASE PKG_RELEASE', 'kubectl exec b -- nginx -v', 'kubectl logs b | grep nginx/1', 'kubectl exec a -- ps', 'kubectl exec a -- ps -o pid,user,comm', 'kubectl exec a -- ls /', 'kubectl exec b -- ps'].map((l) => `$ ${l}\n${type(sim, l)}`).join(''));
});
