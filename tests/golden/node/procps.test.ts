/**
 * A node's process table through procps-ng 3.3.17 (Ubuntu 22.04's procps), pinned whole.
 *
 * Upstream: procps-ng v3.3.17 ps/output.c (format_array widths and justification, pr_args,
 * pr_comm, pr_stat, pr_stime, pr_bsdtime, pr_time, pr_pcpu, pr_pmem, do_pr_name's `+` cut,
 * show_one_proc's correct/actual column arithmetic), ps/sortformat.c (the -f list
 * `uid_hack,pid,ppid,c,stime,tname,time,cmd` and generate_sysv_list; PIDMAX columns as wide
 * as pid_max's 7 digits), ps/output.c macro_array OL_u (`aux`), ps/display.c show_tree and
 * ADOPTED (--forest), ps/parser.c and ps/help.c (the `error: …` and usage text);
 * pgrep.c (select_procs, output_numlist/output_strlist, EXIT_USAGE 2, "no matching criteria
 * specified"); pidof.c (argv[0], its basename, a rewritten title's task name; PIDs highest
 * first). The processes: containerd-shim-runc-v2 per sandbox with `-namespace k8s.io -id
 * SANDBOX -address /run/containerd/containerd.sock`, /pause as 65535, nginx's master and one
 * worker per CPU as uid 101 (systemd-resolve on Ubuntu, so `systemd+`), calico/node's runit
 * services (node/filesystem/etc/service/available/*\/run), kube-proxy's
 * `--hostname-override=$(NODE_NAME)` expanded from the downward API. The kernel threads of a
 * 5.15 kernel under kthreadd (engine/commands/runtime/kthreads.ts: smpboot's per-CPU threads
 * for each of the node's CPUs, workqueue names from wq_worker_comm), `[name]` for a process
 * without a command line (output.c pr_args), `<`/`N` in STAT for a negative/positive nice.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../../engine';
import { golden } from '../../unit/dns/golden';
import { nodeProcessPid } from '../../../engine/commands/runtime/processes';
import { pidFor } from '../../../engine/commands/net/host/ss';
import { NODE_SCENARIO } from './runtime-scenario';

function out(r: { stdout: string; stderr: string; exitCode: number }): string {
  return r.stdout + (r.stderr ? `[stderr]\n${r.stderr}` : '') + `[exit ${r.exitCode}]\n`;
}

describe('ps, pgrep and pidof on a node', () => {
  it('prints the process table in procps-ng formats', () => {
    const sim = createSimulation(NODE_SCENARIO, { seed: 1 });
    const lines = [
      'ps aux',
      'ps -ef',
      'ps -ef --forest',
      'ps -eo pid,ppid,user,stat,comm',
      'ps',
      'ps -C kubelet -o pid=,args=',
      'ps -p 1 -o user,pid,etime,nlwp,cmd',
      'ps -Q',
      'ps -o pid,bogus',
      'pgrep -a kube',
      'pgrep -l -x nginx',
      'pgrep -c -f calico-node',
      'pgrep -u systemd-resolve',
      'pgrep nomatch',
      'pgrep',
      'pidof nginx',
      'pidof containerd kubelet',
      'pidof nope',
      // --sort (sortformat.c long_sort_parse, do_one_sort_spec; output.c's sr_* keys), -o with --no-headers
      'ps aux --sort=-%mem',
      'ps -eo pid,ppid,cmd --no-headers --sort=-pid',
      'ps -eo pid,ni,stat,comm --sort=-ni,+pid',
      'ps axh -o pid,comm --sort=start_time,comm',
      'ps --sort=foo',
      'ps --sort=,pid',
      'ps --sort',
      'ps -e --sort=pid --sort=ppid',
      // kernel threads by name (pgrep matches /proc/PID/stat's name, a worker's workqueue included)
      'pgrep -a ksoftirqd',
      'pgrep -l kworker',
      'ps -o pid,ppid,sid,pgid,ni,stat,vsz,rss,args -p 2,3,32',
    ];
    golden('node/runtime/procps-node-1.txt', lines.map((l) => `$ ${l}\n` + out(sim.run(`ssh node-1 ${l}`))).join(''));
  });

  it('the control plane runs its static Pods with the manifests\' command lines', () => {
    const sim = createSimulation(NODE_SCENARIO, { seed: 1 });
    golden('node/runtime/procps-control-plane.txt', out(sim.run('ssh control-plane ps -ef --forest')));
    for (const c of ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler']) {
      const manifest = sim.run(`ssh control-plane cat /etc/kubernetes/manifests/${c}.yaml`).stdout;
      const argv = [...manifest.matchAll(/^ {4}- (.*)$/gm)].map((m) => m[1]).filter((a) => !a.startsWith('mountPath') && !a.startsWith('containerPort') && !a.startsWith('hostPath'));
      expect(sim.run(`ssh control-plane pgrep -a -x ${c.slice(0, 15)}`).stdout).toBe(`${nodeProcessPid('control-plane', c)} ${argv.join(' ')}\n`);
    }
  });

  it('every PID ss and systemctl name is the process ps lists under that name', () => {
    const sim = createSimulation(NODE_SCENARIO, { seed: 1 });
    for (const node of ['node-1', 'control-plane']) {
      const ps = sim.run(`ssh ${node} ps -e -o pid= -o comm=`).stdout.trim().split('\n').map((l) => l.trim().split(/\s+/));
      const byPid = new Map(ps.map(([pid, comm]) => [Number(pid), comm]));
      const users = [...sim.run(`ssh ${node} ss -tlnp`).stdout.matchAll(/\("([^"]+)",pid=(\d+),/g)].map((m) => [m[1], Number(m[2])] as const);
      expect(users.length).toBeGreaterThan(4);
      // every daemon ss names (except the hostNetwork servers it numbers on its own) is in the table under its name
      for (const [comm, pid] of users.filter(([, pid]) => byPid.has(pid) || pid < 3000 || pid >= 4000)) expect(byPid.get(pid)).toBe(comm);
      for (const unit of ['kubelet', 'containerd']) {
        const main = Number(/Main PID: (\d+) /.exec(sim.run(`ssh ${node} systemctl status ${unit}`).stdout)![1]);
        expect(byPid.get(main)).toBe(unit);
        expect(main).toBe(nodeProcessPid(node, unit));
        expect(sim.run(`ssh ${node} pidof ${unit}`).stdout).toBe(`${main}\n`);
      }
    }
    // the helper other commands use is ss's pidFor with ss's keys
    expect(nodeProcessPid('node-1', 'kube-proxy')).toBe(pidFor('node-1/kube-proxy', 2000));
    expect(nodeProcessPid('node-1', 'nope')).toBeUndefined();
  });

  it('a new Pod adds its shim, pause and process after the ones already running', () => {
    const sim = createSimulation(NODE_SCENARIO, { seed: 1 });
    const before = sim.run('ssh node-1 ps -e -o pid= -o args=').stdout;
    sim.run('kubectl run late --image=busybox:1.36 --overrides=\'{"spec":{"nodeName":"node-1"}}\' -- sleep 600');
    sim.run('sleep 60');
    const after = sim.run('ssh node-1 ps -e -o pid= -o args=').stdout;
    const pidOf = (text: string, re: RegExp) => Number(text.split('\n').find((l) => re.test(l))!.trim().split(/\s+/)[0]);
    const old = pidOf(before, /nginx: master/);
    expect(pidOf(after, /nginx: master/)).toBe(old);
    expect(pidOf(after, /sleep 600$/)).toBeGreaterThan(old);
    // gone with its Pod
    sim.run('kubectl delete pod late --now');
    expect(sim.run('ssh node-1 pgrep -f "sleep 600"').exitCode).toBe(1);
  });
});

describe('debug containers', () => {
  it('kubectl debug\'s ephemeral container runs under its Pod\'s shim', () => {
    const sim = createSimulation(NODE_SCENARIO, { seed: 1 });
    sim.run('kubectl debug web --image=busybox:1.36 --target=nginx -- sleep 1000');
    sim.run('sleep 5');
    const sandbox = sim.run('ssh node-1 crictl pods -q --name web').stdout.trim();
    const pid = sim.run('ssh node-1 pgrep -f "sleep 1000"').stdout.trim();
    const ppid = sim.run(`ssh node-1 ps -o ppid= -p ${pid}`).stdout.trim();
    expect(sim.run(`ssh node-1 ps -o args= -p ${ppid}`).stdout).toBe(`/usr/bin/containerd-shim-runc-v2 -namespace k8s.io -id ${sandbox} -address /run/containerd/containerd.sock\n`);
  });
});

describe('ps at a terminal', () => {
  it('cuts the last column at the terminal\'s width, and not when piped', () => {
    const sim = createSimulation(NODE_SCENARIO, { seed: 1, interactive: true });
    sim.run('ssh node-1');
    const tty = sim.run('ps aux').stdout.split('\n').filter(Boolean);
    // global.c: screen_cols from the terminal (80 here); show_one_proc cuts args to what is left
    expect(Math.max(...tty.map((l) => l.length))).toBe(80);
    expect(tty.find((l) => l.startsWith('root') && l.includes(` ${nodeProcessPid('node-1', 'kubelet')} `))).toMatch(/ \/usr\/bin\/kube$/);
    const piped = sim.run('ps aux | cat').stdout;
    expect(piped).toContain('--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock\n');
    // crictl's logrus at a terminal: FATA[0000] and the message padded to 44
    expect(sim.run('crictl inspectp ffff').stderr.split('\n')[1]).toBe('FATA[0000] get the status of pod sandboxes: get pod sandbox status: rpc error: code = NotFound desc = an error occurred when try to find sandbox "ffff": not found ');
  });
  it('the control plane listens on 6443, not on 8080: kube-apiserver has had no insecure port since v1.20', () => {
    const sim = createSimulation(NODE_SCENARIO, { seed: 1 });
    const lines = sim.run('ssh control-plane ss -tlnp').stdout.split('\n').slice(1).filter(Boolean);
    const apiserver = lines.filter((l) => l.includes('"kube-apiserver"'));
    expect(apiserver.map((l) => l.split(/\s+/)[3])).toEqual(['*:6443']);
    expect(apiserver[0]).toContain(`pid=${nodeProcessPid('control-plane', 'kube-apiserver')},`);
    expect(lines.some((l) => /:8080\s/.test(l))).toBe(false);
  });
});

/**
 * Threads: procps-ng v3.3.17 ps/parser.c (-L sets TF_U_L, -T TF_U_T; thread_option_check's
 * "thread flags conflict; can't use both -L and -T" and "thread display conflicts with forest
 * display"), ps/sortformat.c generate_sysv_list (LWP after PPID, NLWP after C with -f; SPID
 * after PID) and process_sf_options (BSD lists: LWP after PID, NLWP after %CPU), ps/output.c
 * pr_tasks (lwp, spid, tid: the task's ID) and pr_nlwp. busybox 1.36 procps/ps.c: getopt32
 * "Zo:*aAdefl" plus T with FEATURE_SHOW_THREADS (docker-library's busybox), without it in
 * Alpine's build (aports main/busybox/busyboxconfig), so musl getopt's "unrecognized option".
 */
