/**
 * Golden outputs of the coreutils-style tools, pinned whole. Formats and messages follow
 * GNU coreutils 9.x: src/cat.c, src/head.c, src/tail.c, src/wc.c (compute_number_width:
 * one count is unpadded, stdin pads to 7, files to the digits of the total size),
 * src/sort.c, src/uniq.c (`%7d `), src/cut.c, src/tr.c, src/basenc.c (76 columns),
 * src/ls.c, src/mkdir.c, src/rm.c, src/touch.c, src/seq.c, src/printf.c, src/env.c,
 * src/date.c (`%a %b %e %H:%M:%S %Z %Y`), and util-linux text-utils/column.c.
 */
import { describe, expect, it } from 'vitest';
import { err, out, run, sim } from './helpers';
import { createSimulation } from '../../../engine';

const T = 'b 2\na 10\nc 1\n';

describe('cat', () => {
  it('concatenates, numbers, shows ends', () => {
    const s = sim({ 't.txt': T, 'u.txt': 'x\n\n\ny' });
    expect(run(s, 'cat t.txt u.txt')).toEqual(out('b 2\na 10\nc 1\nx\n\n\ny'));
    expect(run(s, 'cat -n t.txt')).toEqual(out('     1\tb 2\n     2\ta 10\n     3\tc 1\n'));
    expect(run(s, 'cat -sE u.txt')).toEqual(out('x$\n$\ny'));
    expect(run(s, 'cat -b u.txt')).toEqual(out('     1\tx\n\n\n     2\ty'));
  });
  it('reports missing files and directories but goes on', () => {
    const s = sim({ 't.txt': T });
    expect(run(s, 'cat nope t.txt /tmp')).toEqual(err('cat: nope: No such file or directory\ncat: /tmp: Is a directory\n', 1, T));
    expect(run(s, 'cat -Q')).toEqual(err("cat: invalid option -- 'Q'\nUsage: cat [OPTION]... [FILE]...\nTry 'cat --help' for more information.\n", 1));
  });
});

describe('head and tail', () => {
  const s = sim({ 't.txt': T, 'n.txt': 'no newline' });
  it('select lines and bytes', () => {
    expect(run(s, 'head -n 2 t.txt')).toEqual(out('b 2\na 10\n'));
    expect(run(s, 'head -1 t.txt')).toEqual(out('b 2\n'));
    expect(run(s, 'head -n -1 t.txt')).toEqual(out('b 2\na 10\n'));
    expect(run(s, 'head -c 3 t.txt')).toEqual(out('b 2'));
    expect(run(s, 'tail -n 1 t.txt')).toEqual(out('c 1\n'));
    expect(run(s, 'tail -n +2 t.txt')).toEqual(out('a 10\nc 1\n'));
    expect(run(s, 'tail -2 n.txt')).toEqual(out('no newline'));
  });
  it('prints headers for several files', () => {
    expect(run(s, 'head -n1 t.txt n.txt')).toEqual(out('==> t.txt <==\nb 2\n\n==> n.txt <==\nno newline'));
  });
  it('rejects bad counts and missing files', () => {
    expect(run(s, 'head -n x t.txt')).toEqual(err("head: invalid number of lines: 'x'\n", 1));
    expect(run(s, 'tail nope')).toEqual(err("tail: cannot open 'nope' for reading: No such file or directory\n", 1));
  });
});

describe('wc', () => {
  const s = sim({ 't.txt': T, 'u.txt': 'one two\n' });
  it('pads to the width of the total size; one count is not padded', () => {
    expect(run(s, 'wc t.txt')).toEqual(out(' 3  6 13 t.txt\n'));
    expect(run(s, 'wc -l t.txt')).toEqual(out('3 t.txt\n'));
    expect(run(s, 'wc t.txt u.txt')).toEqual(out(' 3  6 13 t.txt\n 1  2  8 u.txt\n 4  8 21 total\n'));
  });
  it('pads to 7 columns on standard input', () => {
    expect(run(s, 'echo a b | wc')).toEqual(out('      1       2       4\n'));
    expect(run(s, 'printf abc | wc -c')).toEqual(out('3\n'));
  });
});

