/**
 * The `sim` command line (engine/cli/main.ts, run by engine/cli/sim.ts): a small stdin in,
 * the exact stdout and stderr out, and the order they were written in (`both`, what `2>&1`
 * or a terminal shows). Background jobs live between lines as at the browser terminal and
 * are hung up at the end of the input; the exit status is the last line's, as `bash -s`
 * exits. Texts: bash's job notices (jobs.c pretty_print_job), tcpdump's cleanup() on SIGHUP
 * (tcpdump.c: `setsignal(SIGHUP, cleanup)` unless under nohup), conntrack's and kubectl
 * port-forward's silent end on SIGHUP (neither handles it: conntrack.c sets its handler for
 * SIGINT and SIGTERM only, kubectl's port-forward listens for os.Interrupt).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HELP, main } from '../../../engine/cli/main';
import { Rng } from '../../../engine/cluster/rng';

const ROOT = join(__dirname, '../../..');
const LESSON_30 = join(ROOT, 'lessons/30-kube-proxy-iptables/scenario.yaml');
const LESSON_40 = join(ROOT, 'lessons/40-network-policies/scenario.yaml');

async function sim(argv: string[], input: string) {
  const rec = { stdout: '', stderr: '', both: '' };
  const code = await main(argv, input, {
    stdout: (t) => {
      rec.stdout += t;
      rec.both += t;
    },
    stderr: (t) => {
      rec.stderr += t;
      rec.both += t;
    },
  });
  return { ...rec, code };
}

/** The real process, stdout and stderr on one file as `2>&1` puts them. */
function simProcess(argv: string[], input: string): { both: string; status: number | null } {
  const dir = mkdtempSync(join(tmpdir(), 'sim-cli-'));
  const file = join(dir, 'out.txt');
  const fd = openSync(file, 'w');
  try {
    const r = spawnSync(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'engine/cli/sim.ts'), ...argv], { cwd: ROOT, input, stdio: ['pipe', fd, fd], timeout: 120_000 });
    return { both: readFileSync(file, 'utf8'), status: r.status };
  } finally {
    closeSync(fd);
  }
}

const PING_2 = 'PING 192.168.49.2 (192.168.49.2) 56(84) bytes of data.\n64 bytes from 192.168.49.2: icmp_seq=1 ttl=64 time=0.639 ms\n\n--- 192.168.49.2 ping statistics ---\n1 packets transmitted, 1 received, 0% packet loss, time 0ms\nrtt min/avg/max/mdev = 0.639/0.639/0.639/0.000 ms\n';
const TCPDUMP_BANNER = 'tcpdump: verbose output suppressed, use -v[v]... for full protocol decode\nlistening on any, link-type LINUX_SLL2 (Linux cooked v2), snapshot length 262144 bytes\n';
const ECHO_CAPTURED = '09:00:03.000000 eth0  Out IP 192.168.49.3 > 192.168.49.2: ICMP echo request, id 29958, seq 1, length 64\n09:00:03.000646 eth0  In  IP 192.168.49.2 > 192.168.49.3: ICMP echo reply, id 29958, seq 1, length 64\n';

describe('sim: output in the order it was written', () => {
  it('stderr comes where the command wrote it, between its stdout lines', async () => {
    const r = await sim(['--seed', '1'], 'ls /nope; echo after\necho out; echo err >&2; echo out2\nkubectl get pod nope; echo $?\n');
    expect(r.both).toBe(
      "learner@workstation:~$ ls /nope; echo after\nls: cannot access '/nope': No such file or directory\nafter\n" +
        'learner@workstation:~$ echo out; echo err >&2; echo out2\nout\nerr\nout2\n' +
        'learner@workstation:~$ kubectl get pod nope; echo $?\nError from server (NotFound): pods "nope" not found\n1\n',
    );
    expect(r.stderr).toBe("ls: cannot access '/nope': No such file or directory\nerr\nError from server (NotFound): pods \"nope\" not found\n");
    expect(r.code).toBe(0);
  });

  it('the process writes them in that order to one file (2>&1)', () => {
    const r = simProcess(['--seed', '1'], 'echo out; echo err >&2; echo out2\nfalse\n');
    expect(r.both).toBe('learner@workstation:~$ echo out; echo err >&2; echo out2\nout\nerr\nout2\nlearner@workstation:~$ false\n');
    // the last line's status, as bash -s exits
    expect(r.status).toBe(1);
  });
});

