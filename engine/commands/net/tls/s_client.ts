/**
 * `openssl s_client -connect HOST:PORT [-servername NAME] [-showcerts] [-CAfile F]`
 * (apps/s_client.c print_stuff, openssl 3.0): connect through the packet's walk, take
 * the chain the server presents for the SNI name, verify it against -CAfile (the
 * workstation's store holds no lab CA), and print the session summary. Stdin is
 * /dev/null or Ctrl+D: the connection closes right after the handshake (DONE).
 */
import type { CommandContext } from '../../../shell/command';
import type { CommandOutcome } from '../../../types';
import { tlsConnect } from '../traffic/http';
import { pathOf } from '../../text/util';
import { pemBlocks, pemEncode } from '../../../tls/pem';
import { verifyChain } from '../../../tls/verify';
import { nameOneline, parseCertificate, type Certificate } from '../../../tls/x509';
import { DerError } from '../../../tls/der';
import { asn1Time } from '../../../tls/text';
import { isDottedQuad } from '../../../cluster/ipv4';
import { threadId } from './errqueue';

/** Every certificate in a PEM bundle (a CA file). */
export function readBundle(text: string): Certificate[] {
  const out: Certificate[] = [];
  for (const b of pemBlocks(text)) {
    if (b.label !== 'CERTIFICATE' && b.label !== 'TRUSTED CERTIFICATE') continue;
    try {
      out.push(parseCertificate(b.der));
    } catch (e) {
      if (!(e instanceof DerError)) throw e;
    }
  }
  return out;
}

function chainEntry(i: number, c: Certificate): string {
  return `${String(i).padStart(2)} s:${nameOneline(c.subject)}\n   i:${nameOneline(c.issuer)}\n   a:PKEY: rsaEncryption, ${c.publicKey.bits} (bit); sigalg: RSA-SHA256\n   v:NotBefore: ${asn1Time(c.notBefore)}; NotAfter: ${asn1Time(c.notAfter)}\n`;
}