describe('sort and uniq', () => {
  const s = sim({ 't.txt': T, 'd.txt': 'b\na\nb\nb\nc\na\n' });
  it('sorts by line, keys, numbers, reverse, unique', () => {
    expect(run(s, 'sort t.txt')).toEqual(out('a 10\nb 2\nc 1\n'));
    expect(run(s, 'sort -r t.txt')).toEqual(out('c 1\nb 2\na 10\n'));
    expect(run(s, 'sort -k2 -n t.txt')).toEqual(out('c 1\nb 2\na 10\n'));
    expect(run(s, 'sort -k2 t.txt')).toEqual(out('c 1\na 10\nb 2\n'));
    expect(run(s, "printf 'x:3\\ny:1\\nz:2\\n' | sort -t: -k2,2nr")).toEqual(out('x:3\nz:2\ny:1\n'));
    expect(run(s, 'sort -u d.txt')).toEqual(out('a\nb\nc\n'));
    expect(run(s, 'printf "10\\n9\\n1e2\\n" | sort -n')).toEqual(out('1e2\n9\n10\n'));
  });
  it('counts adjacent duplicates', () => {
    expect(run(s, 'sort d.txt | uniq -c')).toEqual(out('      2 a\n      3 b\n      1 c\n'));
    expect(run(s, 'uniq d.txt')).toEqual(out('b\na\nb\nc\na\n'));
    expect(run(s, 'sort d.txt | uniq -d')).toEqual(out('a\nb\n'));
    expect(run(s, 'sort d.txt | uniq -u')).toEqual(out('c\n'));
  });
  it('rejects bad keys', () => {
    expect(run(s, 'sort -k0 t.txt')).toEqual(err("sort: field number is zero: invalid field specification '0'\n", 2));
    expect(run(s, 'sort nope')).toEqual(err('sort: cannot read: nope: No such file or directory\n', 2));
  });
});

describe('cut and tr', () => {
  const s = sim({ 'p.txt': 'root:x:0:0\nlearner:x:1000:1000\nno-delimiter\n' });
  it('cuts fields and characters', () => {
    expect(run(s, 'cut -d: -f1,3 p.txt')).toEqual(out('root:0\nlearner:1000\nno-delimiter\n'));
    expect(run(s, 'cut -d: -f2- -s p.txt')).toEqual(out('x:0:0\nx:1000:1000\n'));
    expect(run(s, 'cut -c1-4 p.txt')).toEqual(out('root\nlear\nno-d\n'));
    expect(run(s, 'cut p.txt')).toEqual(err("cut: you must specify a list of bytes, characters, or fields\nTry 'cut --help' for more information.\n", 1));
    expect(run(s, "cut -d '::' -f1 p.txt")).toEqual(err("cut: the delimiter must be a single character\nTry 'cut --help' for more information.\n", 1));
  });
  it('translates, deletes and squeezes', () => {
    expect(run(s, 'echo hello | tr a-z A-Z')).toEqual(out('HELLO\n'));
    expect(run(s, "echo 'a  b   c' | tr -s ' '")).toEqual(out('a b c\n'));
    expect(run(s, 'echo abc123 | tr -d [:digit:]')).toEqual(out('abc\n'));
    expect(run(s, 'echo abc | tr abc x')).toEqual(out('xxx\n'));
    expect(run(s, 'echo hello | tr -c a-z _')).toEqual(out('hello_'));
    expect(run(s, 'tr a')).toEqual(err("tr: missing operand after 'a'\nTwo strings must be given when translating.\nTry 'tr --help' for more information.\n", 1));
    expect(run(s, 'tr')).toEqual(err("tr: missing operand\nTry 'tr --help' for more information.\n", 1));
    expect(run(s, 'tr z-a x')).toEqual(err("tr: range-endpoints of 'z-a' are in reverse collating sequence order\n", 1));
  });
});

