/**
 * nohup and setsid at a terminal, each host's own: GNU coreutils src/nohup.c (8.32 on the
 * nodes, 9.1 in Debian bookworm images: isatty of stdin, stdout and stderr decide "ignoring
 * input", "appending output to 'nohup.out'", "redirecting stderr to stdout"; EXIT_CANCELED 125,
 * EXIT_ENOENT 127 and the exec error on the saved stderr), busybox 1.36.1 coreutils/nohup.c
 * ("appending output to nohup.out", unquoted; its exec error lands in nohup.out; usage exit
 * 127), util-linux sys-utils/setsid.c (a process-group leader forks and the parent exits 0,
 * -w waits; "no command specified"; errexec's "failed to execute X") and busybox
 * util-linux/setsid.c ("^+c", "can't execute 'X'"). And `ssh NODE "CMD 'quoted'" &`: the
 * remote command's words after quote removal, a streaming program a job of this terminal.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation, type Simulation } from '../../../engine';
import { main } from '../../../engine/cli/main';
import { err, out } from './helpers';

function terminal(image?: string): Simulation {
  const s = createSimulation(null, { seed: 1, interactive: true });
  if (image === 'node') s.run('ssh node-1');
  else if (image) {
    s.api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image, command: image.startsWith('nginx') ? undefined : ['sleep', '3600'] }] } });
    s.run('sleep 20');
    s.shell.enter({ kind: 'pod', namespace: 'default', pod: 'p', container: 'c' }, { via: 'kubectl' });
    s.run('cd /tmp');
  }
  return s;
}

describe('nohup (GNU coreutils)', () => {
  it('on a node: the terminal streams decide what it says and where the output goes', () => {
    const s = terminal('node');
    expect(s.run('nohup echo hi')).toEqual(err("nohup: ignoring input and appending output to 'nohup.out'\n", 0));
    expect(s.run('nohup echo again; cat nohup.out')).toEqual({ stdout: 'hi\nagain\n', stderr: "nohup: ignoring input and appending output to 'nohup.out'\n", exitCode: 0 });
    expect(s.run('nohup echo x > x.txt; cat x.txt')).toEqual({ stdout: 'x\n', stderr: 'nohup: ignoring input and redirecting stderr to stdout\n', exitCode: 0 });
    expect(s.run('nohup echo y < /dev/null > y.txt')).toEqual(err('nohup: redirecting stderr to stdout\n', 0));
    expect(s.run('nohup echo z > z.txt 2>/dev/null; cat z.txt')).toEqual(out('z\n'));
    expect(s.run('echo in | nohup cat')).toEqual(err("nohup: appending output to 'nohup.out'\n", 0));
    expect(s.run('tail -1 nohup.out')).toEqual(out('in\n'));
    expect(s.run('nohup nope')).toEqual(err("nohup: ignoring input and appending output to 'nohup.out'\nnohup: failed to run command 'nope': No such file or directory\n", 127));
    expect(s.run('nohup')).toEqual(err("nohup: missing operand\nTry 'nohup --help' for more information.\n", 125));
    expect(s.run('nohup -x true')).toEqual(err("nohup: invalid option -- 'x'\nTry 'nohup --help' for more information.\n", 125));
    expect(s.run('nohup --version | head -1')).toEqual(out('nohup (GNU coreutils) 8.32\n'));
  });

  it('started with & at the terminal: announced as a job, the notice on the terminal', () => {
    const s = terminal('node');
    expect(s.run('nohup sleep 1 &')).toEqual(err("[1] 4302\nnohup: ignoring input and appending output to 'nohup.out'\n", 0));
  });

  it('a capture started nohup … & writes to nohup.out, not the terminal, until it is killed', () => {
    const s = terminal('node');
    expect(s.run('nohup tcpdump -i any -nn port 80 &')).toEqual(err("[1] 4302\nnohup: ignoring input and appending output to 'nohup.out'\n", 0));
    expect(s.run('jobs')).toEqual(out('[1]+  Running                 nohup tcpdump -i any -nn port 80 &\n'));
    expect(s.run('kill %1')).toEqual(err('[1]+  Terminated              nohup tcpdump -i any -nn port 80\n', 0));
    expect(s.run('cat nohup.out')).toEqual(
      out('tcpdump: verbose output suppressed, use -v[v]... for full protocol decode\nlistening on any, link-type LINUX_SLL2 (Linux cooked v2), snapshot length 262144 bytes\n\n0 packets captured\n0 packets received by filter\n0 packets dropped by kernel\n'),
    );
  });

  it('without a terminal (a script, sim): silent, and the output stays on stdout', () => {
    const s = createSimulation(null, { seed: 1 });
    expect(s.run('ssh node-1 nohup echo hi')).toEqual(out('hi\n'));
    expect(s.run('ssh node-1 ls nohup.out')).toEqual(err("ls: cannot access 'nohup.out': No such file or directory\n", 2));
  });

  it('in Debian (nginx:1.27): coreutils 9.1', () => {
    const s = terminal('nginx:1.27');
    expect(s.run('nohup echo hi; cat nohup.out')).toEqual({ stdout: 'hi\n', stderr: "nohup: ignoring input and appending output to 'nohup.out'\n", exitCode: 0 });
    expect(s.run('nohup --version | head -1')).toEqual(out('nohup (GNU coreutils) 9.1\n'));
  });
});

describe('nohup (busybox)', () => {
  it('says only where the output goes; its exec error goes there too', () => {
    const s = terminal('busybox:1.36');
    expect(s.run('nohup echo hi')).toEqual(err('nohup: appending output to nohup.out\n', 0));
    expect(s.run('nohup echo x > x.txt; cat x.txt')).toEqual(out('x\n'));
    expect(s.run('nohup nope')).toEqual(err('nohup: appending output to nohup.out\n', 127));
    expect(s.run('cat nohup.out')).toEqual(out("hi\nnohup: can't execute 'nope': No such file or directory\n"));
    expect(s.run('nohup')).toEqual(err('BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: nohup PROG ARGS\n\nRun PROG immune to hangups, with output to a non-tty\n', 127));
  });
});

describe('setsid', () => {
  it('util-linux on a node: the forked parent exits 0 at once, -w waits for the status', () => {
    const s = terminal('node');
    expect(s.run('setsid echo hi')).toEqual(out('hi\n'));
    expect(s.run('setsid false')).toEqual(out(''));
    expect(s.run('setsid -w false')).toEqual(out('', 1));
    // no job control in $(…): setsid is no group leader, it execs the program
    expect(s.run('echo $(setsid false; echo $?)')).toEqual(out('1\n'));
    expect(s.run('setsid nope')).toEqual(err('setsid: failed to execute nope: No such file or directory\n', 0));
    expect(s.run('setsid -w nope')).toEqual(err('setsid: failed to execute nope: No such file or directory\n', 127));
    expect(s.run('setsid')).toEqual(err("setsid: no command specified\nTry 'setsid --help' for more information.\n", 1));
    expect(s.run('setsid -x true')).toEqual(err("setsid: invalid option -- 'x'\nTry 'setsid --help' for more information.\n", 1));
    expect(s.run('setsid -V')).toEqual(out('setsid from util-linux 2.37.2\n'));
  });

  it('busybox: -c only, musl getopt in Alpine', () => {
    const bb = terminal('busybox:1.36');
    expect(bb.run('setsid echo hi')).toEqual(out('hi\n'));
    expect(bb.run('setsid nope')).toEqual(err("setsid: can't execute 'nope': No such file or directory\n", 0));
    expect(bb.run('setsid -w true').stderr.split('\n')[0]).toBe("setsid: invalid option -- 'w'");
    const al = terminal('alpine:3.19');
    expect(al.run('setsid -w true').stderr.split('\n')[0]).toBe('setsid: unrecognized option: w');
  });
});

describe('ssh NODE "CMD" &', () => {
  it('a quoted remote capture is a job of this terminal, until kill', async () => {
    let text = '';
    const io = { stdout: (t: string) => (text += t), stderr: (t: string) => (text += t) };
    await main([], `ssh node-1 "tcpdump -i any -nn 'port 80'" &\njobs\nkill %1\n`, io);
    expect(text).toBe(
      `learner@workstation:~$ ssh node-1 "tcpdump -i any -nn 'port 80'" &\n[1] 4301\ntcpdump: verbose output suppressed, use -v[v]... for full protocol decode\nlistening on any, link-type LINUX_SLL2 (Linux cooked v2), snapshot length 262144 bytes\n` +
        `learner@workstation:~$ jobs\n[1]+  Running                 ssh node-1 "tcpdump -i any -nn 'port 80'" &\n` +
        `learner@workstation:~$ kill %1\n\n0 packets captured\n0 packets received by filter\n0 packets dropped by kernel\n[1]+  Terminated              ssh node-1 "tcpdump -i any -nn 'port 80'"\n`,
    );
  });
});
