/**
 * Golden outputs of helm on the workstation: repo add/update/list (helm's cmd/helm/repo_*.go
 * messages), install (the release summary of pkg/cli/output + the chart's templates/NOTES.txt
 * for LoadBalancer and NodePort services), status (the same record), list (uitable columns), uninstall, and the errors
 * for a missing repo, a missing namespace, a reused name and an unknown release.
 */
import { describe, expect, it } from 'vitest';
import { cluster, bb, curlPod, shoot, ws } from './scenario';
import { run } from './harness';

const hosts = { bb, curl: curlPod, shoot, ws };

describe("helm 3 with the ingress-nginx chart", () => {
  // One simulation, the commands in order: the virtual clock and the seeded stream advance as they would in a session.
  const s = cluster("calico", "iptables");
  const cases: { host: keyof typeof hosts; line: string; why: string; opts?: { steps?: number }; stdout: string; stderr: string; exitCode: number }[] = [
    {
      host: "ws",
      line: "helm install ingress-nginx ingress-nginx/ingress-nginx",
      why: "no repo yet",
      stdout: "",
      stderr: "Error: INSTALLATION FAILED: repo ingress-nginx not found\n",
      exitCode: 1,
    },
    {
      host: "ws",
      line: "helm repo add ingress-nginx https://kubernetes.github.io/ingress-nginx",
      why: "repo add",
      stdout: "\"ingress-nginx\" has been added to your repositories\n",
      stderr: "",
      exitCode: 0,
    },
    {
      host: "ws",
      line: "helm repo add ingress-nginx https://kubernetes.github.io/ingress-nginx",
      why: "repo add again",
      stdout: "\"ingress-nginx\" already exists with the same configuration, skipping\n",
      stderr: "",
      exitCode: 0,
    },
    {
      host: "ws",
      line: "helm repo update",
      why: "repo update",
      stdout: "Hang tight while we grab the latest from your chart repositories...\n...Successfully got an update from the \"ingress-nginx\" chart repository\nUpdate Complete. ⎈Happy Helming!⎈\n",
      stderr: "",
      exitCode: 0,
    },
    {
      host: "ws",
      line: "helm repo list",
      why: "repo list",
      stdout: "NAME         \tURL\ningress-nginx\thttps://kubernetes.github.io/ingress-nginx\n",
      stderr: "",
      exitCode: 0,
    },
    {
      host: "ws",
      line: "helm install ingress-nginx ingress-nginx/ingress-nginx --namespace ingress-nginx",
      why: "namespace missing without --create-namespace",
      stdout: "",
      stderr: "Error: INSTALLATION FAILED: create: failed to create: namespaces \"ingress-nginx\" not found\n",
      exitCode: 1,
    },
    {
      host: "ws",
      line: "helm install ingress-nginx ingress-nginx/ingress-nginx --namespace ingress-nginx --create-namespace --set controller.service.type=NodePort",
      why: "install with a NodePort service: the chart NOTES for NodePort",
      stdout: "NAME: ingress-nginx\nLAST DEPLOYED: Wed Jan 15 09:00:00 2025\nNAMESPACE: ingress-nginx\nSTATUS: deployed\nREVISION: 1\nTEST SUITE: None\nNOTES:\nThe ingress-nginx controller has been installed.\nGet the application URL by running these commands:\n  export HTTP_NODE_PORT=$(kubectl get service --namespace ingress-nginx ingress-nginx-controller --output jsonpath=\"{.spec.ports[0].nodePort}\")\n  export HTTPS_NODE_PORT=$(kubectl get service --namespace ingress-nginx ingress-nginx-controller --output jsonpath=\"{.spec.ports[1].nodePort}\")\n  export NODE_IP=\"$(kubectl get nodes --output jsonpath=\"{.items[0].status.addresses[1].address}\")\"\n\n  echo \"Visit http://${NODE_IP}:${HTTP_NODE_PORT} to access your application via HTTP.\"\n  echo \"Visit https://${NODE_IP}:${HTTPS_NODE_PORT} to access your application via HTTPS.\"\n\nAn example Ingress that makes use of the controller:\n  apiVersion: networking.k8s.io/v1\n  kind: Ingress\n  metadata:\n    name: example\n    namespace: foo\n  spec:\n    ingressClassName: nginx\n    rules:\n      - host: www.example.com\n        http:\n          paths:\n            - pathType: Prefix\n              backend:\n                service:\n                  name: exampleService\n                  port:\n                    number: 80\n              path: /\n    # This section is only required if TLS is to be enabled for the Ingress\n    tls:\n      - hosts:\n        - www.example.com\n        secretName: example-tls\n\nIf TLS is enabled for the Ingress, a Secret containing the certificate and key must also be provided:\n\n  apiVersion: v1\n  kind: Secret\n  metadata:\n    name: example-tls\n    namespace: foo\n  data:\n    tls.crt: <base64 encoded cert>\n    tls.key: <base64 encoded key>\n  type: kubernetes.io/tls\n",
      stderr: "",
      exitCode: 0,
    },
    {
      host: "ws",
      line: "helm install ingress-nginx ingress-nginx/ingress-nginx --namespace ingress-nginx",
      why: "the name is taken",
      stdout: "",
      stderr: "Error: INSTALLATION FAILED: cannot re-use a name that is still in use\n",
      exitCode: 1,
    },
    {
      host: "ws",
      line: "helm list -A",
      why: "list",
      stdout: "NAME         \tNAMESPACE    \tREVISION\tUPDATED                                \tSTATUS  \tCHART               \tAPP VERSION\ningress-nginx\tingress-nginx\t1       \t2025-01-15 09:00:00.000000000 +0000 UTC\tdeployed\tingress-nginx-4.12.0\t1.12.0\n",
      stderr: "",
      exitCode: 0,
    },
    {
      host: "ws",
      line: "helm status ingress-nginx -n ingress-nginx",
      why: "status (cmd/helm/status.go): the release record as install printed it, its NOTES kept",
      stdout: "NAME: ingress-nginx\nLAST DEPLOYED: Wed Jan 15 09:00:00 2025\nNAMESPACE: ingress-nginx\nSTATUS: deployed\nREVISION: 1\nTEST SUITE: None\nNOTES:\nThe ingress-nginx controller has been installed.\nGet the application URL by running these commands:\n  export HTTP_NODE_PORT=$(kubectl get service --namespace ingress-nginx ingress-nginx-controller --output jsonpath=\"{.spec.ports[0].nodePort}\")\n  export HTTPS_NODE_PORT=$(kubectl get service --namespace ingress-nginx ingress-nginx-controller --output jsonpath=\"{.spec.ports[1].nodePort}\")\n  export NODE_IP=\"$(kubectl get nodes --output jsonpath=\"{.items[0].status.addresses[1].address}\")\"\n\n  echo \"Visit http://${NODE_IP}:${HTTP_NODE_PORT} to access your application via HTTP.\"\n  echo \"Visit https://${NODE_IP}:${HTTPS_NODE_PORT} to access your application via HTTPS.\"\n\nAn example Ingress that makes use of the controller:\n  apiVersion: networking.k8s.io/v1\n  kind: Ingress\n  metadata:\n    name: example\n    namespace: foo\n  spec:\n    ingressClassName: nginx\n    rules:\n      - host: www.example.com\n        http:\n          paths:\n            - pathType: Prefix\n              backend:\n                service:\n                  name: exampleService\n                  port:\n                    number: 80\n              path: /\n    # This section is only required if TLS is to be enabled for the Ingress\n    tls:\n      - hosts:\n        - www.example.com\n        secretName: example-tls\n\nIf TLS is enabled for the Ingress, a Secret containing the certificate and key must also be provided:\n\n  apiVersion: v1\n  kind: Secret\n  metadata:\n    name: example-tls\n    namespace: foo\n  data:\n    tls.crt: <base64 encoded cert>\n    tls.key: <base64 encoded key>\n  type: kubernetes.io/tls\n",
      stderr: "",
      exitCode: 0,
    },
    {
      host: "ws",
      line: "helm status ingress-nginx",
      why: "status in default: no such release there (storage driver's driver.ErrReleaseNotFound)",
      stdout: "",
      stderr: "Error: release: not found\n",
      exitCode: 1,
    },
    {
      host: "ws",
      line: "helm status",
      why: "status without a name (cobra's ExactArgs(1) through require.ExactArgs)",
      stdout: "",
      stderr: "Error: \"helm status\" requires 1 argument\n\nUsage:  helm status RELEASE_NAME [flags]\n",
      exitCode: 1,
    },
    {
      host: "ws",
      line: "helm list",
      why: "list in default: empty",
      stdout: "NAME\tNAMESPACE\tREVISION\tUPDATED\tSTATUS\tCHART\tAPP VERSION\n",
      stderr: "",
      exitCode: 0,
    },
    {
      host: "ws",
      line: "helm uninstall ingress-nginx --namespace ingress-nginx",
      why: "uninstall",
      stdout: "release \"ingress-nginx\" uninstalled\n",
      stderr: "",
      exitCode: 0,
    },
    {
      host: "ws",
      line: "helm uninstall ingress-nginx --namespace ingress-nginx",
      why: "uninstall again",
      stdout: "",
      stderr: "Error: uninstall: Release not loaded: ingress-nginx: release: not found\n",
      exitCode: 1,
    },
    {
      host: "ws",
      line: "helm list -A",
      why: "list after uninstall",
      stdout: "NAME\tNAMESPACE\tREVISION\tUPDATED\tSTATUS\tCHART\tAPP VERSION\n",
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