describe('sim: background jobs live until the input ends', () => {
  it('tcpdump … & sees the traffic of the next line and prints its counts when the input ends (SIGHUP)', async () => {
    const r = await sim(['--seed', '1'], 'ssh node-1\ntcpdump -i any -n icmp &\nping -c 1 192.168.49.2\necho hi\n');
    expect(r.both).toBe(
      'learner@workstation:~$ ssh node-1\n' +
        `root@node-1:~# tcpdump -i any -n icmp &\n[1] 4302\n${TCPDUMP_BANNER}` +
        `root@node-1:~# ping -c 1 192.168.49.2\n${PING_2}${ECHO_CAPTURED}` +
        'root@node-1:~# echo hi\nhi\n' +
        // end of input: the shell exits, tcpdump's cleanup() runs: a newline on stdout, the counts on stderr
        '\n2 packets captured\n2 packets received by filter\n0 packets dropped by kernel\n',
    );
    expect(r.stderr).toBe(`[1] 4302\n${TCPDUMP_BANNER}2 packets captured\n2 packets received by filter\n0 packets dropped by kernel\n`);
    expect(r.code).toBe(0);
  });

  it('kubectl port-forward … & handles the next line’s connection; kill %1 ends it; conntrack -E & ends silently at EOF', async () => {
    const r = await sim(['--scenario', LESSON_30, '--seed', '1'], 'kubectl port-forward svc/web 8080:80 &\ncurl -s -o /dev/null -w "%{http_code}\\n" localhost:8080\njobs\nkill %1\nssh node-1\nconntrack -E -p icmp &\nping -c 1 192.168.49.2\n');
    expect(r.both).toBe(
      'learner@workstation:~$ kubectl port-forward svc/web 8080:80 &\n[1] 4301\nForwarding from 127.0.0.1:8080 -> 80\nForwarding from [::1]:8080 -> 80\n' +
        'learner@workstation:~$ curl -s -o /dev/null -w "%{http_code}\\n" localhost:8080\nHandling connection for 8080\n200\n' +
        'learner@workstation:~$ jobs\n[1]+  Running                 kubectl port-forward svc/web 8080:80 &\n' +
        'learner@workstation:~$ kill %1\n[1]+  Terminated              kubectl port-forward svc/web 8080:80\n' +
        'learner@workstation:~$ ssh node-1\n' +
        'root@node-1:~# conntrack -E -p icmp &\n[1] 4306\n' +
        'root@node-1:~# ping -c 1 192.168.49.2\nPING 192.168.49.2 (192.168.49.2) 56(84) bytes of data.\n64 bytes from 192.168.49.2: icmp_seq=1 ttl=64 time=0.340 ms\n\n--- 192.168.49.2 ping statistics ---\n1 packets transmitted, 1 received, 0% packet loss, time 0ms\nrtt min/avg/max/mdev = 0.340/0.340/0.340/0.000 ms\n' +
        '    [NEW] icmp     1 30 src=192.168.49.3 dst=192.168.49.2 type=8 code=0 id=47819 [UNREPLIED] src=192.168.49.2 dst=192.168.49.3 type=0 code=0 id=47819\n' +
        ' [UPDATE] icmp     1 30 src=192.168.49.3 dst=192.168.49.2 type=8 code=0 id=47819 src=192.168.49.2 dst=192.168.49.3 type=0 code=0 id=47819\n',
    );
    expect(r.stderr).toBe('[1] 4301\n[1]+  Terminated              kubectl port-forward svc/web 8080:80\n[1] 4306\n');
    expect(r.code).toBe(0);
  });

  it('--json: a job that ends shows its Done notice in its line; the jobs’ last words at EOF are one {"eof":true} object', async () => {
    const r = await sim(['--seed', '1', '--json'], 'ssh node-1\ntcpdump -i any -n -c 2 icmp &\nping -c 1 192.168.49.2\ntcpdump -i any -n icmp &\n');
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n').slice(0, -1).map((l) => JSON.parse(l))).toEqual([
      { command: 'ssh node-1', stdout: '', stderr: '', exitCode: 0 },
      { command: 'tcpdump -i any -n -c 2 icmp &', stdout: '', stderr: `[1] 4302\n${TCPDUMP_BANNER}`, exitCode: 0 },
      { command: 'ping -c 1 192.168.49.2', stdout: PING_2 + ECHO_CAPTURED, stderr: '2 packets captured\n2 packets received by filter\n0 packets dropped by kernel\n[1]+  Done                    tcpdump -i any -n -c 2 icmp\n', exitCode: 0 },
      { command: 'tcpdump -i any -n icmp &', stdout: '', stderr: `[1] 4304\n${TCPDUMP_BANNER}`, exitCode: 0 },
      { eof: true, stdout: '\n', stderr: '0 packets captured\n0 packets received by filter\n0 packets dropped by kernel\n' },
    ]);
  });
});

describe('sim: options', () => {
  it('--help prints how it reads, orders, keeps jobs and exits (tests/golden/cli/sim-help.txt)', async () => {
    const r = await sim(['--help'], '');
    expect(r).toEqual({ stdout: readFileSync(join(ROOT, 'tests/golden/cli/sim-help.txt'), 'utf8'), stderr: '', both: HELP, code: 0 });
  });

  it('a bad option or seed is a usage error with status 2', async () => {
    expect(await sim(['--nope'], '')).toMatchObject({ stdout: '', stderr: 'sim: unknown option --nope\nusage: npm run sim -- [--scenario FILE] [--seed N] [--faults ID,…] [--json]\n', code: 2 });
    expect(await sim(['--seed', 'x'], '')).toMatchObject({ stdout: '', stderr: 'sim: --seed must be a non-negative integer, not "x"\nusage: npm run sim -- [--scenario FILE] [--seed N] [--faults ID,…] [--json]\n', code: 2 });
    expect(await sim(['--scenario'], '')).toMatchObject({ stdout: '', stderr: 'sim: --scenario needs a value\nusage: npm run sim -- [--scenario FILE] [--seed N] [--faults ID,…] [--json]\n', code: 2 });
  });
});

