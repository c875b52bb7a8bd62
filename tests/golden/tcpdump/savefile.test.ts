/**
 * tcpdump -w / -r (savefiles in the host's filesystem) and the packet dumps -A, -X, -XX, -x,
 * whole transcripts pinned in tests/golden/tcpdump/*.txt.
 *
 * Sources (github.com/the-tcpdump-group/tcpdump tag tcpdump-4.99.5, libpcap tag
 * libpcap-1.10.5):
 * - tcpdump.c: with -w no "verbose output suppressed" line, only "tcpdump: listening on …";
 *   -v with -w prints print_packets_captured's "Got %u\r" once a second when the count
 *   changed; no putchar('\n') on interrupt when writing; info(1)'s statistics; -r prints
 *   "reading from file %s, link-type %s (%s), snapshot length %d" and, for DLT_LINUX_SLL2,
 *   "Warning: interface names might be incorrect"; pcap_loop's error as "%s: pcap_loop: %s"
 *   and exit 1 (S_ERR_HOST_PROGRAM);
 * - print-sll.c sll2_if_print: reading a cooked v2 file names each interface by its index
 *   through if_indextoname on the reading host;
 * - print.c pretty_print_packet and print-ascii.c: -X hex_and_ascii_print ("\n\t0x%04x: "
 *   shorts, two spaces, the ASCII column), -x hex_print, -A ascii_print (CRs before LF
 *   dropped); one flag from after the link header, doubled from the frame's first byte;
 * - libpcap sf-pcap.c: pcap_dump_open creates the file at once and writes the 24-byte header
 *   through stdio, pcap_dump one 16-byte record header and the frame per packet (fully
 *   buffered: glibc's 4096-byte buffer on a node, musl's 1024 in netshoot; -U flushes each
 *   packet); pcap_next_packet's "truncated dump file; tried to read %zu file header bytes,
 *   only got %zu"; savefile.c "unknown file format";
 * - file 5.41 (github.com/file/file tag FILE5_41) magic/Magdir/sniffer: "pcap capture file,
 *   microsecond ts (little-endian)", "- version %d.%d", "(Linux cooked v2", ", capture length
 *   %u)"; file.c's name, separator and padding;
 * - the bytes: RFC 791 (IPv4 header and checksum), RFC 793 (TCP, pseudo-header checksum;
 *   Linux's SYN options mss, sackOK, TS, nop, wscale), RFC 768 (UDP), RFC 1035 (DNS, name
 *   compression as CoreDNS's miekg/dns writes it), RFC 792 (ICMP: an error quotes the
 *   packet), RFC 7348 (VXLAN: flags 0x08, the VNI), pcap/sll.h (the cooked v2 header);
 *   curl 8.7.1's request (Host, User-Agent: curl/8.7.1, Accept "star slash star"); iputils ping's data
 *   (a struct timeval, then bytes 0x10…0x37); busybox 1.36 ping's (zeros, 4 bytes of
 *   monotonic_us()).
 */
import { describe, it } from 'vitest';
import { golden } from '../../unit/dns/golden';
import { cluster, type } from './scenario';

function transcript(cni: string, lines: string[]): string {
  const sim = cluster(cni);
  let s = '';
  for (const l of lines) s += `$ ${l}\n` + type(sim, l);
  return s;
}