describe('base64, column, tee, seq, printf, echo', () => {
  const s = sim();
  it('encodes and decodes', () => {
    expect(run(s, 'echo abc | base64')).toEqual(out('YWJjCg==\n'));
    expect(run(s, 'echo YWJjCg== | base64 -d')).toEqual(out('abc\n'));
    // 80 bytes: 76-column lines (basenc.c wrap_column default 76)
    expect(run(s, 'printf "%080d" 0 | base64')).toEqual(out('MDAw'.repeat(19) + '\n' + 'MDAw'.repeat(7) + 'MDA=\n'));
    expect(run(s, 'echo !!! | base64 -d')).toEqual(err('base64: invalid input\n', 1));
  });
  it('aligns a table', () => {
    expect(run(s, 'printf "NAME IP\\nweb 10.244.1.5\\nlonger-name 10.244.2.7\\n" | column -t')).toEqual(out('NAME         IP\nweb          10.244.1.5\nlonger-name  10.244.2.7\n'));
  });
  it('tees into files', () => {
    expect(run(s, 'echo one | tee a.txt b.txt')).toEqual(out('one\n'));
    expect(run(s, 'echo two | tee -a a.txt > /dev/null; cat a.txt b.txt')).toEqual(out('one\ntwo\none\n'));
  });
  it('counts', () => {
    expect(run(s, 'seq 3')).toEqual(out('1\n2\n3\n'));
    expect(run(s, 'seq -s, 2 2 8')).toEqual(out('2,4,6,8\n'));
    expect(run(s, 'seq -w 8 10')).toEqual(out('08\n09\n10\n'));
    expect(run(s, 'seq')).toEqual(err("seq: missing operand\nTry 'seq --help' for more information.\n", 1));
  });
  it('formats like printf(1) and echoes like bash', () => {
    expect(run(s, 'printf "%s-%05.1f|%-4s|%x\\n" a 3.14159 b 255')).toEqual(out('a-003.1|b   |ff\n'));
    expect(run(s, 'printf "%s\\n" x y z')).toEqual(out('x\ny\nz\n'));
    expect(run(s, 'printf "%d\\n" abc')).toEqual(err("bash: printf: 'abc': expected a numeric value\n", 1, '0\n'));
    expect(run(s, 'echo -n a; echo -e "b\\tc\\n"; echo -E "d\\n"; echo -x')).toEqual(out('ab\tc\n\nd\\n\n-x\n'));
  });
});

describe('files: ls, mkdir, rm, touch', () => {
  it('lists one per line off a terminal, long format with totals', () => {
    const s = sim({ 'w/t.txt': T, 'w/.hidden': 'h\n' });
    run(s, 'cd w');
    expect(run(s, 'ls')).toEqual(out('t.txt\n'));
    expect(run(s, 'ls -a')).toEqual(out('.\n..\n.hidden\nt.txt\n'));
    expect(run(s, 'ls -l')).toEqual(out('total 4\n-rw-r--r-- 1 learner learner 13 Jan 15 09:00 t.txt\n'));
    expect(run(s, 'ls nope t.txt')).toEqual(err("ls: cannot access 'nope': No such file or directory\n", 2, 't.txt\n'));
    expect(run(s, 'ls -Y')).toEqual(err("ls: invalid option -- 'Y'\nTry 'ls --help' for more information.\n", 2));
  });
  it('fills columns at a terminal (ls.c print_many_per_line: vertical, 2 spaces, 80 wide)', () => {
    const s = createSimulation(null, { seed: 1, interactive: true });
    for (let i = 1; i <= 12; i++) s.fs.write({ kind: 'workstation' }, `/home/learner/service-${String(i).padStart(2, '0')}.yaml`, '');
    expect(s.run('ls')).toEqual(out('service-01.yaml  service-04.yaml  service-07.yaml  service-10.yaml\nservice-02.yaml  service-05.yaml  service-08.yaml  service-11.yaml\nservice-03.yaml  service-06.yaml  service-09.yaml  service-12.yaml\n'));
    s.shell.setTerminalSize(40);
    expect(s.run('ls service-0*')).toEqual(out('service-01.yaml  service-06.yaml\nservice-02.yaml  service-07.yaml\nservice-03.yaml  service-08.yaml\nservice-04.yaml  service-09.yaml\nservice-05.yaml\n'));
    // not a tty when piped: one per line
    expect(s.run('ls | head -2')).toEqual(out('service-01.yaml\nservice-02.yaml\n'));
  });
  it('makes and removes directories', () => {
    const s = sim();
    expect(run(s, 'mkdir d')).toEqual(out(''));
    expect(run(s, 'mkdir d')).toEqual(err("mkdir: cannot create directory 'd': File exists\n", 1));
    expect(run(s, 'mkdir a/b')).toEqual(err("mkdir: cannot create directory 'a/b': No such file or directory\n", 1));
    expect(run(s, 'mkdir -pv a/b')).toEqual(out("mkdir: created directory 'a'\nmkdir: created directory 'a/b'\n"));
    expect(run(s, 'touch a/b/f; ls -R a')).toEqual(out('a:\nb\n\na/b:\nf\n'));
    expect(run(s, 'rm a')).toEqual(err("rm: cannot remove 'a': Is a directory\n", 1));
    expect(run(s, 'rm -r a; rm -f nope; ls')).toEqual(out('d\n'));
    expect(run(s, 'rm nope')).toEqual(err("rm: cannot remove 'nope': No such file or directory\n", 1));
    expect(run(s, 'rm')).toEqual(err("rm: missing operand\nTry 'rm --help' for more information.\n", 1));
    expect(run(s, 'touch x/y')).toEqual(err("touch: cannot touch 'x/y': No such file or directory\n", 1));
  });
});