/**
 * Hostile input on a lesson's cluster: the shell's own error and a non-zero status, never a
 * stack trace. The CLI shows the terminal, so the texts are interactive bash's (a script run
 * by `bash -s` adds `line N: ` and, for a syntax error, the offending line). Checked against
 * GNU bash 5.2: `bash -n` on the seed-1 junk reports "syntax error near unexpected token `;'"
 * too. Where bash itself does not fail, neither does the CLI: a `\` at the very end of the
 * input is dropped (`printf 'echo foo \\' | bash` prints foo, status 0), and a here-document
 * cut off by the end of the input is run with a warning (status 0).
 */
describe('sim: hostile input on lesson 40', () => {
  const lesson40 = (input: string) => sim(['--scenario', LESSON_40, '--seed', '1'], input);
  const clean = (r: { both: string }) => expect(r.both).not.toMatch(/internal error|\n\s+at \S+ \(|TypeError|RangeError/);

  it('10,000 characters of junk on one line: bash’s syntax error, or command not found, or the budget', async () => {
    const rng = new Rng(1);
    const junk = Array.from({ length: 10_000 }, () => String.fromCharCode(32 + rng.int(95))).join('');
    const r = await lesson40(`${junk}\n`);
    expect(r.stdout).toBe(`learner@workstation:~$ ${junk}\n`);
    expect(r.stderr).toBe("bash: syntax error near unexpected token `;'\n");
    expect(r.code).toBe(2);
    clean(r);

    const x = await lesson40(`${'x'.repeat(10_000)}\n`);
    expect(x.stderr).toBe(`bash: ${'x'.repeat(10_000)}: command not found\n`);
    expect(x.code).toBe(127);

    // 2^2000 words: the line's budget stops it (GNU bash would run out of memory)
    const braces = await lesson40(`echo ${'{a,b}'.repeat(2000)}\n`);
    expect(braces.stderr).toBe('netlab: stopped after 1,000,000 steps: this command line would not end (press ↑ to edit it)\n');
    expect(braces.code).toBe(130);

    // 5,000 nested $( : the parser's nesting limit refuses it (GNU bash 5.2 overflows its stack, status 139)
    const nested = await lesson40(`${'$('.repeat(5000)}\n`);
    expect(nested.stderr).toBe("bash: syntax error near unexpected token `$'\n");
    expect(nested.code).toBe(2);
    for (const c of [x, braces, nested]) clean(c);
  });

  it('an unterminated quote at the end of the input: the EOF error, status 2; the lines before it ran', async () => {
    const r = await lesson40("kubectl get pods\necho 'it is open\n");
    expect(r.both).toBe("learner@workstation:~$ kubectl get pods\nNo resources found in default namespace.\nlearner@workstation:~$ echo 'it is open\nbash: unexpected EOF while looking for matching `''\nbash: syntax error: unexpected end of file\n");
    expect(r.code).toBe(2);
  });

  it('a trailing | at the end of the input: syntax error, status 2; a `\\` there is dropped as bash drops it', async () => {
    const pipe = await lesson40('kubectl get pods |\n');
    expect(pipe.both).toBe('learner@workstation:~$ kubectl get pods |\nbash: syntax error: unexpected end of file\n');
    expect(pipe.code).toBe(2);
    const bs = await lesson40('kubectl get pods \\');
    expect(bs.both).toBe('learner@workstation:~$ kubectl get pods \\\nNo resources found in default namespace.\n');
    expect(bs.code).toBe(0);
    // a bare `\` and nothing else: an empty command, as bash reads it
    expect(await lesson40('\\')).toEqual({ stdout: 'learner@workstation:~$ \\\n', stderr: '', both: 'learner@workstation:~$ \\\n', code: 0 });
    // after `false` it runs nothing and $? stays 1, the script's status (`printf 'false\n\\' | bash` exits 1)
    expect((await lesson40('false\n\\')).code).toBe(1);
  });

  it('the input ends inside a here-document: bash’s warning, then the document as far as it goes', async () => {
    const r = await lesson40('cat <<EOF\nline one\n');
    expect(r.both).toBe("learner@workstation:~$ cat <<EOF\n> line one\nbash: warning: here-document at line 2 delimited by end-of-file (wanted `EOF')\nline one\n");
    expect(r.code).toBe(0);
    const missing = await lesson40('cat <<EOF | grep -c x\nline one\n');
    expect(missing.both).toBe("learner@workstation:~$ cat <<EOF | grep -c x\n> line one\nbash: warning: here-document at line 2 delimited by end-of-file (wanted `EOF')\n0\n");
    // grep -c found nothing: its status 1 is the CLI's
    expect(missing.code).toBe(1);
  });
});
