/**
 * kubectl forms learners copy from kubernetes.io's Service, DNS and debugging pages.
 *
 * Upstream (k8s.io/kubectl v0.34): pkg/cmd/run/run.go (--expose: "--port must be set when
 * exposing a service"; generateService creates and prints the Service, selector run=NAME,
 * before the Pod is printed); pkg/cmd/set/set_selector.go ("one selector is required",
 * updateSelectorForObject: "setting a selector is only supported for Services", "match
 * expression %v not supported on this object", "selector updated"); pkg/cmd/events
 * event_printer.go (OBJECT is `Kind/name` with the Kind as it is).
 */
import { describe, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { golden, transcriptOf } from './golden';

describe('kubectl forms from the docs', () => {
  it('run --expose, set selector, events', () => {
    const sim = createSimulation(null, { seed: 8 });
    golden(
      'learner-forms',
      '# upstream: kubectl pkg/cmd/run/run.go; pkg/cmd/set/set_selector.go; pkg/cmd/events/event_printer.go\n' +
        transcriptOf(sim, [
          'kubectl run hello --image=nginx:1.27 --expose --port=80',
          'kubectl get svc hello -o wide',
          'kubectl get pod hello --show-labels',
          'kubectl run other --image=nginx:1.27 --expose',
          'kubectl run hello --image=nginx:1.27 --expose --port=80',
          'kubectl set selector svc hello app=hello',
          'kubectl get svc hello -o wide',
          'kubectl get endpointslices -l kubernetes.io/service-name=hello',
          "kubectl set selector svc hello 'tier in (a,b)'",
          'kubectl set selector pod hello app=x',
          'kubectl set selector',
          'kubectl set selector app=x',
          'kubectl set selector svc hello run=hello --dry-run=client',
          'kubectl events --for pod/hello',
          // service/v2 gives the Service the --labels too (pkg/generate/versioned/service.go)
          'kubectl run labelled --image=nginx:1.27 --labels=app=web,tier=front --expose --port=80',
          'kubectl get pod,svc -l app=web --show-labels',
        ]),
    );
  });
});
