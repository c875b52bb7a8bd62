/**
 * conntrack (conntrack-tools 1.4.6, Ubuntu 22.04's, over libnetfilter_conntrack 1.0.9) on the
 * nodes, over each node's table as the walk fills it.
 *
 * Sources (tags conntrack-tools-1.4.6 and libnetfilter_conntrack-1.0.9):
 *   - src/conntrack.c: getopt_str and original_opts; add_command ("Invalid commands
 *     combination"), check_type ("unknown type"), commands_v_options through
 *     generic_opt_check ("Illegal option `--%s' with this command", "you have to specify
 *     `--src' and `--dst'"), nfct_parse_addr_from_opt ("Invalid IP address", "CIDR notation
 *     unavailable for `--reply-src'"), findproto (an unknown name is atoi's protocol 0),
 *     parse_parameter ("Bad parameter"), the any-nat check, exit_error + exit_tryhelp (status
 *     2), exit_msg's counters on stderr (status 1 when -D found nothing), filter_nat,
 *     filter_mark, the -E loop and event_sighandler's "%d flow events have been shown.",
 *     `[%-.8ld.%-.6ld]\t` for -o timestamp, nfct_stats_cb's `cpu=%-4u\t` and `%s=%u ` pairs;
 *   - extensions/libct_proto_tcp.c: --sport, --dport, --reply-port-src/-dst and --state only after -p tcp,
 *     "unknown TCP state";
 *   - src/conntrack/snprintf_default.c: `%9s ` event type, `%-8s %u ` protocol, timeout, TCP
 *     state, tuples, [UNREPLIED], [ASSURED], mark, use, id; -o extended's `ipv4     2 `;
 *   - src/conntrack/snprintf_xml.c: `<flow>`, the three `<meta>`, `<id>` always.
 *   - src/conntrack.c CT_CREATE (NFCT_SOPT_SETUP_REPLY, the mark, nfct_query NFCT_Q_CREATE) and
 *     update_cb (filter_nat/filter_network, nfct_cmp on the tuples, copy_mark's
 *     `(mark & ~mask) ^ value`, copy_status's OR, "do not send NFCT_Q_UPDATE if ct appears
 *     unchanged", print_cb of the entry read back); exit_msg's "%d flow entries have been
 *     created." / "updated."; err2str's "Such conntrack exists, try -U to update" and
 *     "invalid parameters"; commands_v_options' CT_CREATE row ("You need to supply the
 *     `--timeout' option for this command") and EXP_CREATE's;
 *   - extensions/libct_proto_tcp.c CT_CREATE row ({3,3,3,3,0,0,1}: --state compulsory),
 *     libct_proto_udp.c's, libct_proto_icmp.c's ({1,1,2}: --icmp-type, --icmp-code);
 *   - the kernel (5.15 nf_conntrack_netlink.c ctnetlink_create_conntrack, ctnetlink_setup_nat;
 *     nf_nat_core.c nf_nat_inet_fn): an entry made by hand is unreplied unless -u SEEN_REPLY,
 *     its --dst-nat is the reply tuple's source, and a packet on its original tuple reuses
 *     that binding without consulting the nat table.
 * Events as the 5.15 kernel's ctnetlink_conntrack_event sends them: NEW, one UPDATE per TCP
 * state change (tcp_conntracks: SYN_SENT, SYN_RECV, ESTABLISHED + ASSURED, FIN_WAIT,
 * LAST_ACK, TIME_WAIT), DESTROY without timeout or state; the mark only when set.
 */
import { describe, it } from 'vitest';
import { golden } from '../../unit/dns/golden';
import { cluster, type } from '../tcpdump/scenario';

function transcript(lines: string[]): string {
  const sim = cluster('calico');
  let s = '';
  for (const l of lines) s += `$ ${l}\n` + type(sim, l);
  return s;
}

