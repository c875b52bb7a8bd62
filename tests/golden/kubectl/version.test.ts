/**
 * `kubectl version` on the v1.34.2 cluster, every layout, pinned whole.
 *
 * Sources: k8s.io/kubectl v0.34.2 pkg/cmd/version/version.go (Validate: extra arguments,
 * `--output must be 'yaml' or 'json'`; Run: the three text lines, yaml via sigs.k8s.io/yaml,
 * json via json.MarshalIndent(…, "", "  "), both through Fprintln; kustomizeVersion v5.7.1;
 * no --short since v1.28); apimachinery v0.34.2 pkg/version/types.go (Info field order,
 * emulation/min-compatibility fields omitempty); component-base v0.34.2
 * compatibility/version.go (the server's Info: emulation = binary version, min
 * compatibility = one minor below). The build values are a real v1.34.2 API server's
 * /version (gitCommit 8cc511e3…, buildDate 2025-11-11T19:00:39Z, go1.24.9;
 * CHANGELOG-1.34: v1.34.2 built with Go 1.24.9).
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { golden, transcriptOf } from './golden';

function transcript(lines: string[]): string {
  return transcriptOf(createSimulation(null, { seed: 7 }), lines);
}

describe('kubectl version', () => {
  it('text, --client, -o yaml, -o json and the errors', () => {
    golden(
      'version',
      '# upstream: k8s.io/kubectl v0.34.2 pkg/cmd/version/version.go; apimachinery pkg/version/types.go; component-base compatibility/version.go\n' +
        transcript([
          'kubectl version',
          'kubectl version --client',
          'kubectl version -o yaml',
          'kubectl version -o json',
          'kubectl version --client -o json',
          'kubectl version --client=true -o yaml',
          'kubectl version -o wide',
          'kubectl version extra',
          'kubectl version --short',
        ]),
    );
  });

  it('the components say the same release: kube-proxy and CoreDNS start-up logs', () => {
    // kube-proxy: a real v1.34.0 kube-proxy's start-up (server.go:219/256/527/529,
    // server_linux.go:53/132, config.go:106/200/309/403) and client-go v0.34
    // shared_informer.go:349/356; CoreDNS v1.12.1: tag 707c7c1, .go-version 1.24.1
    golden(
      'component-logs',
      '# upstream: kube-proxy v1.34 start-up log; client-go v0.34.2 tools/cache/shared_informer.go; coredns v1.12.1 coremain\n' +
        transcript(['kubectl -n kube-system logs ds/kube-proxy', 'kubectl -n kube-system logs deploy/coredns', 'kubectl -n kube-system get pods -l k8s-app=kube-dns -o jsonpath={.items[0].spec.containers[0].image}']),
    );
  });

  it("kube-proxy's first lines follow its mode's defaulting (cmd/kube-proxy/app/server_linux.go platformApplyDefaults)", () => {
    // kubeadm leaves `mode` empty: kube-proxy logs "Using iptables proxy" as it defaults it.
    // A set mode is not logged there; nftables mode defaults nodePortAddresses to
    // ["primary"], so server.go's "nodePortAddresses is unset" complaint is iptables/IPVS only.
    const head = (mode: string) => {
      const sim = createSimulation(`cluster:\n  proxyMode: ${mode}\n`, { seed: 7 });
      const cm: string = sim.get('ConfigMap', 'kube-system', 'kube-proxy')!.data['config.conf'];
      const log = sim.run('kubectl -n kube-system logs ds/kube-proxy').stdout.split('\n');
      return { mode: /^mode: (.*)$/m.exec(cm)?.[1], first: log[0].replace(/^\S+ \S+ +1 /, ''), incomplete: log.some((l) => l.includes('nodePortAddresses is unset')), proxier: log.find((l) => l.includes('Proxier"'))?.replace(/^\S+ \S+ +1 /, '') };
    };
    expect(head('iptables')).toEqual({ mode: '""', first: 'server_linux.go:53] "Using iptables proxy"', incomplete: true, proxier: 'server_linux.go:132] "Using iptables Proxier"' });
    expect(head('ipvs')).toEqual({ mode: 'ipvs', first: 'shared_informer.go:349] "Waiting for caches to sync" controller="node informer cache"', incomplete: true, proxier: 'server_linux.go:132] "Using ipvs Proxier"' });
    expect(head('nftables')).toEqual({ mode: 'nftables', first: 'shared_informer.go:349] "Waiting for caches to sync" controller="node informer cache"', incomplete: false, proxier: 'server_linux.go:132] "Using nftables Proxier"' });
  });
});
