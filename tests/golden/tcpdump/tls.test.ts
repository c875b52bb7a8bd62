/**
 * curl over https as tcpdump 4.99.5 sees it: no TLS printer (port 443 is not decoded), so each
 * segment shows its TCP payload `length` (print-tcp.c). The records are TLS 1.3 as curl's
 * handshake has it (net/traffic/curl.ts tlsSession: TLS_AES_256_GCM_SHA384, X25519,
 * RSASSA-PSS) sized by RFC 8446's structures (tcpdump/wire.ts tlsFlights): the 517-byte
 * ClientHello record, the server's flight (ServerHello, ChangeCipherSpec, EncryptedExtensions,
 * Certificate from the chain the API server presents, CertificateVerify, Finished), the
 * client's ChangeCipherSpec and Finished, the request, two NewSessionTickets, the response,
 * curl's close_notify; with verification on and an untrusted chain, the client's alert
 * right after the server's flight (curl exit 60). -X shows the record headers (0x16 0x0301 for
 * the ClientHello, 0x17 0x0303 for encrypted records).
 */
import { describe, it } from 'vitest';
import { golden } from '../../unit/dns/golden';
import { cluster, type } from './scenario';

describe('tcpdump and TLS', () => {
  it('a curl to the API server over https: the handshake and application data records by their lengths', () => {
    const sim = cluster('calico');
    let s = '';
    for (const l of [
      'ssh node-1 tcpdump -nn -i calia7a3e029a7b tcp port 443 &',
      'kubectl exec client -- curl -sk -o /dev/null https://kubernetes.default',
      'kubectl exec client -- curl -s -o /dev/null https://kubernetes.default',
      'kill %1',
      'ssh node-1 tcpdump -nn -X -c 4 -i calia7a3e029a7b tcp port 443 &',
      'kubectl exec client -- curl -sk -o /dev/null https://kubernetes.default',
    ]) s += `$ ${l}\n` + type(sim, l);
    golden('tcpdump/tls.txt', s);
  });
});
