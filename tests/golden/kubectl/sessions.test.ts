/**
 * kubectl's sessions and background jobs, from the third learner probe
 * (docs/probes/probe-2026-12-07c.md items 15 and 24) and kubectl edit's retry loop.
 * Each transcript shows the output in the order written: stderr lines are marked `2> `.
 *
 * Upstream:
 * - item 15, k8s.io/kubectl v0.34.1 pkg/cmd/debug/debug.go: visitNode prints "Creating debugging
 *   pod %s with container %s on node %s." (:724) before handleAttachPod (:953-1000), which warns
 *   "couldn't attach to pod/%s, falling back to streaming logs" only when AttachOptions.Run
 *   itself fails (:995-997) — attach does not fail on the process's exit code (the kubelet's
 *   ServeAttach ends with StatusSuccess). pkg/cmd/attach/attach.go Run: the notice ("All
 *   commands and output…", "If you don't see a command prompt…") on stderr before the stream
 *   (:309-312), then reattachMessage (:351-359), empty unless the Pod's restartPolicy is Always:
 *   the node debugger Pod is restartPolicy Never (generateNodeDebugPod). Validate's warning for
 *   the default profile, legacy (debug.go:403-406), comes first, on stderr.
 * - item 24, client-go v0.34 tools/portforward/portforward.go: waitForConnection hands each
 *   accepted connection to handleConnection, which writes "Handling connection for %d" first,
 *   before any byte reaches the client; a refused dial inside the Pod is logged
 *   (runtime.HandleError, portforward.go:424) before the deferred conn.Close() gives curl its
 *   empty reply. bash 5.2 jobs.c: a job that ended is told of at the next prompt
 *   (notify_and_cleanup → pretty_print_job: "[%d]%c " with '+' for the current job, '-' the
 *   previous, then the status padded as print_pipeline pads it and the command text bash made
 *   of it, make_command_string); `jobs` lists it and marks it J_NOTIFIED, so no notice follows;
 *   the freed job number is used again; `wait` reaps the dead ones, told of at its own prompt. Binding a port below 1024 as a non-root user is EACCES.
 */
import { describe, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { cluster } from '../tcpdump/scenario';
import { golden } from './golden';

type Sim = ReturnType<typeof createSimulation>;

/** Each line's output as the terminal shows it, in the order written; stderr lines marked `2> `. */
export function streamsOf(sim: Sim, lines: string[]): string {
  let out = '';
  for (const l of lines) {
    const r = sim.runDetailed(l);
    out += `$ ${l}\n`;
    for (const c of r.chunks) {
      const text = c.text.endsWith('\n') ? c.text.slice(0, -1) : c.text;
      for (const line of text.split('\n')) out += (c.stream === 'stderr' ? '2> ' : '') + line + '\n';
    }
    out += `--- exit ${r.exitCode}\n`;
  }
  return out;
}

describe('kubectl debug node/NAME -it (probe c item 15)', () => {
  it('a shell session: the banner first, no fallback warning on a failed command, no reattach message for a Never Pod', () => {
    const sim = createSimulation(null, { seed: 8 });
    golden(
      'sessions-debug-node',
      streamsOf(sim, [
        'kubectl debug node/node-1 -it --image=ubuntu',
        'ip addr show eth0',
        'exit',
        'echo $?',
        'kubectl debug node/node-1 -it --image=busybox:1.36 -- chroot /host crictl ps',
        'kubectl debug node/node-1 -it --image=busybox:1.36 -- sh -c "echo out; echo err >&2; exit 3"',
        'kubectl debug node/node-1 -i --image=busybox:1.36 -- sh -c "echo out; echo err >&2; exit 3"',
        'kubectl get pods -o custom-columns=NAME:.metadata.name,RESTART:.spec.restartPolicy,PHASE:.status.phase,CODE:.status.containerStatuses[0].state.terminated.exitCode',
      ]),
    );
  });
});

describe('background jobs: kubectl port-forward & (probe c item 24) and bash\'s notices', () => {
  it('Handling connection comes as the connection is accepted, before the client\'s output; a refused one logs before curl\'s empty reply', () => {
    golden(
      'sessions-port-forward-job',
      streamsOf(cluster(), [
        'kubectl port-forward svc/web 8080:80 &',
        "curl -s -o /dev/null -w '%{http_code}\\n' localhost:8080",
        'curl -s localhost:8080 | head -2',
        'kubectl port-forward web 8081:81 &',
        'curl -sS localhost:8081',
        'jobs',
      ]),
    );
  });

  it('a job that fails at once: its Exit notice at the prompt after the next line, listed by jobs until then', () => {
    golden(
      'sessions-ended-jobs',
      streamsOf(cluster(), [
        'kubectl port-forward svc/web 80 &',
        'echo next',
        'echo after',
        'kubectl port-forward svc/web 80 &',
        'jobs',
        'echo no notice',
        'sleep 1 & wait',
        'kubectl port-forward svc/web 8080:80 &',
        'sleep 1 &',
        "false && echo x || (exit 3) 2>/dev/null &",
        'jobs -l',
        'echo notices',
        'kill %1',
      ]),
    );
  });
});