describe('tcpdump -w and -r', () => {
  it('on a node: the file exists at once, grows in 4096-byte blocks as glibc flushes (a read stops at the cut record), reads back as the capture printed it', () => {
    golden(
      'tcpdump/savefile-node.txt',
      transcript('calico', [
        'ssh node-1 tcpdump -i any -nn -w cap.pcap port 80 &',
        'ssh node-1 ls -l cap.pcap',
        'kubectl exec client -- curl -s -o /dev/null web',
        'ssh node-1 ls -l cap.pcap',
        'ssh node-1 tcpdump -nn -r cap.pcap',
        'kubectl exec client -- curl -s -o /dev/null web',
        'ssh node-1 ls -l cap.pcap',
        'ssh node-1 tcpdump -nn -r cap.pcap',
        'kill %1',
        'ssh node-1 ls -l cap.pcap',
        'ssh node-1 cat cap.pcap',
        'ssh node-1 tcpdump -nn -r cap.pcap',
        'ssh node-1 tcpdump -r cap.pcap -nn -e -c 2 src port 80',
        'ssh node-1 tcpdump -nn -r cap.pcap -w two.pcap -c 2',
        'ssh node-1 ls -l',
        'ssh node-1 file cap.pcap two.pcap /root',
        'ssh node-1 ./cap.pcap',
        'ssh node-2 tcpdump -r cap.pcap',
        'ssh node-1 tcpdump -r /etc/hostname',
      ]),
    );
  });
  it('in a netshoot Pod: musl flushes when its 1024-byte buffer overflows, -v counts, -U writes each packet, -X reads a DNS exchange back', () => {
    golden(
      'tcpdump/savefile-netshoot.txt',
      transcript('calico', [
        'kubectl exec -it client -- bash',
        'tcpdump -i eth0 -nn -v -w /tmp/a.pcap &',
        'curl -s -o /dev/null web',
        'ls -l /tmp/a.pcap',
        'tcpdump -nn -r /tmp/a.pcap',
        'kill %1',
        'ls -l /tmp/a.pcap',
        'tcpdump -U -i eth0 -nn -w /tmp/u.pcap port 53 &',
        'nslookup nosuch',
        'ls -l /tmp/u.pcap',
        'tcpdump -r /tmp/u.pcap -X -c 2',
        'kill %1',
      ]),
    );
  });
});

describe('a savefile read elsewhere', () => {
  it('a node debugger Pod (the node\'s network namespace, its / at /host) reads node-1\'s savefile: the same interface names by index', () => {
    golden(
      'tcpdump/savefile-debug.txt',
      transcript('calico', [
        'ssh node-1 tcpdump -i any -nn -U -w cap.pcap icmp &',
        'kubectl exec client -- ping -c 1 10.244.0.67',
        'kubectl debug node/node-1 -it --image=nicolaka/netshoot',
        'ls -l /host/root/cap.pcap',
        'tcpdump -nn -e -r /host/root/cap.pcap',
        'exit',
        'kill %1',
      ]),
    );
  });
});

describe('tcpdump -A, -X, -XX, -x: the packets\' bytes', () => {
  it('-A in the client Pod: the DNS questions, curl\'s request and nginx\'s response as text', () => {
    golden('tcpdump/dump-A.txt', transcript('calico', ['kubectl exec -it client -- bash', 'tcpdump -i eth0 -nn -A &', 'curl -s -o /dev/null web', 'kill %1']));
  });
  it('-XX on node-1\'s eth0 (Calico: Ethernet, the IPIP outer header, the inner packet) and on any (the cooked v2 header)', () => {
    golden(
      'tcpdump/dump-XX-ipip.txt',
      transcript('calico', ['ssh node-1 tcpdump -nn -i eth0 -XX -c 2 &', 'ssh node-1 tcpdump -nn -i any -XX -c 2 tcp &', 'kubectl exec client -- curl -s -o /dev/null web']),
    );
  });
  it('-XX on node-1\'s eth0 (Flannel: the outer UDP to 8472 without a checksum, the VXLAN header, the inner Ethernet frame)', () => {
    golden('tcpdump/dump-XX-vxlan.txt', transcript('flannel', ['ssh node-1 tcpdump -nn -i eth0 -XX -c 3 &', 'kubectl exec client -- curl -s -o /dev/null web']));
  });
  it('-x and -X of pings (iputils\' timeval and 0x10…0x37; busybox\'s zeros) and of a REJECT\'s ICMP error quoting the SYN', () => {
    golden(
      'tcpdump/dump-icmp.txt',
      transcript('calico', [
        'ssh node-1 tcpdump -nn -i any -x icmp &',
        'kubectl exec client -- ping -c 1 10.96.0.10',
        'kill %1',
        'ssh node-1 tcpdump -nn -i any -X icmp &',
        'kubectl exec bb -- ping -c 1 192.168.49.3',
        'kubectl exec client -- curl -sS -m 1 -o /dev/null empty',
        'kill %1',
      ]),
    );
  });
});
