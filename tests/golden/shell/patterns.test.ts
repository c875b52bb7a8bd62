/**
 * Issue 13 item 3: matching that cannot freeze the tab. The hostile inputs that used to
 * backtrack for minutes now finish with the right answer (engine/patterns: re2js, shell
 * patterns as an automaton); the one feature that must backtrack (back-references) is
 * stopped by the line budget. Error texts are the real tools':
 * - gnulib/glibc lib/regcomp.c `__re_error_msgid` (grep, sed, gawk all print regerror's text);
 * - grep: src/dfasearch.c GEAcompile prints it alone (`grep: Unmatched ( or \(`), gnulib
 *   dfa.c adds "character class syntax is [[:space:]], not [:space:]";
 * - sed: sed/compile.c bad_prog → `sed: -e expression #1, char N: …`;
 * - gawk: re.c make_regexp → `error("%s: /%s/")` for a constant, `fatal("invalid regexp: %s: /%s/")` for a dynamic one;
 * - bash: `[[ s =~ re ]]` returns 2 without a message when regcomp fails (execute_cmd.c).
 */
import { describe, expect, it } from 'vitest';
import { err, out, run, sim } from './helpers';

const STEPS = 'netlab: stopped after 1,000,000 steps: this command line would not end (press ↑ to edit it)\n';
const a = (n: number) => 'a'.repeat(n);

describe('hostile patterns finish with the right answer', () => {
  it("grep -E '(a+)+$' on 30 a's and a b (exponential for a backtracking engine)", () => {
    const s = sim({ 'a.txt': a(30) + 'b\n' + a(30) + '\n' });
    expect(run(s, "grep -E '(a+)+$' a.txt")).toEqual(out(a(30) + '\n'));
    expect(run(s, "grep -cE '(a|aa)+$' a.txt")).toEqual(out('1\n'));
    expect(run(s, "grep -E '^(a|a?)+b$' a.txt")).toEqual(out(a(30) + 'b\n'));
  });
  it('the same over a 100,000-character line', () => {
    const s = sim({ 'a.txt': a(100_000) + 'b\n' });
    expect(run(s, "grep -cE '(a+)+$' a.txt")).toEqual(out('0\n', 1));
    expect(run(s, "grep -cE '(a*)*b' a.txt")).toEqual(out('1\n'));
    expect(run(s, "awk '/(a+)+$/ { n++ } END { print n + 0 }' a.txt")).toEqual(out('0\n'));
    expect(run(s, "sed -E 's/(a|aa)+$/X/' a.txt | wc -c")).toEqual(out('100002\n'));
  });
  it('${v%%*x} and friends on 169 KB scan once', () => {
    const s = sim({ 'v.txt': a(169_000) });
    run(s, 'v=$(cat v.txt)');
    expect(run(s, 'y=${v%%*x}; echo ${#y}')).toEqual(out('169000\n'));
    expect(run(s, 'y=${v%*a}; echo ${#y}')).toEqual(out('168999\n'));
    expect(run(s, 'y=${v##*a}; echo ${#y}')).toEqual(out('0\n'));
    expect(run(s, 'y=${v#a*a}; echo ${#y}')).toEqual(out('168998\n'));
    expect(run(s, 'y=${v/a*b/X}; echo ${#y}')).toEqual(out('169000\n'));
    expect(run(s, 'case $v in *b*) echo b;; *a) echo a;; esac')).toEqual(out('a\n'));
    expect(run(s, '[[ $v == *[!a]* ]] || echo only-a')).toEqual(out('only-a\n'));
  });
  it('[[ =~ ]] with a nested quantifier', () => {
    const s = sim();
    expect(run(s, "s=$(printf 'a%.0s' {1..40})b; [[ $s =~ ^(a+)+$ ]]; echo $?")).toEqual(out('1\n'));
    expect(run(s, "s=$(printf 'a%.0s' {1..40}); [[ $s =~ ^(a+)+$ ]] && echo ${#BASH_REMATCH[1]}")).toEqual(out('40\n'));
  });
  it('a back-reference that would backtrack for ever is stopped by the line budget, and the shell answers', () => {
    const s = sim({ 'h.txt': a(25) + 'b' + a(30) + '\n' });
    expect(run(s, "grep -c '^\\(a*\\)*b\\1$' h.txt")).toEqual(err(STEPS, 130));
    expect(run(s, 'echo ok')).toEqual(out('ok\n'));
    // small inputs still get POSIX's answer
    expect(run(s, "echo 'aab aa' | grep -c '^\\(a*\\)*b \\1$'")).toEqual(out('1\n'));
    expect(run(s, "echo abcabc | sed 's/\\(abc\\)\\1/[\\1]/'")).toEqual(out('[abc]\n'));
  });
});

