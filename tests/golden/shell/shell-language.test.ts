/**
 * The shell language as bash 5 runs it: quoting and expansion (bash manual §3.1–3.5),
 * redirections (§3.6), here-documents, lists and pipelines, compound commands, and
 * bash's error texts (parse.y: "syntax error near unexpected token `X'", "unexpected
 * EOF while looking for matching `\"'"; builtins/cd.def; execute_cmd.c "command not found").
 */
import { describe, expect, it } from 'vitest';
import { err, out, run, sim } from './helpers';

describe('quoting and expansion', () => {
  const s = sim({ 'a.txt': '', 'b.txt': '', 'c.yaml': '' });
  it('quotes, escapes, variables', () => {
    expect(run(s, `echo 'single $HOME' "double $HOME" \\$HOME a\\ b`)).toEqual(out('single $HOME double /home/learner $HOME a b\n'));
    expect(run(s, 'X="a   b"; echo $X; echo "$X"')).toEqual(out('a b\na   b\n'));
    expect(run(s, 'echo "${HOME}/x" ${NOPE:-default} ${#HOME} "[$NOPE]"')).toEqual(out('/home/learner/x default 13 []\n'));
    expect(run(s, 'f=web.tar.gz; echo ${f%.*} ${f%%.*} ${f#*.} ${f##*.} ${f/e/E} ${f//[a-e]/_}')).toEqual(out('web.tar web tar.gz gz wEb.tar.gz w__.t_r.gz\n'));
    expect(run(s, "echo $'tab\\there'")).toEqual(out('tab\there\n'));
    expect(run(s, 'echo ~ ~/x "~"')).toEqual(out('/home/learner /home/learner/x ~\n'));
  });
  it('command and arithmetic substitution, $?', () => {
    expect(run(s, 'echo "today: $(date +%F)" `echo back`')).toEqual(out('today: 2025-01-15 back\n'));
    expect(run(s, 'echo $(echo a $(echo b))')).toEqual(out('a b\n'));
    expect(run(s, 'i=3; echo $((i * 2 + 1)) $((7 / 2)) $((7 % 3)) $((2 ** 8)) $((i++)) $i')).toEqual(out('7 3 1 256 3 4\n'));
    expect(run(s, 'false; echo $?; nope 2>/dev/null; echo $?')).toEqual(out('1\n127\n'));
    expect(run(s, 'echo $((1/0))')).toEqual(err('bash: division by 0 (error token is "0")\n', 1));
    expect(run(s, 'echo ${}')).toEqual(err('bash: ${}: bad substitution\n', 1));
  });
  it('expands braces first', () => {
    expect(run(s, 'echo {1..5} a{b,c}d {a..e} {01..10..3} "{1..3}" {x} x{1,{2,3}}y')).toEqual(out('1 2 3 4 5 abd acd a b c d e 01 04 07 10 {1..3} {x} x1y x2y x3y\n'));
    expect(run(s, 'for i in {3..1}; do printf "%s " $i; done')).toEqual(out('3 2 1 '));
  });
  it('globs against the virtual filesystem', () => {
    expect(run(s, 'echo *.txt')).toEqual(out('a.txt b.txt\n'));
    expect(run(s, 'echo ?.yaml "*.txt" *.json')).toEqual(out('c.yaml *.txt *.json\n'));
    expect(run(s, 'echo /etc/host*')).toEqual(out('/etc/hostname\n'));
  });
  it('prefix assignments and export', () => {
    expect(run(s, 'A=1 env | grep ^A=; echo "[$A]"')).toEqual(out('A=1\n[]\n'));
    expect(run(s, 'B=2; env | grep -c ^B=; export B; env | grep ^B=')).toEqual(out('0\nB=2\n'));
    expect(run(s, 'export 1x=2')).toEqual(err("bash: export: `1x=2': not a valid identifier\n", 1));
    expect(run(s, 'export -p | grep " USER="')).toEqual(out('declare -x USER="learner"\n'));
  });
});

