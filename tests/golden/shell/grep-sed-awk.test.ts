/**
 * Golden outputs of grep (GNU grep 3.x src/grep.c: `--` between context groups,
 * `file:line` prefixes, exit 0/1/2, getopt messages + "Usage: grep [OPTION]...
 * PATTERNS [FILE]..."), sed (GNU sed 4.9 sed/compile.c messages
 * `-e expression #N, char M: …`) and awk (gawk 5: `awk: cmd. line:1:` syntax
 * reports with a caret, `fatal: division by zero attempted`, %.6g number output).
 */
import { describe, expect, it } from 'vitest';
import { err, out, run, sim } from './helpers';

const LOG = 'alpha 1\nbeta 2\ngamma 3\ndelta 4\nepsilon 5\nzeta 6\n';

describe('grep', () => {
  const s = sim({ 'log.txt': LOG, 'b.txt': 'Beta\nalphabet\n' });
  it('matches, inverts, counts, numbers', () => {
    expect(run(s, 'grep eta log.txt')).toEqual(out('beta 2\nzeta 6\n'));
    expect(run(s, 'grep -v a log.txt')).toEqual(out(''.concat('epsilon 5\n')));
    expect(run(s, 'grep -c a log.txt')).toEqual(out('5\n'));
    expect(run(s, 'grep -n ^d log.txt')).toEqual(out('4:delta 4\n'));
    expect(run(s, 'grep -i beta log.txt b.txt')).toEqual(out('log.txt:beta 2\nb.txt:Beta\n'));
    expect(run(s, 'grep -h -i beta log.txt b.txt')).toEqual(out('beta 2\nBeta\n'));
    expect(run(s, 'grep -w alpha log.txt b.txt')).toEqual(out('log.txt:alpha 1\n'));
    expect(run(s, 'grep -o "[0-9]" log.txt | head -2')).toEqual(out('1\n2\n'));
    expect(run(s, 'grep -E "^(alpha|zeta) " log.txt')).toEqual(out('alpha 1\nzeta 6\n'));
    expect(run(s, 'grep "^\\(alpha\\|zeta\\) " log.txt')).toEqual(out('alpha 1\nzeta 6\n'));
    expect(run(s, 'grep -F "a 1" log.txt')).toEqual(out('alpha 1\n'));
    expect(run(s, 'grep -e beta -e gamma log.txt')).toEqual(out('beta 2\ngamma 3\n'));
    expect(run(s, 'grep -l eta log.txt b.txt')).toEqual(out('log.txt\nb.txt\n'));
    expect(run(s, 'grep -L gamma log.txt b.txt')).toEqual(out('b.txt\n'));
    expect(run(s, 'grep -m1 a log.txt')).toEqual(out('alpha 1\n'));
  });
  it('prints context with group separators', () => {
    expect(run(s, 'grep -A1 beta log.txt')).toEqual(out('beta 2\ngamma 3\n'));
    expect(run(s, 'grep -B1 -n delta log.txt')).toEqual(out('3-gamma 3\n4:delta 4\n'));
    // out_before/out_after default to -1; an explicit 0 still prints separators (grep.c prtext)
    expect(run(s, 'grep -C0 -e alpha -e delta log.txt')).toEqual(out('alpha 1\n--\ndelta 4\n'));
    expect(run(s, 'grep -e alpha -e delta log.txt')).toEqual(out('alpha 1\ndelta 4\n'));
  });
  it('exits 1 on no match, 2 on trouble', () => {
    expect(run(s, 'grep nothing log.txt')).toEqual(out('', 1));
    expect(run(s, 'grep -q beta log.txt; echo $?')).toEqual(out('0\n'));
    expect(run(s, 'grep x nope')).toEqual(err('grep: nope: No such file or directory\n', 2));
    expect(run(s, 'grep -s x nope')).toEqual(err('', 2));
    expect(run(s, 'grep x /tmp')).toEqual(err('grep: /tmp: Is a directory\n', 2));
    expect(run(s, 'grep -j x')).toEqual(err("grep: invalid option -- 'j'\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n", 2));
    expect(run(s, 'grep')).toEqual(err("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n", 2));
    expect(run(s, 'grep -e')).toEqual(err("grep: option requires an argument -- 'e'\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n", 2));
    expect(run(s, 'grep "[a" log.txt')).toEqual(err('grep: Unmatched [, [^, [:, [., or [=\n', 2));
    expect(run(s, 'grep -E "(a" log.txt')).toEqual(err('grep: Unmatched ( or \\(\n', 2));
  });
  it('reads standard input', () => {
    expect(run(s, 'cat log.txt | grep -c e')).toEqual(out('4\n'));
    expect(run(s, 'echo x | grep -H x')).toEqual(out('(standard input):x\n'));
  });
});