describe('conntrack 1.4.6', () => {
  it('-E streams the events of the connections the walk makes on each node, until Ctrl+C or kill', () => {
    golden('conntrack/events.txt', transcript([
      'ssh node-1 conntrack -E -p tcp --dport 80 &',
      'ssh node-2 conntrack -E -o timestamp,id &',
      'kubectl exec client -- curl -s -o /dev/null web',
      'kubectl exec bb -- nslookup web',
      'sleep 130',
      'kill %1 %2',
      'ssh node-1 conntrack -E -e NEW -o xml -p tcp &',
      'kubectl exec client -- curl -s -o /dev/null web',
      'kill %1',
    ]));
  });

  it('lists, filters, gets and deletes entries; -o extended,id and xml; -S and -C', () => {
    golden('conntrack/list.txt', transcript([
      'kubectl exec client -- curl -s -o /dev/null web',
      'kubectl exec client -- curl -s -o /dev/null 10.244.0.67',
      'ssh node-1 conntrack -L -p tcp --dport 80',
      'ssh node-1 conntrack -L -p tcp --dport 80 -o extended,id',
      'ssh node-1 conntrack -L -g',
      'ssh node-1 conntrack -L -g 10.244.0.67 -p tcp',
      'ssh node-1 conntrack -L -g 10.244.0.67:80 -p tcp',
      'ssh node-1 conntrack -L -n',
      'ssh node-1 conntrack -L --any-nat -p tcp --dport 443',
      'ssh node-1 conntrack -L -s 10.244.0.0/24 -p tcp --state TIME_WAIT',
      'ssh node-1 conntrack -L -r 10.244.0.67 -u SEEN_REPLY,ASSURED',
      'ssh node-1 conntrack -L -m 1',
      'ssh node-1 conntrack -L -p tcp -d 10.244.0.67 -o xml',
      'ssh node-1 conntrack -L -p foo',
      'ssh node-1 conntrack -L dying',
      'ssh node-1 conntrack -L expect',
      'ssh node-1 conntrack -S',
      'ssh node-1 conntrack -C',
      'ssh node-1 conntrack -G -p tcp -s 10.244.0.3 -d 10.244.0.67 --sport 1 --dport 80',
      'ssh node-1 conntrack -G -p tcp -s 10.244.0.3 -d 10.244.0.67 --sport 45638 --dport 80',
      'ssh node-1 conntrack -D -p tcp -d 10.244.0.67',
      'ssh node-1 conntrack -D -p tcp -d 10.244.0.67',
      'ssh node-1 conntrack -C',
    ]));
  });

  it('-I creates entries, -U updates them, and the walk reuses an entry\'s NAT binding', () => {
    golden('conntrack/create-update.txt', transcript([
      'kubectl get svc web',
      'ssh node-1 conntrack -E -o id &',
      // a stale entry: the connection on this tuple is bound to a Pod address nobody holds
      'ssh node-1 conntrack -I -p tcp -s 10.244.0.3 -d 10.110.1.210 --sport 40000 --dport 80 --state ESTABLISHED -t 300 -u SEEN_REPLY,ASSURED --dst-nat 10.244.0.99:80',
      'ssh node-1 conntrack -I -p tcp -s 10.244.0.3 -d 10.110.1.210 --sport 40000 --dport 80 --state ESTABLISHED -t 300',
      'kubectl exec client -- nc -zv -w 2 -p 40000 web 80',
      'kubectl exec client -- nc -zv -w 2 -p 40001 web 80',
      'ssh node-1 conntrack -L -p tcp --sport 40000',
      'ssh node-1 conntrack -D -p tcp --sport 40000 -d 10.110.1.210',
      'kubectl exec client -- nc -zv -w 2 -p 40000 web 80',
      'ssh node-1 conntrack -I -p udp -s 10.244.0.3 -d 10.96.0.10 --sport 5353 --dport 53 -t 30 -m 0x10',
      'ssh node-1 conntrack -I -p icmp -s 10.244.0.3 -d 10.244.0.67 -t 30 --icmp-type 8 --icmp-code 0 --icmp-id 7',
      'ssh node-1 conntrack -U -p udp --sport 5353 -m 0x1/0x1 -t 60',
      'ssh node-1 conntrack -U -p udp --sport 5353 -m 0x1/0x1 -t 60',
      'ssh node-1 conntrack -U -s 10.244.0.3 -p icmp -u ASSURED -o extended',
      'ssh node-1 conntrack -L -s 10.244.0.3 -m 0x10/0x10',
      'kill %1',
      'ssh node-1 conntrack -I -p tcp -s 10.244.0.3 -d 10.110.1.210 --sport 1 --dport 80 -t 30',
      'ssh node-1 conntrack -I -p tcp -s 10.244.0.3 -d 10.110.1.210 --dport 80 --state SYN_SENT -t 30',
      'ssh node-1 conntrack -I -p udp -s 10.244.0.3 --sport 1 --dport 53 -t 30',
      'ssh node-1 conntrack -I -p udp -s 10.244.0.3 -d 10.96.0.10 --sport 1 --dport 53',
      'ssh node-1 conntrack -I -p udp -s 10.244.0.3 -d 10.96.0.10 --sport 1 --dport 53 -t 30 -f ipv4',
      'ssh node-1 conntrack -I -p icmp -s 10.244.0.3 -d 10.96.0.10 -t 30 --icmp-type 8',
      'ssh node-1 conntrack -I -p icmp -s 10.244.0.3 -d 10.96.0.10 -t 30 --icmp-type 3 --icmp-code 1',
      'ssh node-1 conntrack -I -p udp -s 10.244.0.3 -d 10.96.0.10 --sport 1 --dport 53 -t 30 -z',
      'ssh node-1 conntrack -U -p tcp --sport 9 -t 10',
      'ssh node-1 conntrack -U -z',
      'ssh node-1 conntrack -U expect',
      'ssh node-1 conntrack -I expect -p tcp -s 10.244.0.3 -d 10.96.0.10',
      'kubectl exec client -- nc -zv -p http web 80',
      'kubectl exec bb -- nc -zv -p http web 80',
    ]));
  });

  it('errors as conntrack.c prints them, with the help line and status 2', () => {
    golden('conntrack/errors.txt', transcript([
      'ssh node-1 conntrack -L --dport 80',
      'ssh node-1 conntrack -L -D',
      'ssh node-1 conntrack -F -p tcp',
      'ssh node-1 conntrack -L -r 10.0.0.0/8',
      'ssh node-1 conntrack -L -s 10.0.0.300',
      'ssh node-1 conntrack -L -s 10.0.0.1 -d fd00::1',
      'ssh node-1 conntrack -L -s 10.0.0.0/33',
      'ssh node-1 conntrack -L -p tcp --state OPEN',
      'ssh node-1 conntrack -L -p udp --state ESTABLISHED',
      'ssh node-1 conntrack -L -u ASSURED,BOGUS,SEEN',
      'ssh node-1 conntrack -L -u SRC_NAT -p tcp --dport 80',
      'ssh node-1 conntrack -L -o json',
      'ssh node-1 conntrack -L -j -n',
      'ssh node-1 conntrack -L -g 10.0.0.1:',
      'ssh node-1 conntrack -L table',
      'ssh node-1 conntrack -D dying',
      'ssh node-1 conntrack -G -p tcp -s 10.0.0.1',
      'ssh node-1 conntrack -G -p tcp -s 10.0.0.1 -d 10.0.0.2',
      'ssh node-1 conntrack -L -p -1',
      'ssh node-1 conntrack -L -x',
      'ssh node-1 conntrack -L -s',
      'ssh node-1 conntrack -V',
      'kubectl exec client -- conntrack -L',
    ]));
  });
});
