/** `date` on the virtual clock (coreutils src/date.c; default format `%a %b %e %H:%M:%S %Z %Y`). */
import type { CommandSpec } from '../../shell/command';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const DAYS_LONG = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTHS_LONG = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const p2 = (n: number) => String(n).padStart(2, '0');

/** strftime in UTC (the simulated machines all run in UTC). */
export function strftime(fmt: string, ms: number): string {
  const d = new Date(ms);
  const Y = d.getUTCFullYear(), m = d.getUTCMonth(), day = d.getUTCDate(), H = d.getUTCHours(), M = d.getUTCMinutes(), S = d.getUTCSeconds(), w = d.getUTCDay();
  const yday = Math.floor((Date.UTC(Y, m, day) - Date.UTC(Y, 0, 1)) / 86400000) + 1;
  let out = '';
  for (let i = 0; i < fmt.length; i++) {
    if (fmt[i] !== '%' || i + 1 >= fmt.length) {
      out += fmt[i];
      continue;
    }
    const c = fmt[++i];
    switch (c) {
      case 'a': out += DAYS[w]; break;
      case 'A': out += DAYS_LONG[w]; break;
      case 'b': case 'h': out += MONTHS[m]; break;
      case 'B': out += MONTHS_LONG[m]; break;
      case 'c': out += `${DAYS[w]} ${MONTHS[m]} ${String(day).padStart(2, ' ')} ${p2(H)}:${p2(M)}:${p2(S)} ${Y}`; break;
      case 'C': out += p2(Math.floor(Y / 100)); break;
      case 'd': out += p2(day); break;
      case 'D': out += `${p2(m + 1)}/${p2(day)}/${p2(Y % 100)}`; break;
      case 'e': out += String(day).padStart(2, ' '); break;
      case 'F': out += `${Y}-${p2(m + 1)}-${p2(day)}`; break;
      case 'H': out += p2(H); break;
      case 'I': out += p2(H % 12 === 0 ? 12 : H % 12); break;
      case 'j': out += String(yday).padStart(3, '0'); break;
      case 'k': out += String(H).padStart(2, ' '); break;
      case 'm': out += p2(m + 1); break;
      case 'M': out += p2(M); break;
      case 'n': out += '\n'; break;
      case 'N': out += String((ms % 1000) * 1000000).padStart(9, '0'); break;
      case 'p': out += H < 12 ? 'AM' : 'PM'; break;
      case 'R': out += `${p2(H)}:${p2(M)}`; break;
      case 's': out += String(Math.floor(ms / 1000)); break;
      case 'S': out += p2(S); break;
      case 't': out += '\t'; break;
      case 'T': out += `${p2(H)}:${p2(M)}:${p2(S)}`; break;
      case 'u': out += String(w === 0 ? 7 : w); break;
      case 'w': out += String(w); break;
      case 'y': out += p2(Y % 100); break;
      case 'Y': out += String(Y); break;
      case 'z': out += '+0000'; break;
      case 'Z': out += 'UTC'; break;
      case '%': out += '%'; break;
      default: out += '%' + c;
    }
  }
  return out;
}

export const date: CommandSpec = {
  name: 'date',
  summary: 'print the system date and time',
  run(args, ctx) {
    const now = ctx.cluster.clock.now();
    let fmt = '%a %b %e %H:%M:%S %Z %Y';
    for (const a of args) {
      if (a.startsWith('+')) fmt = a.slice(1);
      else if (a === '-u' || a === '--utc' || a === '--universal') continue;
      else if (a === '-R' || a === '--rfc-email') fmt = '%a, %d %b %Y %H:%M:%S +0000';
      else if (a === '-I' || a === '--iso-8601' || a === '--iso-8601=date') fmt = '%F';
      else if (a === '--iso-8601=seconds' || a === '-Iseconds') fmt = '%FT%T+00:00';
      else if (a.startsWith('--')) return { stdout: '', stderr: `date: unrecognized option '${a}'\nTry 'date --help' for more information.\n`, exitCode: 1 };
      else if (a.startsWith('-')) return { stdout: '', stderr: `date: invalid option -- '${a[1]}'\nTry 'date --help' for more information.\n`, exitCode: 1 };
      else return { stdout: '', stderr: `date: invalid date '${a}'\n`, exitCode: 1 };
    }
    return { stdout: strftime(fmt, now) + '\n', stderr: '', exitCode: 0 };
  },
};
