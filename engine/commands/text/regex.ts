/**
 * POSIX regular expressions (GNU flavour) translated to JavaScript: basic (grep, sed)
 * and extended (grep -E, sed -E, awk). Bracket expressions with [:classes:], BRE's
 * `\(` `\{` `\|` `\+` `\?`, GNU's `\<` `\>` `\w` `\b`. Errors carry GNU regcomp's texts.
 */
const CLASS: Record<string, string> = {
  alpha: 'A-Za-z', digit: '0-9', alnum: '0-9A-Za-z', upper: 'A-Z', lower: 'a-z', space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t', punct: '!-\\/:-@\\[-`{-~', print: ' -~', graph: '!-~', cntrl: '\\x00-\\x1f\\x7f', xdigit: '0-9A-Fa-f', word: '0-9A-Za-z_',
};

export type RegexResult = { ok: true; source: string } | { ok: false; error: string };

/** Reads a bracket expression starting at s[i] === '['; returns JS text and the index after it. */
function bracket(s: string, i: number): { text: string; end: number } | null {
  let j = i + 1;
  let out = '[';
  if (s[j] === '^') {
    out += '^';
    j++;
  }
  let first = true;
  while (j < s.length) {
    const c = s[j];
    if (c === ']' && !first) return { text: out + ']', end: j + 1 };
    first = false;
    if (c === '[' && (s[j + 1] === ':' || s[j + 1] === '.' || s[j + 1] === '=')) {
      const kind = s[j + 1];
      const close = s.indexOf(kind + ']', j + 2);
      if (close < 0) return null;
      const name = s.slice(j + 2, close);
      if (kind === ':') {
        if (!(name in CLASS)) return null;
        out += CLASS[name];
      } else out += name.replace(/[\]\\^-]/g, '\\$&');
      j = close + 2;
      continue;
    }
    if (c === '\\' || c === ']' || c === '[' || (c === '^' && out.length > 1)) out += '\\' + c;
    else out += c;
    j++;
  }
  return null;
}

export function translateRegex(re: string, extended: boolean): RegexResult {
  let out = '';
  let depth = 0;
  let atStart = true;
  for (let i = 0; i < re.length; i++) {
    const c = re[i];
    const startHere = atStart;
    atStart = false;
    if (c === '[') {
      const b = bracket(re, i);
      if (!b) return { ok: false, error: 'Unmatched [, [^, [:, [., or [=' };
      out += b.text;
      i = b.end - 1;
      continue;
    }
    if (c === '\\') {
      const e = re[i + 1];
      i++;
      if (e === undefined) return { ok: false, error: 'Trailing backslash' };
      if (!extended && '(){}|+?'.includes(e)) {
        if (e === '(') {
          depth++;
          out += '(';
          atStart = true;
        } else if (e === ')') {
          if (depth === 0) return { ok: false, error: 'Unmatched ) or \\)' };
          depth--;
          out += ')';
        } else if (e === '|') {
          out += '|';
          atStart = true;
        } else out += e;
        continue;
      }
      if (e === '<') out += '\\b(?=\\w)';
      else if (e === '>') out += '\\b(?<=\\w)';
      else if (e === '`') out += '^';
      else if (e === "'") out += '$';
      else if (/[wWsSbB1-9]/.test(e)) out += '\\' + e;
      else if (e === 'n') out += '\\n';
      else if (e === 't') out += 't';
      else out += '\\' + (/[A-Za-z0-9]/.test(e) ? e : e);
      continue;
    }
    if (extended) {
      if (c === '(') {
        depth++;
        out += '(';
        atStart = true;
        continue;
      }
      if (c === ')') {
        if (depth === 0) {
          out += '\\)';
          continue;
        }
        depth--;
        out += ')';
        continue;
      }
      if (c === '|') {
        out += '|';
        atStart = true;
        continue;
      }
      if (c === '{') {
        if (!/^\{\d*(,\d*)?\}/.test(re.slice(i))) {
          out += '\\{';
          continue;
        }
      }
      if ((c === '*' || c === '+' || c === '?') && startHere) {
        out += '\\' + c;
        continue;
      }
      if (c === '^' || c === '$' || c === '.' || c === '*' || c === '+' || c === '?' || c === '{' || c === '}') {
        out += c;
        if (c === '^') atStart = true;
        continue;
      }
    } else {
      if ('(){}|+?'.includes(c)) {
        out += '\\' + c;
        continue;
      }
      if (c === '*' && startHere) {
        out += '\\*';
        continue;
      }
      if (c === '^') {
        if (startHere) {
          out += '^';
          atStart = true;
        } else out += '\\^';
        continue;
      }
      if (c === '$') {
        const rest = re.slice(i + 1);
        out += rest === '' || rest.startsWith('\\)') || rest.startsWith('\\|') ? '$' : '\\$';
        continue;
      }
    }
    if (c === '/') {
      out += '\\/';
      continue;
    }
    out += c;
  }
  if (depth > 0) return { ok: false, error: 'Unmatched ( or \\(' };
  try {
    new RegExp(out);
  } catch {
    return { ok: false, error: 'Invalid preceding regular expression' };
  }
  return { ok: true, source: out };
}

export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