describe('lists, pipelines, compound commands', () => {
  const s = sim();
  it('runs && || ; ! and pipelines', () => {
    expect(run(s, 'true && echo yes || echo no; false && echo yes || echo no')).toEqual(out('yes\nno\n'));
    expect(run(s, '! false; echo $?')).toEqual(out('0\n'));
    expect(run(s, 'seq 10 | grep 1 | wc -l')).toEqual(out('2\n'));
    expect(run(s, 'false | true; echo $?')).toEqual(out('0\n'));
    // each stage of a pipeline is a subshell: exit and assignments stay inside
    expect(run(s, 'echo | exit 3; echo "still here $?"')).toEqual(out('still here 3\n'));
    expect(run(s, 'x=1; echo 5 | while read y; do x=$y; done; echo $x')).toEqual(out('1\n'));
  });
  it('loops and conditionals', () => {
    expect(run(s, 'for i in 1 2 3; do echo "n=$i"; done')).toEqual(out('n=1\nn=2\nn=3\n'));
    expect(run(s, 'for f in $(seq 3); do if [ "$f" -ge 2 ]; then echo "big $f"; fi; done')).toEqual(out('big 2\nbig 3\n'));
    expect(run(s, 'if grep -q x /dev/null; then echo a; elif true; then echo b; else echo c; fi')).toEqual(out('b\n'));
    expect(run(s, 'n=0; while [ -z "" ]; do n=$((n+1)); if [ $n -ge 3 ]; then break; fi; done; until true; do echo never; done; echo "done $n"')).toEqual(out('done 3\n'));
    expect(run(s, 'for i in 1 2 3; do for j in a b; do [ $j = b ] && continue 2; [ $i = 3 ] && break 2; echo $i$j; done; done')).toEqual(out('1a\n2a\n'));
    expect(run(s, 'break')).toEqual(err("bash: break: only meaningful in a `for', `while', or `until' loop\n", 0));
    expect(run(s, 'printf "a 1\\nb 2\\n" | while read k v; do echo "$v-$k"; done')).toEqual(out('1-a\n2-b\n'));
    expect(run(s, '{ echo one; echo two; } | tail -1; (cd /tmp; pwd); pwd')).toEqual(out('two\n/tmp\n/home/learner\n'));
  });
  it('case and functions', () => {
    expect(run(s, 'for f in a.yaml b.txt c; do case $f in *.yaml|*.yml) echo "$f: yaml";; *.txt) echo "$f: text";; *) echo "$f: other";; esac; done')).toEqual(out('a.yaml: yaml\nb.txt: text\nc: other\n'));
    expect(run(s, 'case "a*" in "a*") echo quoted;; a*) echo glob;; esac')).toEqual(out('quoted\n'));
    expect(run(s, 'greet() { echo "hello $1 ($#)"; return 3; }; greet world x; echo $?')).toEqual(out('hello world (2)\n3\n'));
    expect(run(s, 'count() { if [ $1 -gt 0 ]; then echo $1; count $(($1-1)); fi; }; count 2; greet again')).toEqual(out('2\n1\nhello again (1)\n', 3));
    expect(run(s, 'return')).toEqual(err("bash: return: can only `return' from a function or sourced script\n", 1));
    expect(run(s, 'loop() { loop; }; loop')).toEqual(err('bash: loop: maximum function nesting level exceeded (40)\n', 1));
  });
  it('set: -x traces, -e stops, -o pipefail, -u, --', () => {
    const s = sim();
    expect(run(s, 'set -x; echo "a b" c; X=1; set +x; echo quiet')).toEqual(err("+ echo 'a b' c\n+ X=1\n+ set +x\n", 0, 'a b c\nquiet\n'));
    expect(run(s, 'set -o pipefail; false | true; echo $?; set +o pipefail; false | true; echo $?')).toEqual(out('1\n0\n'));
    expect(run(s, 'sh -c "set -e; echo one; false; echo two"; echo $?')).toEqual(out('one\n1\n'));
    expect(run(s, 'sh -c "set -e; false || echo handled; if false; then :; fi; ! false; while false; do :; done; echo reached"')).toEqual(out('handled\nreached\n'));
    expect(run(s, 'set -u; echo "[$NOPE]"; set +u; echo "[$NOPE]"')).toEqual(err('bash: NOPE: unbound variable\n', 0, '[]\n'));
    expect(run(s, 'set -- a "b c"; echo $# $2')).toEqual(out('2 b c\n'));
    expect(run(s, 'set -q')).toEqual(err('bash: set: -q: invalid option\nset: usage: set [-abefhkmnptuvxBCEHPT] [-o option-name] [--] [-] [arg ...]\n', 2));
  });
  it('reports syntax errors with exit 2', () => {
    expect(run(s, 'echo a | | b')).toEqual(err("bash: syntax error near unexpected token `|'\n", 2));
    expect(run(s, '| x')).toEqual(err("bash: syntax error near unexpected token `|'\n", 2));
    expect(run(s, 'echo ;;')).toEqual(err("bash: syntax error near unexpected token `;;'\n", 2));
    expect(run(s, 'fi')).toEqual(err("bash: syntax error near unexpected token `fi'\n", 2));
    expect(run(s, 'echo >')).toEqual(err("bash: syntax error near unexpected token `newline'\n", 2));
    expect(run(s, 'echo "abc')).toEqual(err("bash: unexpected EOF while looking for matching `\"'\nbash: syntax error: unexpected end of file\n", 2));
    expect(run(s, "echo 'abc")).toEqual(err("bash: unexpected EOF while looking for matching `''\nbash: syntax error: unexpected end of file\n", 2));
    expect(run(s, 'echo a &&')).toEqual(err('bash: syntax error: unexpected end of file\n', 2));
    expect(run(s, 'for x in 1; do echo')).toEqual(err('bash: syntax error: unexpected end of file\n', 2));
    expect(run(s, 'case x in')).toEqual(err('bash: syntax error: unexpected end of file\n', 2));
    expect(run(s, 'f() echo')).toEqual(err("bash: syntax error near unexpected token `echo'\n", 2));
    expect(run(s, 'echo $?')).toEqual(out('2\n'));
  });
  it('reports unknown commands', () => {
    expect(run(s, 'nope --flag')).toEqual(err('bash: nope: command not found\n', 127));
    expect(run(s, './run.sh')).toEqual(err('bash: ./run.sh: No such file or directory\n', 127));
  });
});

