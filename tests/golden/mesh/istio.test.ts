/**
 * Istio 1.24.2 in sidecar mode, pinned whole. Sources read for each output:
 * - istioctl install: operator/cmd/mesh/install.go (pkg/art/istio-ascii.txt, the prompt),
 *   operator/pkg/util/progress/progress.go and operator/pkg/component/component.go (the
 *   "✔ <component> installed <icon>" lines); the objects: manifests/charts/* and
 *   manifests/charts/base/files/profile-demo.yaml (10m/40Mi proxy requests).
 * - injection: manifests/charts/istio-control/istio-discovery/files/injection-template.yaml
 *   (istio-init's istio-iptables arguments, istio-proxy's resources, labels, annotations).
 * - the Pod's nat table: tools/istio-iptables/pkg/capture/run.go (REDIRECT mode), as
 *   iptables-save prints it.
 * - responses through sidecars: pilot/pkg/networking/core/httproute.go (outbound `server:
 *   envoy`, inbound `server: istio-envoy`), Envoy's router (x-envoy-upstream-service-time),
 *   the fault filter ("fault filter abort"), retry/retry.go (the default retry policy).
 * - access logs: pilot/pkg/model/telemetry_logging.go EnvoyTextLogFormat.
 * - istioctl proxy-status: istioctl/pkg/writer/pilot/status.go; x describe pod:
 *   istioctl/pkg/describe/describe.go; analyze: pkg/config/analysis/msg/messages.yaml
 *   (IST0102, IST0103) and istioctl/pkg/analyze/analyze.go.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation, Simulation } from '../../../engine';
import { meshed as meshedShop, out, shopScenario } from './shop-scenario';

const SCENARIO = shopScenario({ webV1Replicas: 2 });

const meshed = (): Simulation => meshedShop(SCENARIO, 7);

describe('istioctl install --set profile=demo', () => {
  it('prints the logo and one line per component, and leaves the demo profile running', () => {
    const sim = createSimulation(SCENARIO, { seed: 7 });
    expect(out(sim, 'istioctl install --set profile=demo -y')).toMatchInlineSnapshot(`
      {
        "exitCode": 0,
        "stderr": "        |\\          
              | \\         
              |  \\        
              |   \\       
            /||    \\      
           / ||     \\     
          /  ||      \\    
         /   ||       \\   
        /    ||        \\  
       /     ||         \\ 
      /______||__________\\
      ____________________
        \\__       _____/  
           \\_____/        

      ✔ Istio core installed ⛵️
      ✔ Istiod installed 🧠
      ✔ Egress gateways installed 🛫
      ✔ Ingress gateways installed 🛬
      ✔ Installation complete
      ",
        "stdout": "",
      }
    `);
    expect(sim.run('kubectl get deploy,svc -n istio-system').stdout).toMatchInlineSnapshot(`
      "NAME                                   READY   UP-TO-DATE   AVAILABLE   AGE
      deployment.apps/istio-egressgateway    1/1     1            1           7s
      deployment.apps/istio-ingressgateway   1/1     1            1           3s
      deployment.apps/istiod                 1/1     1            1           11s

      NAME                           TYPE           CLUSTER-IP       EXTERNAL-IP   PORT(S)                                                                      AGE
      service/istio-egressgateway    ClusterIP      10.96.68.55      <none>        80/TCP,443/TCP                                                               7s
      service/istio-ingressgateway   LoadBalancer   10.102.224.212   203.0.113.1   15021:32169/TCP,80:32427/TCP,443:32155/TCP,31400:30674/TCP,15443:32189/TCP   3s
      service/istiod                 ClusterIP      10.108.3.131     <none>        15010/TCP,15012/TCP,443/TCP,15014/TCP                                        11s
      "
    `);
  });

  it("serves Istio's kinds only once their CRDs are installed", () => {
    const sim = createSimulation(SCENARIO, { seed: 7 });
    expect(out(sim, 'kubectl get vs -A')).toEqual({ stdout: '', stderr: 'error: the server doesn\'t have a resource type "vs"\n', exitCode: 1 });
    expect(out(sim, 'kubectl explain virtualservice').stderr).toBe('error: the server doesn\'t have a resource type "virtualservice"\n');
    expect(out(sim, 'kubectl apply -f - <<EOF\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: { name: web, namespace: shop }\nspec: { hosts: [web] }\nEOF')).toEqual({ stdout: '', stderr: 'error: resource mapping not found for name: "web" namespace: "shop" from "STDIN": no matches for kind "VirtualService" in version "networking.istio.io/v1"\nensure CRDs are installed first\n', exitCode: 1 });
    sim.run('istioctl install --set profile=demo -y');
    expect(sim.run('kubectl get crd').stdout).toMatchInlineSnapshot(`
      "NAME                                                  CREATED AT
      authorizationpolicies.security.istio.io               2025-01-15T09:00:04Z
      bgpconfigurations.crd.projectcalico.org               2025-01-10T06:00:00Z
      bgpfilters.crd.projectcalico.org                      2025-01-10T06:00:00Z
      bgppeers.crd.projectcalico.org                        2025-01-10T06:00:00Z
      blockaffinities.crd.projectcalico.org                 2025-01-10T06:00:00Z
      caliconodestatuses.crd.projectcalico.org              2025-01-10T06:00:00Z
      clusterinformations.crd.projectcalico.org             2025-01-10T06:00:00Z
      destinationrules.networking.istio.io                  2025-01-15T09:00:04Z
      envoyfilters.networking.istio.io                      2025-01-15T09:00:04Z
      felixconfigurations.crd.projectcalico.org             2025-01-10T06:00:00Z
      gateways.networking.istio.io                          2025-01-15T09:00:04Z
      globalnetworkpolicies.crd.projectcalico.org           2025-01-10T06:00:00Z
      globalnetworksets.crd.projectcalico.org               2025-01-10T06:00:00Z
      hostendpoints.crd.projectcalico.org                   2025-01-10T06:00:00Z
      ipamblocks.crd.projectcalico.org                      2025-01-10T06:00:00Z
      ipamconfigs.crd.projectcalico.org                     2025-01-10T06:00:00Z
      ipamhandles.crd.projectcalico.org                     2025-01-10T06:00:00Z
      ippools.crd.projectcalico.org                         2025-01-10T06:00:00Z
      ipreservations.crd.projectcalico.org                  2025-01-10T06:00:00Z
      kubecontrollersconfigurations.crd.projectcalico.org   2025-01-10T06:00:00Z
      networkpolicies.crd.projectcalico.org                 2025-01-10T06:00:00Z
      networksets.crd.projectcalico.org                     2025-01-10T06:00:00Z
      peerauthentications.security.istio.io                 2025-01-15T09:00:04Z
      proxyconfigs.networking.istio.io                      2025-01-15T09:00:04Z
      requestauthentications.security.istio.io              2025-01-15T09:00:04Z
      serviceentries.networking.istio.io                    2025-01-15T09:00:04Z
      sidecars.networking.istio.io                          2025-01-15T09:00:04Z
      telemetries.telemetry.istio.io                        2025-01-15T09:00:04Z
      virtualservices.networking.istio.io                   2025-01-15T09:00:04Z
      wasmplugins.extensions.istio.io                       2025-01-15T09:00:04Z
      workloadentries.networking.istio.io                   2025-01-15T09:00:04Z
      workloadgroups.networking.istio.io                    2025-01-15T09:00:04Z
      "
    `);
    expect(sim.run('kubectl api-versions').stdout).toMatchInlineSnapshot(`
      "apiextensions.k8s.io/v1
      apps/v1
      coordination.k8s.io/v1
      crd.projectcalico.org/v1
      discovery.k8s.io/v1
      extensions.istio.io/v1alpha1
      networking.istio.io/v1
      networking.istio.io/v1alpha3
      networking.istio.io/v1beta1
      networking.k8s.io/v1
      rbac.authorization.k8s.io/v1
      security.istio.io/v1
      security.istio.io/v1beta1
      telemetry.istio.io/v1
      telemetry.istio.io/v1alpha1
      v1
      "
    `);
    // the older versions the CRDs still serve are accepted
    expect(out(sim, 'kubectl apply -f - <<EOF\napiVersion: networking.istio.io/v1beta1\nkind: VirtualService\nmetadata: { name: web, namespace: shop }\nspec: { hosts: [web] }\nEOF')).toEqual({ stdout: 'virtualservice.networking.istio.io/web created\n', stderr: '', exitCode: 0 });
    // deleting the CRD takes its objects with it
    sim.run('kubectl delete crd virtualservices.networking.istio.io');
    expect(sim.list('VirtualService')).toEqual([]);
    expect(out(sim, 'kubectl get vs -A').stderr).toBe('error: the server doesn\'t have a resource type "vs"\n');
  });

  it('asks first without -y, and cancels on no answer', () => {
    const sim = createSimulation(SCENARIO, { seed: 7 });
    const r = out(sim, 'istioctl install --set profile=demo');
    expect(r.stdout).toBe('This will install the Istio 1.24.2 profile "demo" into the cluster. Proceed? (y/N) Cancelled.\n');
    expect(r.exitCode).toBe(1);
    expect(sim.get('Deployment', 'istio-system', 'istiod')).toBeUndefined();
    expect(out(sim, 'istioctl install --set profile=nope -y').stderr).toBe('Error: generate config: profile "nope" not found\n');
  });
});

describe('sidecar injection', () => {
  it('touches only Pods created after the label, and only while istiod runs', () => {
    const sim = createSimulation(SCENARIO, { seed: 7 });
    sim.run('istioctl install --set profile=demo -y');
    sim.run('kubectl label namespace shop istio-injection=enabled');
    // existing Pods keep one container until they are recreated
    expect(sim.run('kubectl get pods -n shop').stdout).toMatchInlineSnapshot(`
      "NAME                      READY   STATUS    RESTARTS   AGE
      client-5457549f9b-sls5d   1/1     Running   0          5m13s
      web-v1-7d6f66d4bb-gx5lc   1/1     Running   0          5m13s
      web-v1-7d6f66d4bb-tlf5w   1/1     Running   0          5m13s
      web-v2-6dfd8f868b-r4vts   1/1     Running   0          5m13s
      "
    `);
    sim.run('kubectl rollout restart deployment -n shop');
    sim.advance(60_000);
    expect(sim.run('kubectl get pods -n shop').stdout).toMatchInlineSnapshot(`
      "NAME                      READY   STATUS    RESTARTS   AGE
      client-58c559d946-lngfx   2/2     Running   0          61s
      web-v1-bf867f576-drbdc    2/2     Running   0          61s
      web-v1-bf867f576-qhsb8    2/2     Running   0          59s
      web-v2-f48476c64-jk99d    2/2     Running   0          61s
      "
    `);
    // the webhook's failurePolicy is Fail: with istiod gone, new Pods in the namespace are refused
    sim.run('kubectl scale deployment istiod -n istio-system --replicas=0');
    sim.advance(40_000);
    const r = out(sim, 'kubectl run probe -n shop --image=busybox:1.36 -- sleep 3600');
    expect(r.stderr).toMatch(/^Error from server \(InternalError\): Internal error occurred: failed calling webhook "namespace.sidecar-injector.istio.io": failed to call webhook: Post "https:\/\/istiod.istio-system.svc:443\/inject\?timeout=10s": dial tcp 10\.\d+\.\d+\.\d+:443: connect: connection refused\n$/);
    // other namespaces are not selected
    expect(out(sim, 'kubectl run probe --image=busybox:1.36 -- sleep 3600').exitCode).toBe(0);
  });

  it('the sidecar asks for 10m CPU and 40Mi, limited to 2 CPUs and 1Gi (kubectl describe pod)', () => {
    const sim = meshed();
    const d = sim.run('kubectl describe pod -n shop -l app=client').stdout;
    const proxy = d.slice(d.indexOf('  istio-proxy:'));
    expect(proxy).toContain('    Limits:\n      cpu:     2\n      memory:  1Gi\n    Requests:\n      cpu:      10m\n      memory:   40Mi\n');
    // istio-init ran to completion before the Pod's containers started
    expect(d).toMatch(/Init Containers:\n  istio-init:\n    Container ID:  containerd:\/\/[0-9a-f]{64}\n    Image:         docker\.io\/istio\/proxyv2:1\.24\.2\n/);
    expect(d).toContain('    State:          Terminated\n      Reason:       Completed\n      Exit Code:    0\n');
  });

  it("istio-init's rules in the Pod's network namespace (ip netns exec on its node)", () => {
    const sim = meshed();
    const pod = sim.list('Pod', 'shop').find((p) => p.metadata.labels?.app === 'client')!;
    const node = pod.spec.nodeName;
    sim.run(`ssh ${node}`);
    const ns = sim.run(`for n in $(ip netns list | cut -d' ' -f1); do ip netns exec $n ip -4 -br addr show eth0 | grep -q ' ${pod.status.podIP}/' && echo $n; done`).stdout.trim();
    expect(ns).toMatch(/^cni-[0-9a-f-]{36}$/);
    expect(out(sim, `ip netns exec ${ns} iptables-save`)).toMatchInlineSnapshot(`
      {
        "exitCode": 0,
        "stderr": "",
        "stdout": "# Generated by iptables-save v1.8.9 (nf_tables) on Wed Jan 15 09:01:16 2025
      *nat
      :PREROUTING ACCEPT [0:0]
      :INPUT ACCEPT [0:0]
      :OUTPUT ACCEPT [0:0]
      :POSTROUTING ACCEPT [0:0]
      :ISTIO_INBOUND - [0:0]
      :ISTIO_IN_REDIRECT - [0:0]
      :ISTIO_OUTPUT - [0:0]
      :ISTIO_REDIRECT - [0:0]
      -A PREROUTING -p tcp -j ISTIO_INBOUND
      -A OUTPUT -p tcp -j ISTIO_OUTPUT
      -A ISTIO_INBOUND -p tcp -m tcp --dport 15008 -j RETURN
      -A ISTIO_INBOUND -p tcp -m tcp --dport 15090 -j RETURN
      -A ISTIO_INBOUND -p tcp -m tcp --dport 15021 -j RETURN
      -A ISTIO_INBOUND -p tcp -m tcp --dport 15020 -j RETURN
      -A ISTIO_INBOUND -p tcp -j ISTIO_IN_REDIRECT
      -A ISTIO_IN_REDIRECT -p tcp -j REDIRECT --to-ports 15006
      -A ISTIO_OUTPUT -s 127.0.0.6/32 -o lo -j RETURN
      -A ISTIO_OUTPUT ! -d 127.0.0.1/32 -o lo -p tcp -m tcp ! --dport 15008 -m owner --uid-owner 1337 -j ISTIO_IN_REDIRECT
      -A ISTIO_OUTPUT -o lo -m owner ! --uid-owner 1337 -j RETURN
      -A ISTIO_OUTPUT -m owner --uid-owner 1337 -j RETURN
      -A ISTIO_OUTPUT ! -d 127.0.0.1/32 -o lo -p tcp -m tcp ! --dport 15008 -m owner --gid-owner 1337 -j ISTIO_IN_REDIRECT
      -A ISTIO_OUTPUT -o lo -m owner ! --gid-owner 1337 -j RETURN
      -A ISTIO_OUTPUT -m owner --gid-owner 1337 -j RETURN
      -A ISTIO_OUTPUT -d 127.0.0.1/32 -j RETURN
      -A ISTIO_OUTPUT -j ISTIO_REDIRECT
      -A ISTIO_REDIRECT -p tcp -j REDIRECT --to-ports 15001
      COMMIT
      # Completed on Wed Jan 15 09:01:16 2025
      ",
      }
    `);
    expect(sim.run(`ip netns exec ${ns} iptables -t nat -S ISTIO_INBOUND`).stdout).toMatchInlineSnapshot(`
      "-N ISTIO_INBOUND
      -A ISTIO_INBOUND -p tcp -m tcp --dport 15008 -j RETURN
      -A ISTIO_INBOUND -p tcp -m tcp --dport 15090 -j RETURN
      -A ISTIO_INBOUND -p tcp -m tcp --dport 15021 -j RETURN
      -A ISTIO_INBOUND -p tcp -m tcp --dport 15020 -j RETURN
      -A ISTIO_INBOUND -p tcp -j ISTIO_IN_REDIRECT
      "
    `);
    // a Pod without a sidecar has no rules of its own
    const plain = sim.list('Pod', 'default').find((p) => p.metadata.name === 'outsider')!;
    sim.run('exit');
    sim.run(`ssh ${plain.spec.nodeName}`);
    const ns2 = sim.run(`for n in $(ip netns list | cut -d' ' -f1); do ip netns exec $n ip -4 -br addr show eth0 | grep -q ' ${plain.status.podIP}/' && echo $n; done`).stdout.trim();
    expect(out(sim, `ip netns exec ${ns2} iptables-save`)).toEqual({ stdout: '', stderr: '', exitCode: 0 });
  });
});

describe('traffic through the sidecars', () => {
  it('a meshed client gets server: envoy and x-envoy-upstream-service-time; the walk shows both Envoys', () => {
    const sim = meshed();
    expect(out(sim, 'kubectl exec -n shop deploy/client -- curl -si http://web')).toMatchInlineSnapshot(`
      {
        "exitCode": 0,
        "stderr": "",
        "stdout": "HTTP/1.1 200 OK
      x-app-name: http-echo
      x-app-version: 1.0.0
      date: Wed, 15 Jan 2025 09:01:14 GMT
      content-length: 7
      content-type: text/plain; charset=utf-8
      x-envoy-upstream-service-time: 1
      server: envoy

      web v1
      ",
      }
    `);
    const trace = sim.traces[sim.traces.length - 1];
    expect(trace.hops.map((h) => `${h.where}: ${h.what}`)).toMatchInlineSnapshot(`
      [
        "pod shop/client-6d6d49b9bf-lngfx: DNS: web → 10.104.185.210",
        "pod shop/client-6d6d49b9bf-lngfx: nat OUTPUT → ISTIO_OUTPUT → ISTIO_REDIRECT: REDIRECT 10.104.185.210:80 to Envoy's outbound listener 127.0.0.1:15001",
        "istio-proxy pod shop/client-6d6d49b9bf-lngfx: virtual host web.shop.svc.cluster.local:80: default route to outbound|80||web.shop.svc.cluster.local",
        "istio-proxy pod shop/client-6d6d49b9bf-lngfx: router: attempt 1 → 10.244.0.71:8080 (shop/web-v1-7f46fcb7b7-drbdc) over mTLS (auto mTLS: the endpoint has a sidecar)",
        "pod shop/client-6d6d49b9bf-lngfx: eth0 10.244.0.70 → veth on node-1",
        "node-1 nat/PREROUTING: -A PREROUTING -m comment --comment "cali:6gwbT8clXdHdC1b1" -j cali-PREROUTING",
        "node-1 nat/cali-PREROUTING: -A cali-PREROUTING -m comment --comment "cali:r6XmIziWUJsdOK6Z" -j cali-fip-dnat",
        "node-1 nat/PREROUTING: -A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES",
        "node-1 filter/FORWARD: -A FORWARD -m comment --comment "cali:wUHhoiAYhphO9Mso" -j cali-FORWARD",
        "node-1 filter/cali-FORWARD: -A cali-FORWARD -m comment --comment "cali:A_sPAO0mcxbT9mOV" -m mark --mark 0x0/0x10000 -j cali-from-hep-forward",
        "node-1 filter/cali-FORWARD: -A cali-FORWARD -i cali+ -m comment --comment "cali:8ZoYfO5HKXWbB3pk" -j cali-from-wl-dispatch",
        "node-1 filter/cali-from-wl-dispatch: -A cali-from-wl-dispatch -i calic03ec0a9ddc -m comment --comment "cali:aGPeNJ_GikbOIpsD" -g cali-fw-calic03ec0a9ddc",
        "node-1 filter/cali-fw-calic03ec0a9ddc: -A cali-fw-calic03ec0a9ddc -m comment --comment "cali:-NUVOgu8ljvqWMav" -j cali-pro-kns.shop",
        "node-1 filter/cali-FORWARD: -A cali-FORWARD -m comment --comment "cali:12bc6HljsMKsmfr-" -j cali-to-hep-forward",
        "node-1 filter/cali-FORWARD: -A cali-FORWARD -m comment --comment "cali:NOSxoaGx8OIstr1z" -j cali-cidr-block",
        "node-1 filter/FORWARD: -A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL",
        "node-1 filter/FORWARD: -A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD",
        "node-1 filter/FORWARD: -A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES",
        "node-1 filter/FORWARD: -A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES",
        "node-1 nat/POSTROUTING: -A POSTROUTING -m comment --comment "cali:O3lYWMrLQYEMJtB5" -j cali-POSTROUTING",
        "node-1 nat/cali-POSTROUTING: -A cali-POSTROUTING -m comment --comment "cali:Z-c7XtVd2Bq7s_hA" -j cali-fip-snat",
        "node-1 nat/cali-POSTROUTING: -A cali-POSTROUTING -m comment --comment "cali:nYKhEzDlr11Jccal" -j cali-nat-outgoing",
        "node-1 nat/POSTROUTING: -A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING",
        "node node-1: host route 10.244.0.71 → veth of shop/web-v1-7f46fcb7b7-drbdc",
        "node-1 filter/cali-to-wl-dispatch: -A cali-to-wl-dispatch -o caliae7accfb6d4 -m comment --comment "cali:T88t7a6KIZ8f8WAg" -g cali-tw-caliae7accfb6d4",
        "node-1 filter/cali-tw-caliae7accfb6d4: -A cali-tw-caliae7accfb6d4 -m comment --comment "cali:Zv0puKAjo_xSwXT4" -j cali-pri-kns.shop",
        "pod shop/web-v1-7f46fcb7b7-drbdc: nat PREROUTING → ISTIO_INBOUND → ISTIO_IN_REDIRECT: REDIRECT 10.244.0.71:8080 to :15006, where istio-proxy (Envoy) accepts",
        "istio-proxy pod shop/web-v1-7f46fcb7b7-drbdc: inbound :15006 terminates mTLS from spiffe://cluster.local/ns/shop/sa/default (PeerAuthentication PERMISSIVE)",
        "istio-proxy pod shop/web-v1-7f46fcb7b7-drbdc: → http-echo on 10.244.0.71:8080, from 127.0.0.6 (inbound passthrough; ISTIO_OUTPUT returns it)",
      ]
    `);
    expect(out(sim, 'kubectl exec outsider -- curl -si http://web.shop')).toMatchInlineSnapshot(`
      {
        "exitCode": 0,
        "stderr": "",
        "stdout": "HTTP/1.1 200 OK
      x-app-name: http-echo
      x-app-version: 1.0.0
      date: Wed, 15 Jan 2025 09:01:15 GMT
      content-length: 7
      content-type: text/plain; charset=utf-8
      x-envoy-upstream-service-time: 0
      server: istio-envoy

      web v1
      ",
      }
    `);
  });

  it('PeerAuthentication STRICT resets the plaintext client and keeps serving the mesh', () => {
    const sim = meshed();
    sim.run(`kubectl apply -f - <<EOF
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: default, namespace: shop }
spec:
  mtls: { mode: STRICT }
EOF`);
    expect(sim.run('kubectl get pa -n shop').stdout).toBe('NAME      MODE     AGE\ndefault   STRICT   1s\n');
    expect(out(sim, 'kubectl exec outsider -- curl -sS http://web.shop')).toEqual({ stdout: '', stderr: 'curl: (56) Recv failure: Connection reset by peer\ncommand terminated with exit code 56\n', exitCode: 56 });
    expect(out(sim, 'kubectl exec -n shop deploy/client -- curl -s http://web').exitCode).toBe(0);
    expect(sim.run('istioctl x describe pod $(kubectl get pod -n shop -l version=v2 -o name | cut -d/ -f2) -n shop').stdout).toMatchInlineSnapshot(`
      "Pod: web-v2-6bb859f699-jk99d
         Pod Revision: default
         Pod Ports: 8080 (web), 15090 (istio-proxy)
      --------------------
      Service: web
         Port: http 80/HTTP targets pod port 8080
      --------------------
      Effective PeerAuthentication:
         Workload mTLS mode: STRICT
      Applied PeerAuthentication:
         default.shop
      "
    `);
  });

  it('a weighted canary with DestinationRule subsets', () => {
    const sim = meshed();
    sim.run(`kubectl apply -f - <<EOF
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: web, namespace: shop }
spec:
  host: web
  subsets:
  - { name: v1, labels: { version: v1 } }
  - { name: v2, labels: { version: v2 } }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: web, namespace: shop }
spec:
  hosts: [web]
  http:
  - route:
    - { destination: { host: web, subset: v1 }, weight: 90 }
    - { destination: { host: web, subset: v2 }, weight: 10 }
EOF`);
    expect(sim.run('kubectl get vs,dr -n shop').stdout).toBe('NAME                                     GATEWAYS   HOSTS     AGE\nvirtualservice.networking.istio.io/web              ["web"]   1s\n\nNAME                                      HOST   AGE\ndestinationrule.networking.istio.io/web   web    1s\n');
    const body = sim.run("kubectl exec -n shop deploy/client -- sh -c 'for i in $(seq 200); do curl -s http://web; done'").stdout;
    const v2 = body.split('\n').filter((l) => l === 'web v2').length;
    const v1 = body.split('\n').filter((l) => l === 'web v1').length;
    expect(v1 + v2).toBe(200);
    // one in ten, not the one in three kube-proxy's Pod count would give
    expect(v2).toBeGreaterThan(8);
    expect(v2).toBeLessThan(35);
  });

  it('fault injection: abort and delay happen in the client sidecar, before the router', () => {
    const sim = meshed();
    sim.run(`kubectl apply -f - <<EOF
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: web, namespace: shop }
spec:
  hosts: [web]
  http:
  - fault:
      abort: { httpStatus: 503, percentage: { value: 100 } }
    route:
    - destination: { host: web }
EOF`);
    expect(out(sim, 'kubectl exec -n shop deploy/client -- curl -si http://web')).toMatchInlineSnapshot(`
      {
        "exitCode": 0,
        "stderr": "",
        "stdout": "HTTP/1.1 503 Service Unavailable
      content-length: 18
      content-type: text/plain
      date: Wed, 15 Jan 2025 09:01:15 GMT
      server: envoy

      fault filter abort",
      }
    `);
    sim.run(`kubectl patch vs web -n shop --type merge -p '{"spec":{"http":[{"fault":{"delay":{"fixedDelay":"3s","percentage":{"value":100}}},"route":[{"destination":{"host":"web"}}]}]}}'`);
    // curl's own limit fires first (lib/multi.c: "Operation timed out after N milliseconds with 0 bytes received")
    const limited = out(sim, 'kubectl exec -n shop deploy/client -- curl -sS -m 2 http://web');
    expect(limited.exitCode).toBe(28);
    expect(limited.stderr).toMatch(/^curl: \(28\) Operation timed out after 200[1-3] milliseconds with 0 bytes received\ncommand terminated with exit code 28\n$/);
    const t = Number(sim.run('kubectl exec -n shop deploy/client -- curl -s -o /dev/null -w %{time_total} http://web').stdout);
    expect(t).toBeGreaterThan(3);
    expect(t).toBeLessThan(3.1);
    expect(sim.run('kubectl logs -n shop deploy/client -c istio-proxy').stdout).toMatchInlineSnapshot(`
      "2025-01-15T09:00:15.272953Z	info	Version 1.24.2-7754674f65d38523e49b692cbb95a5bb1e2a93b8-Clean
      2025-01-15T09:00:15.273365Z	info	Set max file descriptors (ulimit -n) to: 1048576
      2025-01-15T09:00:15.278072Z	info	Proxy role	ips=[10.244.0.70] type=sidecar id=client-6d6d49b9bf-lngfx.shop domain=shop.svc.cluster.local
      2025-01-15T09:00:15.279823Z	info	cpu limit detected as 2, setting concurrency
      2025-01-15T09:00:15.279968Z	info	Effective config: binaryPath: /usr/local/bin/envoy
      concurrency: 2
      configPath: ./etc/istio/proxy
      controlPlaneAuthPolicy: MUTUAL_TLS
      discoveryAddress: istiod.istio-system.svc:15012
      drainDuration: 45s
      proxyAdminPort: 15000
      serviceCluster: istio-proxy
      statNameLength: 189
      statusPort: 15020
      terminationDrainDuration: 5s

      2025-01-15T09:00:15.282595Z	info	JWT policy is third-party-jwt
      2025-01-15T09:00:15.282641Z	info	using credential fetcher of JWT type in cluster.local trust domain
      2025-01-15T09:00:15.287284Z	info	CA Endpoint istiod.istio-system.svc:15012, provider Citadel
      2025-01-15T09:00:15.287455Z	info	Opening status port 15020
      2025-01-15T09:00:15.294830Z	info	Pilot SAN: [istiod.istio-system.svc]
      2025-01-15T09:00:15.295969Z	info	Starting proxy agent
      2025-01-15T09:00:15.296062Z	info	Envoy command: [-c etc/istio/proxy/envoy-rev.json --drain-time-s 45 --drain-strategy immediate --local-address-ip-version v4 --file-flush-interval-msec 1000 --disable-hot-restart --allow-unknown-static-fields -l warning --component-log-level misc:error --concurrency 2]
      2025-01-15T09:00:15.506493Z	info	xdsproxy	connected to delta upstream XDS server: istiod.istio-system.svc:15012	id=1
      2025-01-15T09:00:16.164953Z	info	Readiness succeeded in 892.214ms
      2025-01-15T09:00:16.165014Z	info	Envoy proxy is ready
      [2025-01-15T09:01:15.000Z] "GET / HTTP/1.1" 503 FI fault_filter_abort - "-" 0 18 0 - "-" "curl/8.11.1" "830f6040-a908-43b9-aa9b-3260d56607d5" "web" "-" outbound|80||web.shop.svc.cluster.local - 10.104.185.210:80 10.244.0.70:59784 - -
      [2025-01-15T09:01:17.001Z] "GET / HTTP/1.1" 200 - via_upstream - "-" 0 7 3001 1 "-" "curl/8.11.1" "dbd53df7-2c32-4708-91c1-1b443d609690" "web" "10.244.0.71:8080" outbound|80||web.shop.svc.cluster.local 10.244.0.70:54670 10.104.185.210:80 10.244.0.70:43531 - -
      [2025-01-15T09:01:20.004Z] "GET / HTTP/1.1" 200 - via_upstream - "-" 0 7 3001 1 "-" "curl/8.11.1" "5e3518d6-c661-4d15-8fde-352eef62aa2e" "web" "10.244.0.71:8080" outbound|80||web.shop.svc.cluster.local 10.244.0.70:56026 10.104.185.210:80 10.244.0.70:45365 - -
      "
    `);
  });

  it('retries hide a broken endpoint by default; attempts: 0 shows it', () => {
    const sim = meshed();
    sim.run(`kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: Deployment
metadata: { name: web-v3, namespace: shop }
spec:
  selector: { matchLabels: { app: web, version: v3 } }
  template:
    metadata: { labels: { app: web, version: v3 } }
    spec:
      containers:
      - { name: web, image: "hashicorp/http-echo:1.0", args: ["-listen=:9090", "-text=web v3"] }
EOF`);
    sim.advance(30_000);
    const codes = (line: string) => sim.run(line).stdout.trim().split('\n');
    const meshLoop = "kubectl exec -n shop deploy/client -- sh -c 'for i in $(seq 40); do curl -s -o /dev/null -w \"%{http_code}\\n\" http://web; done'";
    expect(new Set(codes(meshLoop))).toEqual(new Set(['200']));
    const broken = sim.list('Pod', 'shop').find((p) => p.metadata.labels?.version === 'v3')!;
    // Envoy's access-log lines (pilot-agent's startup lines come first)
    const log = sim.run(`kubectl logs -n shop ${broken.metadata.name} -c istio-proxy`).stdout.split('\n').filter((l) => l.startsWith('['));
    expect(log.length).toBeGreaterThan(0);
    for (const l of log) expect(l).toMatch(/"GET \/ HTTP\/1\.1" 503 UF upstream_reset_before_response_started\{remote_connection_failure\|delayed_connect_error:_Connection_refused\} - "delayed_connect_error:_Connection_refused" 0 \d+ \d+ - "-" "curl\/8\.11\.1" "[0-9a-f-]{36}" "web" "10\.244\.\d+\.\d+:8080" inbound\|8080\|\| - 10\.244\.\d+\.\d+:8080 10\.244\.\d+\.\d+:\d+ outbound_\.80_\._\.web\.shop\.svc\.cluster\.local default$/);
    sim.run(`kubectl apply -f - <<EOF
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: web, namespace: shop }
spec:
  hosts: [web]
  http:
  - route:
    - destination: { host: web }
    retries: { attempts: 0 }
EOF`);
    const after = codes(meshLoop);
    expect(after.filter((c) => c === '503').length).toBeGreaterThan(3);
    expect(sim.run('kubectl exec -n shop deploy/client -- sh -c \'for i in $(seq 20); do curl -s http://web; echo; done\'').stdout).toContain('upstream connect error or disconnect/reset before headers. reset reason: remote connection failure, transport failure reason: delayed connect error: Connection refused\n');
  });
});

describe('istioctl', () => {
  it('version, proxy-status and analyze', () => {
    const sim = createSimulation(SCENARIO, { seed: 7 });
    expect(out(sim, 'istioctl version')).toEqual({ stdout: 'client version: 1.24.2\n', stderr: 'Istio is not present in the cluster: no running Istio pods in namespace "istio-system"\n', exitCode: 0 });
    expect(out(sim, 'istioctl proxy-status')).toEqual({ stdout: '', stderr: 'Error: no running Istio pods in "istio-system"\n', exitCode: 1 });
    sim.run('istioctl install --set profile=demo -y');
    sim.run('kubectl label namespace shop istio-injection=enabled');
    expect(out(sim, 'istioctl analyze -n shop')).toMatchInlineSnapshot(`
      {
        "exitCode": 0,
        "stderr": "",
        "stdout": "Warning [IST0103] (Pod shop/client-5457549f9b-sls5d) The pod shop/client-5457549f9b-sls5d is missing the Istio proxy. This can often be resolved by restarting or redeploying the workload.
      Warning [IST0103] (Pod shop/web-v1-7d6f66d4bb-gx5lc) The pod shop/web-v1-7d6f66d4bb-gx5lc is missing the Istio proxy. This can often be resolved by restarting or redeploying the workload.
      Warning [IST0103] (Pod shop/web-v1-7d6f66d4bb-tlf5w) The pod shop/web-v1-7d6f66d4bb-tlf5w is missing the Istio proxy. This can often be resolved by restarting or redeploying the workload.
      Warning [IST0103] (Pod shop/web-v2-6dfd8f868b-r4vts) The pod shop/web-v2-6dfd8f868b-r4vts is missing the Istio proxy. This can often be resolved by restarting or redeploying the workload.
      ",
      }
    `);
    expect(out(sim, 'istioctl analyze')).toMatchInlineSnapshot(`
      {
        "exitCode": 0,
        "stderr": "",
        "stdout": "Info [IST0102] (Namespace default) The namespace is not enabled for Istio injection. Run 'kubectl label namespace default istio-injection=enabled' to enable it, or 'kubectl label namespace default istio-injection=disabled' to explicitly mark it as not needing injection.
      ",
      }
    `);
    sim.run('kubectl rollout restart deployment -n shop');
    sim.advance(60_000);
    expect(out(sim, 'istioctl analyze -n shop')).toEqual({ stdout: '\n', stderr: '✔ No validation issues found when analyzing namespace: shop.\n', exitCode: 0 });
    expect(out(sim, 'istioctl version').stdout).toBe('client version: 1.24.2\ncontrol plane version: 1.24.2\ndata plane version: 1.24.2 (6 proxies)\n');
    expect(sim.run('istioctl proxy-status').stdout).toMatchInlineSnapshot(`
      "NAME                                                   CLUSTER        CDS              LDS              EDS              RDS              ECDS        ISTIOD                      VERSION
      client-66bc89958f-lngfx.shop                           Kubernetes     SYNCED (61s)     SYNCED (61s)     SYNCED (61s)     SYNCED (61s)     IGNORED     istiod-789df89d9b-phwd5     1.24.2
      istio-egressgateway-69fdf6588f-lfw2q.istio-system      Kubernetes     SYNCED (69s)     SYNCED (69s)     SYNCED (69s)     NOT SENT         IGNORED     istiod-789df89d9b-phwd5     1.24.2
      istio-ingressgateway-5f68f47cb8-94xjt.istio-system     Kubernetes     SYNCED (68s)     SYNCED (68s)     SYNCED (68s)     NOT SENT         IGNORED     istiod-789df89d9b-phwd5     1.24.2
      web-v1-6749d5488c-drbdc.shop                           Kubernetes     SYNCED (61s)     SYNCED (61s)     SYNCED (61s)     SYNCED (61s)     IGNORED     istiod-789df89d9b-phwd5     1.24.2
      web-v1-6749d5488c-qhsb8.shop                           Kubernetes     SYNCED (60s)     SYNCED (60s)     SYNCED (60s)     SYNCED (60s)     IGNORED     istiod-789df89d9b-phwd5     1.24.2
      web-v2-6c94f45c67-jk99d.shop                           Kubernetes     SYNCED (62s)     SYNCED (62s)     SYNCED (62s)     SYNCED (62s)     IGNORED     istiod-789df89d9b-phwd5     1.24.2
      "
    `);
    expect(out(sim, 'istioctl bogus')).toEqual({ stdout: '', stderr: 'Error: unknown command "bogus" for "istioctl"\nRun \'istioctl --help\' for usage.\n', exitCode: 1 });
  });
});

describe('timeouts', () => {
  it('a route timeout answers 504 upstream request timeout when the upstream does not answer', () => {
    const sim = meshed();
    // Calico drops every connection to web: the sidecar's connect waits
    sim.run(`kubectl apply -f - <<EOF
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: deny-web, namespace: shop }
spec:
  podSelector: { matchLabels: { app: web } }
  policyTypes: [Ingress]
EOF`);
    const before = out(sim, 'kubectl exec -n shop deploy/client -- curl -s -w " %{http_code} %{time_total}" http://web');
    expect(before.stdout).toMatch(/^upstream connect error or disconnect\/reset before headers\. retried and the latest reset reason: connection timeout 503 30\.\d+$/);
    sim.run(`kubectl apply -f - <<EOF
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: web, namespace: shop }
spec:
  hosts: [web]
  http:
  - route:
    - destination: { host: web }
    timeout: 2s
EOF`);
    const after = out(sim, 'kubectl exec -n shop deploy/client -- curl -s -w " %{http_code} %{time_total}" http://web');
    expect(after.stdout).toMatch(/^upstream request timeout 504 2\.0\d+$/);
  });
});

describe('xt_owner in iptables', () => {
  it('parses, saves and lists --uid-owner / --gid-owner as iptables 1.8.9 does', () => {
    const sim = createSimulation(SCENARIO, { seed: 7 });
    sim.run('ssh node-1');
    expect(out(sim, 'iptables -t nat -N T')).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    sim.run('iptables -t nat -A T -o lo -m owner ! --uid-owner 1337 -j RETURN');
    sim.run('iptables -t nat -A T -m owner --gid-owner 1337 -j RETURN');
    expect(sim.run('iptables -t nat -S T').stdout).toBe('-N T\n-A T -o lo -m owner ! --uid-owner 1337 -j RETURN\n-A T -m owner --gid-owner 1337 -j RETURN\n');
    expect(sim.run('iptables -t nat -L T -n').stdout).toBe('Chain T (0 references)\ntarget     prot opt source               destination         \nRETURN     all  --  0.0.0.0/0            0.0.0.0/0            ! owner UID match 1337\nRETURN     all  --  0.0.0.0/0            0.0.0.0/0            owner GID match 1337\n');
    expect(out(sim, 'iptables -t nat -A T -m owner --uid-owner nobody -j RETURN')).toEqual({ stdout: '', stderr: 'iptables v1.8.9 (nf_tables): owner: Bad value for "--uid-owner" option: "nobody"\nTry `iptables -h\' or \'iptables --help\' for more information.\n', exitCode: 2 });
  });
});

describe('persistence', () => {
  it('a restored simulation keeps injecting and routing through the sidecars', () => {
    const sim = meshed();
    const again = Simulation.restore(sim.snapshot());
    expect(again.run('kubectl exec -n shop deploy/client -- curl -s -o /dev/null -w "%{http_code}" http://web').stdout).toBe('200');
    again.run('kubectl run late -n shop --image=busybox:1.36 -- sleep 3600');
    expect(again.get('Pod', 'shop', 'late')?.spec.containers.map((c: { name: string }) => c.name)).toEqual(['late', 'istio-proxy']);
  });
});
