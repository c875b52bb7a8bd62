/**
 * ipcalc — busybox 1.36's applet (networking/ipcalc.c, FEATURE_IPCALC_FANCY and long options
 * as defconfig and Alpine build it): a pure function of its arguments. ADDRESS[/PREFIX]
 * [NETMASK]; without a netmask the classful one (get_netmask: A, B or C by the top bits).
 * Prints in a fixed order NETMASK=, BROADCAST=, NETWORK=, PREFIX=, HOSTNAME= for -m, -b, -n,
 * -p, -h. Without -b, -n or -p, a second argument or no option at all is a usage error
 * (bb_show_usage, exit 1). -h resolves the address as gethostbyaddr does: /etc/hosts, then a
 * PTR question to the nameserver;
 * -s silences the error messages, not the usage.
 */
import type { RunResult } from '../../../types';
import type { CommandContext, CommandSpec } from '../../../shell/command';
import { formatIPv4, prefixMask } from '../../../cluster/ipv4';
import { bbUsage, inetAton } from './busybox';

const USAGE = bbUsage(
  'ipcalc',
  '[-bnmphs] ADDRESS[/PREFIX] [NETMASK]',
  'Calculate and display network settings from IP address\n\n\t-b\tBroadcast address\n\t-n\tNetwork address\n\t-m\tDefault netmask for IP\n\t-p\tPrefix for IP/NETMASK\n\t-h\tResolved host name\n\t-s\tNo error messages',
);

const LONG: Record<string, string> = { netmask: 'm', broadcast: 'b', network: 'n', prefix: 'p', hostname: 'h', silent: 's' };

function classful(ip: number): number {
  if ((ip & 0xc0000000) >>> 0 === 0xc0000000) return 0xffffff00;
  if ((ip & 0x80000000) >>> 0 === 0x80000000) return 0xffff0000;
  return 0xff000000;
}

/** get_prefix: the count of set bits (a non-contiguous netmask counts every one). */
function bits(n: number): number {
  let c = 0;
  for (let m = 0x80000000; m; m = m >>> 1) if ((n & m) >>> 0) c++;
  return c;
}

export function runIpcalc(args: string[], reverse?: (ip: string) => string | undefined): RunResult {
  const opts = new Set<string>();
  const operands: string[] = [];
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      i++;
      break;
    }
    if (a.startsWith('--') && a.length > 2) {
      const name = a.slice(2);
      const hits = Object.keys(LONG).filter((k) => k.startsWith(name));
      const exact = LONG[name];
      if (!exact && hits.length !== 1) {
        const msg = hits.length > 1 ? `ipcalc: option '${a}' is ambiguous; possibilities:${hits.map((h) => ` '--${h}'`).join('')}\n` : `ipcalc: unrecognized option '${a}'\n`;
        return { stdout: '', stderr: msg + USAGE, exitCode: 1 };
      }
      opts.add(exact ?? LONG[hits[0]]);
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (const c of a.slice(1)) {
        if (!'mbnphs'.includes(c)) return { stdout: '', stderr: `ipcalc: invalid option -- '${c}'\n${USAGE}`, exitCode: 1 };
        opts.add(c);
      }
      continue;
    }
    operands.push(a);
  }
  operands.push(...args.slice(i));
  if (operands.length < 1 || operands.length > 2) return { stdout: '', stderr: USAGE, exitCode: 1 };
  const silent = opts.has('s');
  const die = (msg: string): RunResult => ({ stdout: '', stderr: silent ? '' : `ipcalc: ${msg}\n`, exitCode: 1 });
  if (!opts.has('b') && !opts.has('n') && !opts.has('p')) {
    const real = [...opts].filter((o) => o !== 's');
    if (!real.length || operands[1] !== undefined) return { stdout: '', stderr: USAGE, exitCode: 1 };
  }
  let ipstr = operands[0];
  let netmask: number | undefined;
  const slash = ipstr.indexOf('/');
  if (slash >= 0) {
    const pre = ipstr.slice(slash + 1);
    ipstr = ipstr.slice(0, slash);
    if (pre !== '') {
      // xatoul_range(prefixstr, 0, 32)
      if (!/^\d+$/.test(pre)) return die(`invalid number '${pre}'`);
      if (Number(pre) > 32) return die(`number ${pre} is not in 0..32 range`);
      netmask = prefixMask(Number(pre));
    }
  }
  const ip = inetAton(ipstr);
  if (ip === undefined) return die(`bad IP address: ${operands[0]}`);
  if (operands[1] !== undefined) {
    if (netmask !== undefined) return die('use prefix or netmask, not both');
    const m = inetAton(operands[1]);
    if (m === undefined) return die(`bad netmask: ${operands[1]}`);
    netmask = m;
  } else if (netmask === undefined) netmask = classful(ip);
  let out = '';
  if (opts.has('m')) out += `NETMASK=${formatIPv4(netmask)}\n`;
  if (opts.has('b')) out += `BROADCAST=${formatIPv4(((ip & netmask) | ~netmask) >>> 0)}\n`;
  if (opts.has('n')) out += `NETWORK=${formatIPv4((ip & netmask) >>> 0)}\n`;
  if (opts.has('p')) out += `PREFIX=${bits(netmask)}\n`;
  if (opts.has('h')) {
    const name = reverse?.(formatIPv4(ip));
    // bb_herror_msg_and_die: the message, then hstrerror(h_errno) (HOST_NOT_FOUND: "Unknown host")
    if (!name) return { stdout: out, stderr: silent ? '' : `ipcalc: can't find hostname for ${operands[0].split('/')[0]}: Unknown host\n`, exitCode: 1 };
    out += `HOSTNAME=${name.toLowerCase()}\n`;
  }
  return { stdout: out, stderr: '', exitCode: 0 };
}

export const ipcalcCommand: CommandSpec = {
  name: 'ipcalc',
  summary: 'calculate IP network settings',
  run(args: string[], ctx: CommandContext): RunResult {
    // gethostbyaddr: a PTR question to the host's nameserver (CoreDNS answers Services' and Pods' addresses)
    return runIpcalc(args, (ip) => {
      // nsswitch "hosts: files dns": /etc/hosts first (a Pod's own address is there under its hostname)
      for (const line of (ctx.cluster.fs.read(ctx.host, '/etc/hosts') ?? '').split('\n')) {
        const [addr, name] = line.replace(/#.*/, '').trim().split(/\s+/);
        if (addr === ip && name) return name;
      }
      const r = ctx.cluster.resolver.resolve(ctx.host, ip, { type: 'PTR' });
      return r.queries.flatMap((q) => q.answers ?? []).find((a) => a.type === 'PTR')?.data.replace(/\.$/, '');
    });
  },
};