export function opensslSClient(ctx: CommandContext, args: string[]): CommandOutcome {
  let connectTo: string | undefined;
  let servername: string | undefined;
  let noServername = false;
  let showcerts = false;
  let cafile: string | undefined;
  let brief = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i].replace(/^--?/, '-');
    const need = () => (i + 1 < args.length ? args[++i] : undefined);
    if (a === '-connect' || a === '-servername' || a === '-CAfile') {
      const v = need();
      if (v === undefined) return { stdout: '', stderr: `s_client: Option ${a} needs a value\ns_client: Use -help for summary.\n`, exitCode: 1 };
      if (a === '-connect') connectTo = v;
      else if (a === '-servername') servername = v;
      else cafile = v;
    } else if (a === '-showcerts') showcerts = true;
    else if (a === '-noservername') noServername = true;
    else if (a === '-brief') brief = true;
    else if (a === '-quiet' || a === '-tls1_2' || a === '-tls1_3' || a === '-crlf') continue;
    else if (!a.startsWith('-')) connectTo ??= args[i];
    else return { stdout: '', stderr: `s_client: Unknown option: ${args[i]}\ns_client: Use -help for summary.\n`, exitCode: 1 };
  }
  const target = connectTo ?? 'localhost:4433';
  const m = /^(.+):(\d+)$/.exec(target);
  const host = m ? m[1] : target;
  const port = m ? Number(m[2]) : 443;
  let trusted: Certificate[] = [];
  if (cafile !== undefined) {
    const text = ctx.cluster.fs.read(ctx.host, pathOf(ctx, cafile));
    if (text === undefined) {
      const tid = threadId(ctx);
      return { stdout: '', stderr: `${tid}:error:80000002:system library:file_open:No such file or directory:../providers/implementations/storemgmt/file_store.c:266:calling stat(${cafile})\n`, exitCode: 1 };
    }
    trusted = readBundle(text);
  }
  // s_client sends the -connect host as SNI unless told otherwise (never an IP literal).
  const sni = noServername ? undefined : servername ?? (isDottedQuad(host) ? undefined : host);
  const t = tlsConnect(ctx.cluster, ctx.host, host, port, sni, ['openssl', 's_client', ...args].join(' '));
  const tid = threadId(ctx);
  if (t.conn.outcome === 'nxdomain') {
    return { stdout: '', stderr: `${tid}:error:10080002:BIO routines:BIO_lookup_ex:system lib:../crypto/bio/bio_addr.c:738:Name or service not known\nconnect:errno=22\n`, exitCode: 1 };
  }
  if (t.conn.outcome !== 'delivered') {
    const [errno, n] = t.conn.outcome === 'refused' ? ['Connection refused', 111] : t.conn.outcome === 'timeout' ? ['Connection timed out', 110] : ['No route to host', 113];
    if (t.conn.outcome === 'timeout') ctx.cluster.advance(127_000);
    return { stdout: '', stderr: `${tid}:error:8000006F:system library:BIO_connect:${errno}:../crypto/bio/bio_sock2.c:125:calling connect()\n${tid}:error:10000067:BIO routines:BIO_connect:connect error:../crypto/bio/bio_sock2.c:127:\nconnect:errno=${n}\n`, exitCode: 1 };
  }
  if (!t.cert) {
    // A plain-text server answers the ClientHello with something that is not a TLS record.
    return {
      stdout: 'CONNECTED(00000003)\n---\nno peer certificate available\n---\nNo client certificate CA names sent\n---\nSSL handshake has read 5 bytes and written 305 bytes\nVerification: OK\n---\nNew, (NONE), Cipher is (NONE)\nSecure Renegotiation IS NOT supported\nCompression: NONE\nExpansion: NONE\nNo ALPN negotiated\nEarly data was not sent\nVerify return code: 0 (ok)\n---\n',
      stderr: `${tid}:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../ssl/record/ssl3_record.c:354:\n`,
      exitCode: 1,
    };
  }
  const chain = t.cert.chain;
  const now = ctx.cluster.clock.now();
  const v = verifyChain(chain, trusted, now);
  // The verify callback's trace: depth by depth from the top of what it could build.
  let stderr = '';
  const depthLine = (d: number, c: Certificate) => `depth=${d} ${nameOneline(c.subject)}\n`;
  if (v.code !== 0) {
    stderr += depthLine(v.depth, v.path[v.depth]) + `verify error:num=${v.code}:${v.text}\nverify return:1\n`;
    if (v.last.code !== v.code) stderr += depthLine(0, v.path[0]) + `verify error:num=${v.last.code}:${v.last.text}\nverify return:1\n`;
    for (let d = v.depth; d >= 0; d--) stderr += depthLine(d, v.path[d]) + 'verify return:1\n';
  } else {
    for (let d = v.path.length - 1; d >= 0; d--) stderr += depthLine(d, v.path[d]) + 'verify return:1\n';
  }
  if (brief) {
    stderr += `CONNECTION ESTABLISHED\nProtocol version: TLSv1.3\nCiphersuite: TLS_AES_256_GCM_SHA384\nPeer certificate: ${nameOneline(chain[0].subject)}\nHash used: SHA256\nSignature type: RSA-PSS\nVerification: ${v.code === 0 ? 'OK' : v.last.text}\nServer Temp Key: X25519, 253 bits\nDONE\n`;
    return { stdout: '', stderr, exitCode: 0 };
  }
  let out = 'CONNECTED(00000003)\n---\nCertificate chain\n';
  chain.forEach((c, i) => {
    out += chainEntry(i, c);
    if (showcerts) out += pemEncode('CERTIFICATE', c.der);
  });
  out += '---\n';
  if (!showcerts) out += `Server certificate\n${pemEncode('CERTIFICATE', chain[0].der)}`;
  out += `subject=${nameOneline(chain[0].subject)}\nissuer=${nameOneline(chain[0].issuer)}\n---\n`;
  const read = chain.reduce((n, c) => n + c.der.length, 0) + 583 + 5 * chain.length;
  const written = sni ? 386 + sni.length : 377;
  out += `No client certificate CA names sent\nPeer signing digest: SHA256\nPeer signature type: RSA-PSS\nServer Temp Key: X25519, 253 bits\n---\nSSL handshake has read ${read} bytes and written ${written} bytes\n`;
  out += v.code === 0 ? 'Verification: OK\n' : `Verification error: ${v.last.text}\n`;
  out += `---\nNew, TLSv1.3, Cipher is TLS_AES_256_GCM_SHA384\nServer public key is ${chain[0].publicKey.bits} bit\nSecure Renegotiation IS NOT supported\nCompression: NONE\nExpansion: NONE\nNo ALPN negotiated\nEarly data was not sent\nVerify return code: ${v.last.code} (${v.last.text})\n---\n`;
  stderr += 'DONE\n';
  return { stdout: out, stderr, exitCode: 0 };
}
