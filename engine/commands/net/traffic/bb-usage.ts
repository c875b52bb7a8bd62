/**
 * The usage texts of busybox 1.36.1's network applets, as bb_show_usage prints them for
 * `APPLET --help` (exit 0, libbb/appletlib.c run_applet_no_and_exit: "Make "foo --help [...]"
 * exit with 0") and after a bad option (exit 1): the banner, `Usage: NAME TRIVIAL`, the full
 * usage. Each text is the applet's `//usage:` lines under docker-library's busybox:1.36
 * defconfig (FEATURE_FANCY_PING and PING6; WGET_LONG_OPTIONS and WGET_TIMEOUT, not
 * WGET_OPENSSL; NC_110_COMPAT with NC_SERVER and NC_EXTRA).
 */
import { bbUsage } from '../host/busybox';

/** networking/ping.c ping_trivial_usage / ping_full_usage (FEATURE_FANCY_PING, IF_PING6). */
export const BB_PING_USAGE = bbUsage(
  'ping',
  '[OPTIONS] HOST',
  'Send ICMP ECHO_REQUESTs to HOST\n' +
    '\n\t-4,-6\t\tForce IP or IPv6 name resolution' +
    '\n\t-c CNT\t\tSend only CNT pings' +
    '\n\t-s SIZE\t\tSend SIZE data bytes in packets (default 56)' +
    '\n\t-i SECS\t\tInterval' +
    '\n\t-A\t\tPing as soon as reply is received' +
    '\n\t-t TTL\t\tSet TTL' +
    '\n\t-I IFACE/IP\tSource interface or IP address' +
    '\n\t-W SEC\t\tSeconds to wait for the first response (default 10)' +
    '\n\t\t\t(after all -c CNT packets are sent)' +
    '\n\t-w SEC\t\tSeconds until ping exits (default:infinite)' +
    '\n\t\t\t(can exit earlier with -c CNT)' +
    '\n\t-q\t\tQuiet, only display output at start/finish' +
    '\n\t-p HEXBYTE\tPayload pattern',
);

/** networking/wget.c wget_trivial_usage / wget_full_usage (WGET_LONG_OPTIONS, WGET_TIMEOUT; no WGET_OPENSSL). */
export const BB_WGET_USAGE = bbUsage(
  'wget',
  '[-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[-P DIR] [-U AGENT] [-T SEC] URL...',
  'Retrieve files via HTTP or FTP\n' +
    '\n\t--spider\tOnly check URL existence: $? is 0 if exists' +
    "\n\t--header STR\tAdd STR (of form 'header: value') to headers" +
    '\n\t--post-data STR\tSend STR using POST method' +
    '\n\t--post-file FILE\tSend FILE using POST method' +
    '\n\t-c\t\tContinue retrieval of aborted transfer' +
    '\n\t-q\t\tQuiet' +
    '\n\t-P DIR\t\tSave to DIR (default .)' +
    '\n\t-S    \t\tShow server response' +
    '\n\t-T SEC\t\tNetwork read timeout is SEC seconds' +
    "\n\t-O FILE\t\tSave to FILE ('-' for stdout)" +
    '\n\t-o LOGFILE\tLog messages to FILE' +
    '\n\t-U STR\t\tUse STR for User-Agent header' +
    '\n\t-Y on/off\tUse proxy',
);

/** networking/nc_bloaty.c nc_trivial_usage / nc_full_usage (NC_110_COMPAT, NC_SERVER, NC_EXTRA). */
export const BB_NC_USAGE = bbUsage(
  'nc',
  '[OPTIONS] HOST PORT  - connect\nnc [OPTIONS] -l -p PORT [HOST] [PORT]  - listen',
  '\t-e PROG\tRun PROG after connect (must be last)' +
    '\n\t-l\tListen mode, for inbound connects' +
    '\n\t-lk\tWith -e, provides persistent server' +
    '\n\t-p PORT\tLocal port' +
    '\n\t-s ADDR\tLocal address' +
    '\n\t-w SEC\tTimeout for connects and final net reads' +
    '\n\t-i SEC\tDelay interval for lines sent' +
    "\n\t-n\tDon't do DNS resolution" +
    '\n\t-u\tUDP mode' +
    '\n\t-b\tAllow broadcasts' +
    '\n\t-v\tVerbose' +
    '\n\t-o FILE\tHex dump traffic' +
    '\n\t-z\tZero-I/O mode (scanning)',
);

/**
 * Splits getopt's attached short-option values (`-c1` → `-c 1`, `-qc1` → `-q -c 1`) for the
 * option letters in `withArg`, as getopt(3) and busybox's getopt32 read them; long options
 * and operands pass through.
 */
export function splitShortOptions(args: string[], withArg: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      out.push(...args.slice(i));
      break;
    }
    if (!a.startsWith('-') || a.startsWith('--') || a.length < 2) {
      out.push(a);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      out.push(`-${c}`);
      if (withArg.includes(c)) {
        const rest = a.slice(j + 1);
        if (rest) out.push(rest);
        else if (i + 1 < args.length) out.push(args[++i]);
        break;
      }
    }
  }
  return out;
}
