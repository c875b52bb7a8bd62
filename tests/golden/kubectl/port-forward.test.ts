/**
 * kubectl port-forward as a background job of the learner's terminal; curl on the
 * workstation reaches the Pod through it, from the Pod's own loopback (no Service, no policy).
 *
 * Upstream texts:
 * - kubectl v1.34 pkg/cmd/portforward/portforward.go: the usage error "TYPE/NAME and list of
 *   ports are required for port-forward", translateServicePortToTargetPort (svc port → its
 *   targetPort; `80` alone becomes `80:TARGET`), "unable to forward port because pod is not
 *   running. Current status=%v"; pkg/util/service_port.go "Service %s does not have a service
 *   port %d", pkg/util/pod_port.go "Pod '%s' does not have a named port '%s'", checkUDPPorts'
 *   "UDP protocol is not supported for %s".
 * - client-go v0.34 tools/portforward/portforward.go: "Forwarding from %s -> %d" per listen
 *   address (parseAddresses: localhost is 127.0.0.1 and ::1, sorted), "Handling connection for
 *   %d", "Unable to listen on port %d: %v" with "Listeners failed to create with the following
 *   errors: %v" and "unable to create listener: Error %s", "unable to listen on any of the
 *   requested ports: %v" ([{8080 80}]), parsePorts' "invalid port format '%s'", handleConnection's
 *   runtime.HandleError at portforward.go:424 ("Unhandled Error" err=…) followed by
 *   streamConn.Close() and ErrLostConnectionToPod ("lost connection to pod").
 * - the error text the kubelet's streaming server sends back: "error forwarding port %d to pod
 *   %s, uid %v: %v" (kubelet cri/streaming/portforward/httpstream.go) around containerd 1.7
 *   sandbox_portforward_linux.go's "failed to execute portforward in network namespace %q" and
 *   "failed to connect to localhost:%d inside namespace %q, IPv4: %v IPv6 %v ".
 * - Linux: binding a port below 1024 as a non-root user is EACCES ("bind: permission denied").
 */
import { describe, it } from 'vitest';
import { cluster, type } from '../tcpdump/scenario';
import { golden } from './golden';

function transcript(lines: string[]): string {
  const sim = cluster();
  let s = '';
  for (const l of lines) s += `$ ${l}\n` + type(sim, l);
  return s;
}

describe('kubectl port-forward', () => {
  it('forwards a Service port to its Pod as a job; curl on the workstation goes through it; a second listener on the port fails', () => {
    golden(
      'port-forward-job',
      transcript([
        'kubectl port-forward svc/web 8080:80 &',
        'curl -s localhost:8080 | head -4',
        'curl -sI http://127.0.0.1:8080/',
        'kubectl logs web | tail -2',
        'jobs',
        'kubectl port-forward pod/web 8080:80',
        'kubectl port-forward pod/web :80 &',
        'kubectl port-forward --address 0.0.0.0 web 9000:80 &',
        'curl -s -o /dev/null -w "%{http_code}\\n" localhost:9000',
        'kill %1 %2 %3',
        'curl -sS localhost:8080',
      ]),
    );
  });

  it('a remote port nothing listens on: the connection is accepted, closed empty, and kubectl exits with the kubelet error', () => {
    golden('port-forward-refused', transcript(['kubectl port-forward web 8081:81 &', 'curl -sS localhost:8081', 'jobs']));
  });

  it('a default-deny ingress policy stops the Service path but not the forward (it arrives from the Pod\'s own loopback)', () => {
    golden(
      'port-forward-policy',
      transcript([
        `echo '{"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"deny"},"spec":{"podSelector":{},"policyTypes":["Ingress"]}}' | kubectl apply -f -`,
        'kubectl exec client -- curl -sS -m 2 -o /dev/null -w "%{http_code}\\n" web',
        'kubectl port-forward svc/web 8080:80 &',
        'curl -s -o /dev/null -w "%{http_code}\\n" localhost:8080',
        'kill %1',
      ]),
    );
  });

  it('-n picks the namespace: kube-dns\'s Service port 53 (TCP and UDP) to a CoreDNS Pod', () => {
    golden('port-forward-namespace', transcript(['kubectl port-forward -n kube-system svc/kube-dns 5353:53 &', 'kubectl port-forward -n kube-system svc/kube-dns 9153 &', 'kill %1 %2']));
  });

  it('a Deployment picks one of its Pods; the Pod going away ends the forward', () => {
    golden(
      'port-forward-deployment',
      transcript([
        'kubectl create deployment api --image=nginx:1.27 --port=80',
        'kubectl rollout status deployment/api',
        'kubectl port-forward deploy/api 8088:80 &',
        'curl -s -o /dev/null -w "%{http_code}\\n" localhost:8088',
        'kubectl delete pod -l app=api --wait=false',
        'sleep 2',
        'jobs',
      ]),
    );
  });

  it('errors as kubectl gives them', () => {
    golden(
      'port-forward-errors',
      transcript([
        'kubectl port-forward web',
        'kubectl port-forward nope 8080:80',
        'kubectl port-forward svc/web 8080:81',
        'kubectl port-forward svc/web 8080:http',
        'kubectl port-forward web 8080:http',
        'kubectl port-forward web 8080:1:2',
        'kubectl port-forward web abc:80',
        'kubectl port-forward web 8080:0',
        'kubectl port-forward --address foo web 8080:80',
        'kubectl port-forward web 80',
        `echo '{"apiVersion":"v1","kind":"Service","metadata":{"name":"syslog"},"spec":{"selector":{"app":"web"},"ports":[{"name":"syslog","port":514,"protocol":"UDP"}]}}' | kubectl apply -f -`,
        'kubectl port-forward svc/syslog 5140:514',
        'kubectl port-forward svc/syslog 5140:syslog',
        'kubectl run late --image=nginx:no-such-tag',
        'kubectl port-forward late 8080:80',
      ]),
    );
  });
});