describe('POSIX leftmost-longest, as GNU tools match', () => {
  const s = sim();
  it.each([
    ["echo abcd | sed -E 's/a|ab/X/'", 'Xcd\n'],
    ["echo baaac | sed 's/a*/x/g'", 'xbxcx\n'],
    ["echo baaac | awk '{ gsub(/a*/, \"x\") } 1'", 'xbxcx\n'],
    ["echo 'foo bar' | awk '{ print match($0, /o+|o+ b/), RLENGTH }'", '2 4\n'],
    ["echo 'one two three' | grep -oE 't[a-z]+|tw'", 'two\nthree\n'],
    ["echo 'ab ab' | grep -ow 'ab'", 'ab\nab\n'],
    ["echo 'xab abx ab' | grep -ow 'ab'", 'ab\n'],
    ["echo 'aXbXc' | sed 's/x/-/2I'", 'aXb-c\n'],
    ["printf 'a\\nb\\n' | sed 'N;s/^b/B/M'", 'a\nB\n'],
    ["echo 'one two' | sed 's/\\<t/T/'", 'one Two\n'],
    ["echo 'one two' | awk '{ print ($0 ~ /\\ytwo\\y/) }'", '1\n'],
    ["echo '*ab' | grep -c '^*ab'", '1\n'],
    ["echo 'a{1' | grep -cE 'a{1'", '1\n'],
    ["echo 'x{1}' | grep -o '\\{1\\}'", '{1}\n'],
  ])('%s', (line, stdout) => {
    expect(run(s, line)).toEqual(out(stdout));
  });
});

describe('malformed patterns get the real tools’ errors', () => {
  const s = sim({ 'f.txt': 'x\n' });
  it.each([
    ["grep 'a\\(' f.txt", 'grep: Unmatched ( or \\(\n'],
    ["grep 'a\\)' f.txt", 'grep: Unmatched ) or \\)\n'],
    ["grep -E '(' f.txt", 'grep: Unmatched ( or \\(\n'],
    ["grep '[' f.txt", 'grep: Invalid regular expression\n'],
    ["grep '[a' f.txt", 'grep: Unmatched [, [^, [:, [., or [=\n'],
    ["grep '[[:alfa:]]' f.txt", 'grep: Invalid character class name\n'],
    ["grep '[z-a]' f.txt", 'grep: Invalid range end\n'],
    ["grep '\\(a\\)\\2' f.txt", 'grep: Invalid back reference\n'],
    ["grep 'a\\' f.txt", 'grep: Trailing backslash\n'],
    ["grep 'a\\{1' f.txt", 'grep: Unmatched \\{\n'],
    ["grep 'a\\{1,x\\}' f.txt", 'grep: Invalid content of \\{\\}\n'],
    ["grep 'a\\{3,1\\}' f.txt", 'grep: Invalid content of \\{\\}\n'],
    ["grep -E 'a{99999}' f.txt", 'grep: Regular expression too big\n'],
    ["grep '[:space:]' f.txt", 'grep: character class syntax is [[:space:]], not [:space:]\n'],
  ])('%s', (line, stderr) => {
    expect(run(s, line)).toEqual(err(stderr, 2));
  });
  it.each([
    ["sed 's/a\\(/x/' f.txt", "sed: -e expression #1, char 8: Unmatched ( or \\(\n"],
    ["sed -E 's/(a/x/' f.txt", "sed: -e expression #1, char 7: Unmatched ( or \\(\n"],
    ["sed -E 's/a)/x/' f.txt", "sed: -e expression #1, char 7: Unmatched ) or \\)\n"],
    ["sed 's/a**/x/' f.txt", "sed: -e expression #1, char 8: Invalid preceding regular expression\n"],
    ["sed -E 's/*a/x/' f.txt", "sed: -e expression #1, char 7: Invalid preceding regular expression\n"],
    ["sed '/[a/d' f.txt", "sed: -e expression #1, char 4: Unmatched [, [^, [:, [., or [=\n"],
    ["sed 's/\\1/x/' f.txt", "sed: -e expression #1, char 7: Invalid back reference\n"],
  ])('%s', (line, stderr) => {
    expect(run(s, line)).toEqual(err(stderr, 1));
  });
  it('gawk: a regexp constant is an error at parse time, a dynamic one is fatal', () => {
    expect(run(s, "awk '/(/' f.txt")).toEqual(err('awk: cmd. line:1: error: Unmatched ( or \\(: /(/\n', 1));
    expect(run(s, "awk '{ print ($0 ~ \"[a\") }' f.txt")).toEqual(err('awk: cmd. line:1: fatal: invalid regexp: Unmatched [, [^, [:, [., or [=: /[a/\n', 2));
  });
  it('bash: [[ =~ ]] with a regex that does not compile returns 2 silently', () => {
    expect(run(s, "r='('; [[ x =~ $r ]]; echo $?")).toEqual(out('2\n'));
    expect(run(s, "r='a{2,1}'; [[ x =~ $r ]]; echo $?")).toEqual(out('2\n'));
  });
});

