/**
 * Pattern matching that cannot freeze the tab: POSIX regular expressions (grep, sed,
 * awk, bash `=~`), shell patterns (`case`, globs, `${v#pat}`), and lesson authors'
 * JavaScript-syntax patterns, all in linear time — with a budgeted backtracker only for
 * back-references. See README.md.
 */
export { Regex, RegexStepLimit, literalNode, type Span, type RegexOptions } from './regex';
export { RegexTooComplex, type Meter } from './backtrack';
export { parsePosix, misusedClass, RegexSyntaxError, REG_ERRORS, type Dialect } from './posix';
export { Glob } from './glob';
export { compileJsPattern, matchPrefixPattern, PatternError, type LinearPattern } from './js';
export { hasNode, type Node } from './ast';