describe('redirections and here-documents', () => {
  it('writes, appends, reads and duplicates', () => {
    const s = sim();
    expect(run(s, 'echo one > f.txt; echo two >> f.txt; cat < f.txt')).toEqual(out('one\ntwo\n'));
    expect(run(s, 'ls nope 2> e.txt; cat e.txt')).toEqual(out("ls: cannot access 'nope': No such file or directory\n"));
    expect(run(s, 'ls nope > all.txt 2>&1; cat all.txt')).toEqual(out("ls: cannot access 'nope': No such file or directory\n"));
    expect(run(s, 'ls nope &> both.txt; wc -l < both.txt')).toEqual(out('1\n'));
    expect(run(s, 'echo hidden > /dev/null; echo shown 2>/dev/null')).toEqual(out('shown\n'));
    expect(run(s, 'echo to-stderr >&2')).toEqual(err('to-stderr\n', 0));
    expect(run(s, 'cat f.txt > f.txt; wc -c f.txt')).toEqual(out('0 f.txt\n'));
    expect(run(s, 'cat <<< "here string"')).toEqual(out('here string\n'));
  });
  it('fails on bad targets', () => {
    const s = sim();
    expect(run(s, 'echo x > /nope/y')).toEqual(err('bash: /nope/y: No such file or directory\n', 1));
    expect(run(s, 'echo x > /tmp')).toEqual(err('bash: /tmp: Is a directory\n', 1));
    expect(run(s, 'cat < missing')).toEqual(err('bash: missing: No such file or directory\n', 1));
    expect(run(s, 'X="a b"; echo x > $X')).toEqual(err('bash: $X: ambiguous redirect\n', 1));
  });
  it('expands here-documents unless the delimiter is quoted; <<- strips tabs', () => {
    const s = sim();
    expect(run(s, 'cat <<EOF\nhome=$HOME\n\\$HOME $(echo sub)\nEOF')).toEqual(out('home=/home/learner\n$HOME sub\n'));
    expect(run(s, "cat <<'EOF'\nhome=$HOME\nEOF")).toEqual(out('home=$HOME\n'));
    expect(run(s, 'cat <<-END\n\t\tindented\n\tEND')).toEqual(out('indented\n'));
    expect(run(s, 'cat <<EOF > pod.yaml\nkind: Pod\nEOF\ncat pod.yaml')).toEqual(out('kind: Pod\n'));
    expect(run(s, 'cat <<EOF\nunfinished')).toEqual(err("bash: warning: here-document at line 2 delimited by end-of-file (wanted `EOF')\n", 0, 'unfinished\n'));
  });
});

describe('builtins', () => {
  it('cd, pwd, history, type, which, help', () => {
    const s = sim();
    expect(run(s, 'cd /tmp; pwd; cd; pwd; cd -')).toEqual(out('/tmp\n/home/learner\n/tmp\n'));
    expect(run(s, 'cd /nope')).toEqual(err('bash: cd: /nope: No such file or directory\n', 1));
    expect(run(s, 'cd a b')).toEqual(err('bash: cd: too many arguments\n', 1));
    expect(run(s, 'type cd ls; which ls')).toEqual(out('cd is a shell builtin\nls is /usr/bin/ls\n/usr/bin/ls\n'));
    expect(run(s, 'type nope')).toEqual(err('bash: type: nope: not found\n', 1));
    // builtins/history.def prints "%5d%c %s" (the %c is a space, or * for a modified line)
    expect(run(s, 'history 3')).toEqual(out('    4  type cd ls; which ls\n    5  type nope\n    6  history 3\n'));
    expect(run(s, 'clear')).toEqual(out('\x1b[H\x1b[2J\x1b[3J'));
    expect(run(s, 'help ls cd')).toEqual(out('ls - list directory contents\ncd - change the shell working directory\n'));
    expect(run(s, 'help nope')).toEqual(err("bash: help: no help topics match `nope'.  Try `help help' or `man -k nope' or `info nope'.\n", 1));
    expect(run(s, 'help').stdout).toMatch(/^Commands available on the workstation:\n\n  : {2,}null command \(always succeeds\)\n/);
  });
  it('source, sudo, type of aliases and functions', () => {
    const s = sim({ 'env.sh': 'X=5\nf() { echo "f:$1"; }\n' });
    expect(run(s, '. ./env.sh; echo $X; f a; source env.sh; echo ok')).toEqual(out('5\nf:a\nok\n'));
    expect(run(s, 'source nope')).toEqual(err('bash: nope: No such file or directory\n', 1));
    expect(run(s, 'alias k=kubectl; type k f')).toEqual(out("k is aliased to `kubectl'\nf is a function\n"));
    expect(run(s, 'sudo echo hi; sudo nope')).toEqual(err('sudo: nope: command not found\n', 1, 'hi\n'));
  });
});