describe('[[ … ]]', () => {
  const s = sim({ 'f.txt': 'x\n' });
  it.each([
    ['[[ abc =~ b ]] && echo yes', 'yes\n'],
    ["re='^([a-z]+)-([0-9]+)$'; [[ web-42 =~ $re ]] && echo \"${BASH_REMATCH[0]} ${BASH_REMATCH[1]} ${BASH_REMATCH[2]} ${#BASH_REMATCH[@]}\"", 'web-42 web 42 3\n'],
    ['[[ web-42 =~ ^(web|api)-[0-9]+$ ]] && echo $BASH_REMATCH', 'web-42\n'],
    ['[[ a.b =~ "." ]] && echo quoted-dot; [[ axb =~ "." ]] || echo literal', 'quoted-dot\nliteral\n'],
    ['[[ nope =~ x ]]; echo $? ${#BASH_REMATCH[@]}', '1 0\n'],
    ['x=abc; [[ $x == a* ]] && echo glob; [[ $x == "a*" ]] || echo quoted', 'glob\nquoted\n'],
    ['[[ $x != b* && -n $x ]] && echo and', 'and\n'],
    ['[[ ! -e nope || -f f.txt ]] && echo files', 'files\n'],
    ['[[ 3 -lt 10 && b > a ]] && echo compare', 'compare\n'],
    ['[[ 1+1 -eq 2 ]] && echo arith', 'arith\n'],
    ['v="a b"; [[ $v == "a b" ]] && echo no-splitting', 'no-splitting\n'],
    ['if [[ -d /etc ]]; then echo dir; fi', 'dir\n'],
  ])('%s', (line, stdout) => {
    expect(run(s, line)).toEqual(out(stdout));
  });
  it('set -x shows it with its operands expanded; BASH_REMATCH survives a snapshot', () => {
    // print_cmd.c xtrace_print_cond_term: one line per term evaluated
    expect(run(s, 'x=web-1; set -x; [[ $x =~ ^web && ! -z $x || -f nope ]]; [[ $y ]]; set +x')).toEqual(err('+ [[ web-1 =~ ^web ]]\n+ [[ ! -z web-1 ]]\n+ [[ -n \'\' ]]\n+ set +x\n', 0));
    run(s, '[[ ab12 =~ ([a-z]+)([0-9]+) ]]');
    const restored = (s.constructor as typeof import('../../../engine').Simulation).restore(JSON.parse(JSON.stringify(s.snapshot())));
    expect(run(restored, 'echo ${BASH_REMATCH[2]} ${#BASH_REMATCH[@]}')).toEqual(out('12 3\n'));
  });
  it('a malformed condition is a syntax error', () => {
    expect(run(s, '[[ ]]')).toEqual(err("bash: syntax error near unexpected token `]]'\n", 2));
  });
});

describe('parameter patterns', () => {
  const s = sim();
  it.each([
    ['v=abc.tar.gz; echo ${v%.*} ${v%%.*} ${v#*.} ${v##*.}', 'abc.tar abc tar.gz gz\n'],
    ['v=hello; echo ${v/l/L} ${v//l/L} ${v/#h/H} ${v/%o/O} ${v//x/y} ${v/l*/_}', 'heLlo heLLo Hello hellO hello he_\n'],
    ["v='a*b'; echo ${v#\"a*\"} ${v#a\\*} ${v#a*}", 'b b *b\n'],
    ['v=aaa; echo ${v//a/b} ${v//?/-} ${v//[!b]/c}', 'bbb --- ccc\n'],
    ['v=abcabc; echo ${v//b*c/X} ${v/#b/X} ${v/%c/X}', 'aX abcabc abcabX\n'],
    ['p="*.txt"; case foo.txt in $p) echo match;; esac; case x in "*") echo star;; *) echo any;; esac', 'match\nany\n'],
  ])('%s', (line, stdout) => {
    expect(run(s, line)).toEqual(out(stdout));
  });
});