describe('basename, dirname, printenv, timeout', () => {
  it('behave like coreutils', () => {
    const s = sim({ log: 'x\n' });
    expect(run(s, 'basename /a/b/web.yaml .yaml; basename -a /x/ y/z; dirname /a/b/c a/ / web.yaml')).toEqual(out('web\nx\nz\n/a/b\n.\n/\n.\n'));
    expect(run(s, 'printenv HOME; printenv NOPE; echo $?')).toEqual(out('/home/learner\n1\n'));
    const t0 = s.clock.now();
    expect(run(s, 'timeout 3 tail -f log; echo $?')).toEqual(out('x\n124\n'));
    expect(s.clock.now() - t0).toBe(4000);
    expect(run(s, 'timeout 2 echo quick')).toEqual(out('quick\n'));
    expect(run(s, 'timeout x y')).toEqual(err("timeout: invalid time interval 'x'\nTry 'timeout --help' for more information.\n", 125));
    expect(run(s, 'timeout 1 nope')).toEqual(err("timeout: failed to run command 'nope': No such file or directory\n", 127));
  });
});

describe('env, date, sleep, whoami, hostname', () => {
  it('follow the virtual clock and the host', () => {
    const s = sim();
    // each command line advances the clock by a second
    expect(run(s, 'date')).toEqual(out('Wed Jan 15 09:00:01 UTC 2025\n'));
    expect(run(s, 'sleep 60; date +%H:%M:%S')).toEqual(out('09:01:02\n'));
    expect(run(s, 'date -u +%F')).toEqual(out('2025-01-15\n'));
    expect(run(s, 'sleep')).toEqual(err("sleep: missing operand\nTry 'sleep --help' for more information.\n", 1));
    expect(run(s, 'sleep x')).toEqual(err("sleep: invalid time interval 'x'\nTry 'sleep --help' for more information.\n", 1));
    expect(run(s, 'whoami; hostname')).toEqual(out('learner\nworkstation\n'));
    expect(run(s, 'id; uname; uname -rm; ssh node-1 id')).toEqual(out('uid=1000(learner) gid=1000(learner) groups=1000(learner),27(sudo)\nLinux\n5.15.0-119-generic x86_64\nuid=0(root) gid=0(root) groups=0(root)\n'));
    expect(run(s, 'env -i A=1 B=2')).toEqual(out('A=1\nB=2\n'));
    expect(run(s, 'env | grep ^HOME=')).toEqual(out('HOME=/home/learner\n'));
  });
});
