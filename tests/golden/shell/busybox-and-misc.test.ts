/**
 * Inside busybox containers the applets speak busybox: libbb's fopen_or_warn
 * ("can't open 'x': …", libbb/wfopen.c), ls's bb_simple_perror_msg ("ls: x: …", exit 1)
 * and its long format (coreutils/ls.c: "%-10s %4u %-8.8s %-8.8s %9u "), ash's
 * "sh: x: not found" (shell/ash.c). Also xargs (findutils), sh -c with positional
 * parameters, and text tools fed from command output.
 */
import { describe, expect, it } from 'vitest';
import { err, out, run, sim } from './helpers';
import { createSimulation } from '../../../engine';

function inBusybox() {
  const s = sim();
  s.api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bb', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } });
  s.shell.enter({ kind: 'pod', namespace: 'default', pod: 'bb', container: 'c' }, { via: 'kubectl' });
  return s;
}

describe('busybox applets', () => {
  it('report files the busybox way', () => {
    const s = inBusybox();
    expect(run(s, 'cat /nope')).toEqual(err("cat: can't open '/nope': No such file or directory\n", 1));
    expect(run(s, 'cat /tmp')).toEqual(err('cat: read error: Is a directory\n', 1));
    expect(run(s, 'ls /nope')).toEqual(err('ls: /nope: No such file or directory\n', 1));
    expect(run(s, 'head -n1 /nope')).toEqual(err("head: can't open '/nope': No such file or directory\n", 1));
    expect(run(s, 'wc -l /nope')).toEqual(err("wc: can't open '/nope': No such file or directory\n", 1));
    expect(run(s, 'grep x /nope')).toEqual(err('grep: /nope: No such file or directory\n', 2));
    expect(run(s, 'echo hi > /tmp/x; ls -l /tmp')).toEqual(out('total 4\n-rw-r--r--    1 root     root             3 Jan 15 09:00 x\n'));
    expect(run(s, 'column -t')).toEqual(err('sh: column: not found\n', 127));
    expect(run(s, 'echo x > /nope/y')).toEqual(err("sh: can't create /nope/y: nonexistent directory\n", 1));
    expect(run(s, 'cat < /nope')).toEqual(err("sh: can't open '/nope': No such file or directory\n", 1));
  });
});

describe('xargs, sh -c, env', () => {
  const s = sim({ 'list.txt': 'a.txt\nb.txt\n', 'a.txt': 'A\n', 'b.txt': 'B1\nB2\n' });
  it('builds command lines from input', () => {
    expect(run(s, 'cat list.txt | xargs cat')).toEqual(out('A\nB1\nB2\n'));
    expect(run(s, 'cat list.txt | xargs -n1 wc -l')).toEqual(out('1 a.txt\n2 b.txt\n'));
    expect(run(s, 'cat list.txt | xargs -I{} echo "file: {}"')).toEqual(out('file: a.txt\nfile: b.txt\n'));
    expect(run(s, 'echo "x y" | xargs')).toEqual(out('x y\n'));
    expect(run(s, 'echo a | xargs nope')).toEqual(err('xargs: nope: No such file or directory\n', 127));
    expect(run(s, 'printf "a.txt\\nmissing\\n" | xargs cat')).toEqual(err('cat: missing: No such file or directory\n', 123, 'A\n'));
  });
  it('runs sh -c with positional parameters, in a subshell', () => {
    expect(run(s, `sh -c 'echo "$0:$1:$#"; cd /tmp; exit 3' zero one; echo "$? $PWD"`)).toEqual(out('zero:one:1\n3 /home/learner\n'));
    expect(run(s, 'echo "echo from stdin" | sh')).toEqual(out('from stdin\n'));
    expect(run(s, 'bash -c')).toEqual(err('bash: -c: option requires an argument\n', 2));
    expect(run(s, "bash -c 'echo |'")).toEqual(err('bash: -c: line 1: syntax error: unexpected end of file\n', 2));
  });
  it('passes the environment', () => {
    expect(run(s, 'env -u HOME | grep -c ^HOME=')).toEqual(out('0\n', 1));
    expect(run(s, 'FOO=bar env | grep ^FOO')).toEqual(out('FOO=bar\n'));
    expect(run(s, 'env FOO=baz sh -c \'echo $FOO\'')).toEqual(out('baz\n'));
    // a child shell sees exported variables only
    expect(run(s, 'LOCAL=1; export EXP=2; sh -c \'echo "[$LOCAL][$EXP]"\'')).toEqual(out('[][2]\n'));
  });
});

describe('alias and watch', () => {
  it('expands aliases of simple commands and lists them quoted (bash builtins/alias.def)', () => {
    const s = sim();
    expect(run(s, "alias ll='ls -la' e=echo")).toEqual(out(''));
    expect(run(s, 'alias')).toEqual(out("alias e='echo'\nalias ll='ls -la'\n"));
    expect(run(s, 'e hello; ll /home | tail -1')).toEqual(out('hello\ndrwxr-xr-x 2 learner learner 4096 Jan 15 09:00 learner\n'));
    expect(run(s, 'alias nope')).toEqual(err('bash: alias: nope: not found\n', 1));
    expect(run(s, 'unalias e; e')).toEqual(err('bash: e: command not found\n', 127));
    expect(s.complete('ll /ho')).toEqual({ from: 3, candidates: ['/home/'] });
  });
  it('watch re-runs the command every interval until Ctrl+C (procps-ng watch.c header)', () => {
    const s = createSimulation(null, { seed: 1, maxStreamSteps: 1 });
    const header = (t: string) => `\x1b[H\x1b[2JEvery 2.0s: date +%T${' '.repeat(80 - 'Every 2.0s: date +%T'.length - `workstation: Wed Jan 15 ${t} 2025`.length)}workstation: Wed Jan 15 ${t} 2025\n\n${t}\n`;
    expect(s.run('watch date +%T')).toEqual(out(header('09:00:01') + header('09:00:03')));
  });
});