describe('ps threads', () => {
  it('-L and -T list a process\'s threads, one row each, with their IDs', () => {
    const sim = createSimulation(NODE_SCENARIO, { seed: 1 });
    const kubelet = nodeProcessPid('node-1', 'kubelet');
    const lines = [
      'ps -L', `ps -L -p ${kubelet}`, `ps -T -p ${kubelet} | head -4`, `ps -fL -p ${kubelet} | head -3`, `ps -FL -p ${kubelet} | head -2`, `ps -fT -p 1`,
      `ps -L u -p ${kubelet} | head -2`, `ps -L -o pid,lwp,nlwp,stat,time,comm -p 1,${kubelet}`, 'ps -eLf | wc -l', 'ps -ef | wc -l',
      'ps -L -T', 'ps -L --forest', 'ps -T -H',
    ];
    golden('node/runtime/procps-threads.txt', lines.map((l) => `$ ${l}\n` + out(sim.run(`ssh node-1 ${l}`))).join(''));
    // the thread IDs are unique across the node and never another process's PID
    const ids = sim.run('ssh node-1 ps -eL -o lwp=').stdout.trim().split(/\s+/);
    expect(new Set(ids).size).toBe(ids.length);
    const nlwp = sim.run('ssh node-1 ps -e -o nlwp=').stdout.trim().split(/\s+/).reduce((s, n) => s + Number(n), 0);
    expect(ids.length).toBe(nlwp);
  });

  it('busybox ps: -T where the build shows threads, an unknown option in Alpine\'s', () => {
    const sim = createSimulation(NODE_SCENARIO, { seed: 1 });
    sim.run('kubectl run bb --image=busybox:1.36 -- sleep 3600');
    sim.run('kubectl run al --image=alpine:3.19 -- sleep 3600');
    sim.run('sleep 30');
    golden('node/runtime/procps-busybox-threads.txt', ['kubectl exec bb -- ps -T', 'kubectl exec bb -- ps -L', 'kubectl exec al -- ps -T', 'kubectl exec al -- ps -o pid,comm -x'].map((l) => `$ ${l}\n` + out(sim.run(l))).join(''));
  });
});