describe('sed', () => {
  const s = sim({ 'log.txt': LOG });
  it('substitutes, prints, deletes', () => {
    expect(run(s, 'echo aaa | sed s/a/b/')).toEqual(out('baa\n'));
    expect(run(s, 'echo aaa | sed s/a/b/g')).toEqual(out('bbb\n'));
    expect(run(s, 'echo aaa | sed s/a/b/2')).toEqual(out('aba\n'));
    expect(run(s, 'echo "k=v" | sed -E "s/(.*)=(.*)/\\2=\\1 [&]/"')).toEqual(out('v=k [k=v]\n'));
    expect(run(s, 'sed -n 2,3p log.txt')).toEqual(out('beta 2\ngamma 3\n'));
    expect(run(s, 'sed -n "/gamma/,/epsilon/p" log.txt')).toEqual(out('gamma 3\ndelta 4\nepsilon 5\n'));
    expect(run(s, 'sed "2,\\$d" log.txt')).toEqual(out('alpha 1\n'));
    expect(run(s, 'sed "/a 1/!d; s/ /=/" log.txt')).toEqual(out('alpha=1\n'));
    expect(run(s, 'sed -n "\\$=" log.txt')).toEqual(out('6\n'));
    expect(run(s, 'sed 3q log.txt')).toEqual(out('alpha 1\nbeta 2\ngamma 3\n'));
    expect(run(s, 'printf "a\\nb\\n" | sed "1i\\\\top" ')).toEqual(out('top\na\nb\n'));
    expect(run(s, 'echo hello | sed y/el/ip/')).toEqual(out('hippo\n'));
  });
  it('edits in place', () => {
    expect(run(s, 'sed -i s/alpha/ALPHA/ log.txt; head -1 log.txt')).toEqual(out('ALPHA 1\n'));
  });
  it('reports script errors', () => {
    expect(run(s, 'sed s/a/b')).toEqual(err("sed: -e expression #1, char 5: unterminated `s' command\n", 1));
    expect(run(s, 'sed k')).toEqual(err("sed: -e expression #1, char 1: unknown command: `k'\n", 1));
    expect(run(s, 'sed s/a/b/z')).toEqual(err("sed: -e expression #1, char 7: unknown option to `s'\n", 1));
    expect(run(s, 'sed p nope')).toEqual(err("sed: can't read nope: No such file or directory\n", 2));
  });
});

describe('awk', () => {
  const s = sim({ 'log.txt': LOG, 'c.csv': 'name,port\nweb,80\ndb,5432\n' });
  it('prints fields, counts and sums', () => {
    expect(run(s, "awk '{print $2, $1}' log.txt | head -2")).toEqual(out('1 alpha\n2 beta\n'));
    expect(run(s, "awk '{s += $2} END {print s, NR, s/NR}' log.txt")).toEqual(out('21 6 3.5\n'));
    expect(run(s, "awk -F, 'NR > 1 {print $NF}' c.csv")).toEqual(out('80\n5432\n'));
    expect(run(s, "awk -F, -v OFS=: '{$1 = $1; print}' c.csv")).toEqual(out('name:port\nweb:80\ndb:5432\n'));
    expect(run(s, "awk '/^[ab]/' log.txt")).toEqual(out('alpha 1\nbeta 2\n'));
    expect(run(s, "awk '$2 >= 5 {print $1}' log.txt")).toEqual(out('epsilon\nzeta\n'));
    expect(run(s, "awk 'NR==2, NR==3 {print NR\": \"$0}' log.txt")).toEqual(out('2: beta 2\n3: gamma 3\n'));
    expect(run(s, "echo '  a   b  ' | awk '{print NF; $3 = \"c\"; print; print NF}'")).toEqual(out('2\na b c\n3\n'));
  });
  it('has arrays, functions, printf and string builtins', () => {
    expect(run(s, "awk '{n[length($1)]++} END {for (k = 4; k <= 7; k++) if (k in n) printf \"%d:%d\\n\", k, n[k]}' log.txt")).toEqual(out('4:2\n5:3\n7:1\n'));
    expect(run(s, "awk 'function sq(x) { return x*x } BEGIN { print sq(7), 1/3, 2^10, 100000 * 100000, 0.1 + 0.2 }'")).toEqual(out('49 0.333333 1024 10000000000 0.3\n'));
    expect(run(s, "awk 'BEGIN { s = \"hello world\"; print substr(s, 1, 5), index(s, \"o\"), length(s), toupper(substr(s, 7)) }'")).toEqual(out('hello 5 11 WORLD\n'));
    expect(run(s, "awk 'BEGIN { n = split(\"a:b:c\", p, \":\"); print n, p[3]; s = \"foo bar foo\"; print gsub(/foo/, \"[&]\", s), s; print match(\"xxabc\", /ab/), RSTART, RLENGTH }'")).toEqual(out('3 c\n2 [foo] bar [foo]\n3 3 2\n'));
    expect(run(s, "awk 'BEGIN { printf \"%-5s|%5.2f|%03d|%c|%x\\n\", \"ab\", 3.14159, 7, 65, 255 }'")).toEqual(out('ab   | 3.14|007|A|ff\n'));
    expect(run(s, "awk 'BEGIN { if (\"10\" < \"9\") print \"string\"; if (10 < 9) print \"bad\"; x = \"3x\"; print x + 1 }'")).toEqual(out('string\n4\n'));
    expect(run(s, "echo '10 9' | awk '{ print ($1 < $2) ? \"lt\" : \"ge\" }'")).toEqual(out('ge\n'));
  });
  it('reports errors like gawk', () => {
    expect(run(s, "awk '{print $1'")).toEqual(err('awk: cmd. line:1: {print $1\nawk: cmd. line:1:          ^ unexpected newline or end of string\n', 1));
    expect(run(s, "awk 'BEGIN { x = 1 +* 2 }'")).toEqual(err('awk: cmd. line:1: BEGIN { x = 1 +* 2 }\nawk: cmd. line:1:                ^ syntax error\n', 1));
    expect(run(s, "awk 'BEGIN { print 1/0 }'")).toEqual(err('awk: cmd. line:1: fatal: division by zero attempted\n', 2));
    expect(run(s, 'awk')).toEqual(err("Usage: awk [POSIX or GNU style options] -f progfile [--] file ...\nUsage: awk [POSIX or GNU style options] [--] 'program' file ...\n", 2));
    expect(run(s, "awk '{print}' nope")).toEqual(err("awk: fatal: cannot open file `nope' for reading: No such file or directory\n", 2));
  });
});
