/**
 * calico-node's and calico-kube-controllers' container logs (`kubectl logs`), pinned whole.
 *
 * Sources (github.com/projectcalico/calico at v3.28.2, the image the Calico plugin deploys):
 * libcalico-go/lib/logutils/logutils.go (Formatter: `2006-01-02 15:04:05.000 [LEVEL][pid]
 * component/file line: msg`, fields sorted, non-Stringer values %#v; ContextHook: path.Base);
 * node/cmd/calico-node/main.go (components "startup", "felix"); node/pkg/lifecycle/startup/
 * startup.go lines 95, 105, 215, 431, 436, 460, 489, 712, 920, 930; node/pkg/lifecycle/utils/
 * utils.go 126, 138 (DetermineNodeName); startup/autodetection/autodetection_methods.go 103
 * (first-found); felix/daemon/daemon.go 146, 165, 170, 196; felix/dataplane/driver.go 68;
 * kube-controllers/cmd/kube-controllers/main.go 122, 147, 184, 187, 201, 210, 492; the build
 * stamps from lib.Makefile (GIT_COMMIT = the tag's commit, DATE = its time); node/filesystem/
 * etc/rc.local ("Calico node started successfully"). BIRD (projectcalico/bird, 1.6):
 * sysdep/unix/log.c ("bird: " on stderr with -d), nest/proto.c (Initializing, Starting,
 * Connected to table, State changed to …, Graceful restart started/done), sysdep/unix/main.c
 * ("Started"), proto/bgp/bgp.c (graceful-restart locks); confd templates/bird.cfg.template
 * (debug { states } on device, direct and the Mesh_<ip> protocols, one per other node).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createSimulation } from '../../../engine';
import { golden, transcriptOf } from '../kubectl/golden';

const SCENARIO = readFileSync('lessons/16-pods-on-one-node-calico/scenario.yaml', 'utf8');

describe('calico logs', () => {
  it('calico-node (startup, Felix) and calico-kube-controllers, derived from the cluster', () => {
    golden(
      'calico-logs',
      '# upstream: projectcalico/calico v3.28.2 node/pkg/lifecycle/startup/startup.go, felix/daemon/daemon.go, kube-controllers/cmd/kube-controllers/main.go\n' +
        transcriptOf(createSimulation(SCENARIO, { seed: 1 }), [
          'kubectl -n kube-system logs -l k8s-app=calico-node --tail=3',
          'kubectl -n kube-system logs ds/calico-node -c calico-node',
          'kubectl -n kube-system logs deploy/calico-kube-controllers',
        ]),
    );
  });

  it('each node autodetects its own address; only one node creates the default pool', () => {
    const sim = createSimulation(SCENARIO, { seed: 1 });
    const pods = sim.run('kubectl -n kube-system get pods -l k8s-app=calico-node -o name').stdout.trim().split('\n');
    const logs = pods.map((p) => sim.run(`kubectl -n kube-system logs ${p}`).stdout);
    const seen = logs.map((l) => {
      const name = /Determined node name: (\S+)/.exec(l)?.[1] ?? '';
      const ip = /interface eth0: (\S+)\/24/.exec(l)?.[1];
      const node = sim.get('Node', undefined, name);
      expect(ip).toBe(node?.status?.addresses?.find((a: { type: string }) => a.type === 'InternalIP')?.address);
      return name;
    });
    expect(seen.sort()).toEqual(['control-plane', 'node-1', 'node-2']);
    expect(logs.filter((l) => l.includes('Created default IPv4 pool (10.244.0.0/16)'))).toHaveLength(1);
    // full mesh: every node has a session to each of the two others, and its recovery ends
    for (const l of logs) {
      expect(l.match(/bird: Mesh_\S+: State changed to up/g)).toHaveLength(2);
      expect(l.trimEnd().endsWith('bird: Graceful restart done')).toBe(true);
    }
  });
});
