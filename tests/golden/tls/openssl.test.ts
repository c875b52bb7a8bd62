/**
 * openssl 3.0 on the workstation, pinned against a real openssl 3.0.19:
 * - fixtures/real-*: certificates, a request and keys made by the real openssl
 *   (`req -x509`, `req -new -addext subjectAltName=…`, `x509 -req -CA … -extfile`), with
 *   what the real `x509 -text`, `req -text` and the one-line options print. Our
 *   printer (engine/tls/text.ts, after crypto/x509/t_x509.c, t_req.c, v3_*.c) must print
 *   the same bytes for the same certificate.
 * - fixtures/own-*: a CA, a request and a CA-signed certificate made here (seed 3), and
 *   what the real openssl printed reading them: our DER is real X.509 (only the
 *   signatures are pseudo-bytes, so `openssl verify` reports error 7 on them).
 * Errors follow apps/req.c, apps/x509.c, apps/lib/apps.c (parse_name) and the STORE loader.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sim } from '../../unit/dataplane/fixtures';
import { HOME } from '../../../engine/hosts/vfs';

const fx = (f: string) => readFileSync(new URL(`./fixtures/${f}`, import.meta.url), 'utf8');
const ws = { kind: 'workstation' as const };

function withFiles(files: Record<string, string>, seed = 3) {
  const s = sim({ cni: 'calico' }, [], seed);
  for (const [name, text] of Object.entries(files)) s.cluster.fs.write(ws, `${HOME}/${name}`, text);
  return s;
}

describe('reading certificates made by a real openssl', () => {
  const s = withFiles({ 'leaf.pem': fx('real-leaf.pem'), 'ca.pem': fx('real-ca.pem'), 'r.csr': fx('real-request.csr') });

  it('x509 -text prints what openssl 3.0 prints (v3 leaf with SAN, SKID, AKID; self-signed CA)', () => {
    expect(s.run('openssl x509 -in leaf.pem -noout -text')).toEqual({ stdout: fx('real-leaf.text'), stderr: '', exitCode: 0 });
    expect(s.run('openssl x509 -in ca.pem -noout -text').stdout).toBe(fx('real-ca.text'));
  });

  it('req -text prints the request with its Requested Extensions', () => {
    expect(s.run('openssl req -in r.csr -noout -text').stdout).toBe(fx('real-request.text'));
  });

  it('-subject -issuer -dates -serial -fingerprint -ext, in the order given', () => {
    const a = s.run('openssl x509 -in leaf.pem -noout -subject -issuer -dates -serial -fingerprint -ext subjectAltName').stdout;
    const b = s.run('openssl x509 -in leaf.pem -noout -fingerprint -sha256').stdout;
    expect(a + b).toBe(fx('real-leaf.oneliners'));
  });

  it('-ext with nothing to show says so on stderr and still exits 0', () => {
    expect(s.run('openssl x509 -in ca.pem -noout -ext keyUsage')).toEqual({ stdout: '', stderr: 'No extensions in certificate\n', exitCode: 0 });
    expect(s.run('openssl x509 -in ca.pem -noout -ext subjectAltName,basicConstraints').stdout).toBe('X509v3 Basic Constraints: critical\n    CA:TRUE\nX509v3 Subject Alternative Name: \n    DNS:demo.local\n');
  });

  it('-pubkey is the SubjectPublicKeyInfo in PEM; a file named like an option is still a file', () => {
    s.cluster.fs.write(ws, `${HOME}/text`, fx('real-leaf.pem'));
    expect(s.run('openssl x509 -in text -noout -subject')).toEqual({ stdout: 'subject=CN = web.demo.local\n', stderr: '', exitCode: 0 });
    expect(s.run('openssl x509 -in leaf.pem -noout -pubkey').stdout).toBe(fx('real-leaf.pubkey'));
  });

  it('without -noout the certificate is written back in PEM, byte for byte', () => {
    expect(s.run('openssl x509 -in leaf.pem').stdout).toBe(fx('real-leaf.pem'));
  });
});

describe('certificates made here are real X.509', () => {
  const s = sim({ cni: 'calico' }, [], 3);
  const lines = [
    'openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 -subj "/O=Netlab/CN=Netlab Lab CA"',
    'openssl genrsa -out shop.key 2048',
    'openssl req -new -key shop.key -out shop.csr -subj "/CN=shop.example.com" -addext "subjectAltName=DNS:shop.example.com,DNS:www.shop.example.com"',
    'openssl x509 -req -in shop.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out shop.crt -days 90 -copy_extensions copy',
  ];
  const results = lines.map((l) => s.run(l));
  const file = (f: string) => s.cluster.fs.read(ws, `${HOME}/${f}`);

  it('the same seed and commands make the same bytes', () => {
    for (const f of ['ca.crt', 'ca.key', 'shop.key', 'shop.csr', 'shop.crt', 'ca.srl']) expect(file(f), f).toBe(fx(`own-${f}`));
  });

  it('req -x509 draws the key-generation progress and "-----"; x509 -req confirms the request', () => {
    expect(results[0].exitCode).toBe(0);
    expect(results[0].stderr).toMatch(/^([.+]*\+{65}\*[.+]*\+{65}\*[.+]*\+{65}\n){2}-----\n$/);
    expect(results[1]).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    expect(results[3]).toEqual({ stdout: '', stderr: 'Certificate request self-signature ok\nsubject=CN = shop.example.com\n', exitCode: 0 });
  });

  it('a real openssl reads them: our printer agrees with its -text output', () => {
    expect(s.run('openssl x509 -in ca.crt -noout -text').stdout).toBe(fx('own-ca.text'));
    expect(s.run('openssl x509 -in shop.crt -noout -text').stdout).toBe(fx('own-shop.text'));
    expect(s.run('openssl req -in shop.csr -noout -text').stdout).toBe(fx('own-shop.csr.text'));
  });

  it('the key matches the certificate (rsa -modulus = x509 -modulus), and the serial file counts up', () => {
    expect(s.run('openssl rsa -in shop.key -noout -modulus').stdout).toBe(s.run('openssl x509 -in shop.crt -noout -modulus').stdout);
    const before = BigInt('0x' + file('ca.srl')!.trim());
    s.run('openssl x509 -req -in shop.csr -CA ca.crt -CAkey ca.key -out shop2.crt -days 90');
    const next = (before + 1n).toString(16).toUpperCase();
    expect(s.run('openssl x509 -in shop2.crt -noout -serial').stdout).toBe(`serial=${next.length % 2 ? '0' + next : next}\n`);
    // no extensions asked for: openssl 3.0 makes a v1 certificate
    expect(s.run('openssl x509 -in shop2.crt -noout -text').stdout.split('\n')[2]).toBe('        Version: 1 (0x0)');
  });
});

describe('openssl help (apps/openssl.c help_main)', () => {
  it('prints the command table as a real openssl 3.0 does, on stderr', () => {
    expect(sim({ cni: 'calico' }, []).run('openssl help')).toEqual({ stdout: '', stderr: fx('real-help.txt'), exitCode: 0 });
  });
});

describe('openssl verify (apps/verify.c)', () => {
  const s = withFiles({ 'leaf.pem': fx('real-leaf.pem'), 'ca.pem': fx('real-ca.pem') });
  it('OK through the CA; without it the leaf\'s issuer is unknown (exit 2)', () => {
    s.advance(Date.UTC(2026, 11, 8) - s.cluster.clock.now());
    expect(s.run('openssl verify -CAfile ca.pem leaf.pem')).toEqual({ stdout: 'leaf.pem: OK\n', stderr: '', exitCode: 0 });
    expect(s.run('openssl verify leaf.pem')).toEqual({ stdout: '', stderr: 'CN = web.demo.local\nerror 20 at 0 depth lookup: unable to get local issuer certificate\nerror leaf.pem: verification failed\n', exitCode: 2 });
    expect(s.run('openssl verify -CAfile ca.pem ca.pem').stdout).toBe('ca.pem: OK\n');
  });
});

describe('openssl errors (exit 1)', () => {
  const s = withFiles({ 'junk.pem': 'hello\n', 'leaf.pem': fx('real-leaf.pem'), 'leaf.key': fx('real-leaf.key'), 'ca.pem': fx('real-ca.pem'), 'r.csr': fx('real-request.csr') });

  it('a missing file, a file without a certificate, a key where a certificate should be', () => {
    const r = s.run('openssl x509 -in nope.pem -noout -text');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^Could not open file or uri for loading certificate from nope\.pem\n40[0-9A-F]{8}7F0000:error:16000069:STORE routines:ossl_store_get0_loader_int:unregistered scheme:\.\.\/crypto\/store\/store_register\.c:237:scheme=file\n40[0-9A-F]{8}7F0000:error:80000002:system library:file_open:No such file or directory:\.\.\/providers\/implementations\/storemgmt\/file_store\.c:266:calling stat\(nope\.pem\)\nUnable to load certificate\n$/);
    expect(s.run('openssl x509 -in junk.pem -noout -text')).toEqual({ stdout: '', stderr: 'Could not read certificate from junk.pem\nUnable to load certificate\n', exitCode: 1 });
  });

  it('-subj must be /type=value/…; options are checked before anything runs', () => {
    const r = s.run('openssl req -x509 -newkey rsa:2048 -nodes -keyout k.pem -out c.pem -subj "CN=x"');
    expect(r.exitCode).toBe(1);
    expect(r.stderr.endsWith("-----\nreq: subject name is expected to be in the format /type0=value0/type1=value1/type2=... where characters may be escaped by \\. This name is not in that format: 'CN=x'\n")).toBe(true);
    expect(s.run('openssl req -out')).toEqual({ stdout: '', stderr: 'req: Option -out needs a value\nreq: Use -help for summary.\n', exitCode: 1 });
    expect(s.run('openssl req -bogus')).toEqual({ stdout: '', stderr: 'req: Unknown option or message digest: bogus\nreq: Use -help for summary.\n', exitCode: 1 });
    expect(s.run('openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=x -days abc')).toEqual({ stdout: '', stderr: 'req: Can\'t parse "abc" as a number\nreq: Use -help for summary.\n', exitCode: 1 });
    expect(s.run('openssl foo')).toEqual({ stdout: '', stderr: 'Invalid command \'foo\'; type "help" for a list.\n', exitCode: 1 });
  });

  it('-addext is checked before the key is made: crypto/x509/v3_conf.c, v3_san.c, v3_bitst.c, v3_extku.c', () => {
    const e = (x: string) => s.run(`openssl req -x509 -newkey rsa:2048 -nodes -keyout k.pem -out c.pem -subj /CN=x -addext "${x}"`);
    const strip = (t: string) => t.replace(/^40[0-9A-F]{8}7F0000:/gm, '');
    expect(strip(e('subjectAltName=shop.example.com').stderr)).toBe('Error checking extensions defined using -addext\nerror:1100007C:X509 V3 routines:v2i_GENERAL_NAME_ex:missing value:../crypto/x509/v3_san.c:607:\nerror:11000080:X509 V3 routines:X509V3_EXT_nconf_int:error in extension:../crypto/x509/v3_conf.c:48:section=default, name=subjectAltName, value=shop.example.com\n');
    expect(strip(e('subjectAltName=FOO:x').stderr)).toBe('Error checking extensions defined using -addext\nerror:11000075:X509 V3 routines:v2i_GENERAL_NAME_ex:unsupported option:../crypto/x509/v3_san.c:626:name=FOO\nerror:11000080:X509 V3 routines:X509V3_EXT_nconf_int:error in extension:../crypto/x509/v3_conf.c:48:section=default, name=subjectAltName, value=FOO:x\n');
    expect(strip(e('foo=bar').stderr)).toBe('Error checking extensions defined using -addext\nerror:11000082:X509 V3 routines:do_ext_nconf:unknown extension name:../crypto/x509/v3_conf.c:88:\nerror:11000080:X509 V3 routines:X509V3_EXT_nconf_int:error in extension:../crypto/x509/v3_conf.c:48:section=default, name=foo, value=bar\n');
    expect(strip(e('keyUsage=foo').stderr)).toBe('Error checking extensions defined using -addext\nerror:1100006F:X509 V3 routines:v2i_ASN1_BIT_STRING:unknown bit string argument:../crypto/x509/v3_bitst.c:82:foo\nerror:11000080:X509 V3 routines:X509V3_EXT_nconf_int:error in extension:../crypto/x509/v3_conf.c:48:section=default, name=keyUsage, value=foo\n');
    expect(e('foo=bar').exitCode).toBe(1);
    const two = s.run('openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=x -addext "subjectAltName=DNS:a" -addext "subjectAltName=DNS:b"');
    expect(two).toEqual({ stdout: '', stderr: 'Duplicate extension: subjectAltName=DNS:b\nreq: Use -help for summary.\n', exitCode: 1 });
  });

  it('keyUsage and extendedKeyUsage follow the v3_ca extensions, as a real openssl orders and prints them', () => {
    const r = s.run('openssl req -x509 -newkey rsa:2048 -nodes -keyout k.pem -out c.pem -subj /CN=x -addext "keyUsage=digitalSignature,keyEncipherment" -addext "extendedKeyUsage=serverAuth"');
    expect(r.exitCode).toBe(0);
    const text = s.run('openssl x509 -in c.pem -noout -text').stdout;
    expect(text.slice(text.indexOf('        X509v3 extensions:'), text.indexOf('    Signature Algorithm:', text.indexOf('X509v3 extensions')))).toMatch(/^ {8}X509v3 extensions:\n {12}X509v3 Subject Key Identifier: \n {16}[0-9A-F:]{59}\n {12}X509v3 Authority Key Identifier: \n {16}[0-9A-F:]{59}\n {12}X509v3 Basic Constraints: critical\n {16}CA:TRUE\n {12}X509v3 Key Usage: \n {16}Digital Signature, Key Encipherment\n {12}X509v3 Extended Key Usage: \n {16}TLS Web Server Authentication\n$/);
  });

  it('signing with a CA key that is not the CA certificate\'s', () => {
    const r = s.run('openssl x509 -req -in r.csr -CA ca.pem -CAkey leaf.key -out w.pem');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^Certificate request self-signature ok\nsubject=CN = web\.demo\.local\nCA certificate and CA private key do not match\n40[0-9A-F]{8}7F0000:error:05800074:x509 certificate routines:X509_check_private_key:key values mismatch:/);
  });
});

describe('kubectl create secret tls loads the pair as tls.X509KeyPair (staging/src/k8s.io/kubectl/pkg/cmd/create/create_secret_tls.go)', () => {
  const s = withFiles({ 'leaf.pem': fx('real-leaf.pem'), 'leaf.key': fx('real-leaf.key'), 'ca.key': fx('real-ca.key'), 'junk.txt': 'hello\n' });
  const err = (line: string) => s.run(line).stderr;

  it('accepts a matching pair and stores both files', () => {
    expect(s.run('kubectl create secret tls web --cert=leaf.pem --key=leaf.key')).toEqual({ stdout: 'secret/web created\n', stderr: '', exitCode: 0 });
    const sec = s.get('Secret', 'default', 'web')!;
    expect(sec.type).toBe('kubernetes.io/tls');
    expect(Buffer.from(sec.data['tls.crt'], 'base64').toString()).toBe(fx('real-leaf.pem'));
  });

  it('crypto/tls errors, prefixed "error: failed to load key pair"', () => {
    expect(err('kubectl create secret tls a --cert=leaf.pem --key=ca.key')).toBe('error: failed to load key pair tls: private key does not match public key\n');
    expect(err('kubectl create secret tls a --cert=leaf.key --key=leaf.pem')).toBe('error: failed to load key pair tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched\n');
    expect(err('kubectl create secret tls a --cert=junk.txt --key=leaf.key')).toBe('error: failed to load key pair tls: failed to find any PEM data in certificate input\n');
    expect(err('kubectl create secret tls a --cert=leaf.pem --key=leaf.pem')).toBe('error: failed to load key pair tls: found a certificate rather than a key in the PEM for the private key\n');
    expect(err('kubectl create secret tls a --cert=leaf.pem --key=junk.txt')).toBe('error: failed to load key pair tls: failed to find any PEM data in key input\n');
  });
});

describe('openssl s_client against ingress-nginx (apps/s_client.c print_stuff)', () => {
  it('shows the chain served for the SNI name and verifies it against -CAfile', () => {
    const s = withFiles({ 'leaf.pem': fx('real-leaf.pem'), 'leaf.key': fx('real-leaf.key'), 'ca.pem': fx('real-ca.pem') });
    for (const l of [
      'kubectl create secret tls web-tls --cert=leaf.pem --key=leaf.key',
      'helm repo add ingress-nginx https://kubernetes.github.io/ingress-nginx',
      'helm install ingress-nginx ingress-nginx/ingress-nginx --namespace ingress-nginx --create-namespace',
      'kubectl create ingress web --class=nginx --rule="a.demo.local/*=web:80,tls=web-tls"',
    ]) expect(s.run(l).exitCode, l).toBe(0);
    s.advance(60_000);
    const lb: string = s.get('Service', 'ingress-nginx', 'ingress-nginx-controller')!.status.loadBalancer.ingress[0].ip;
    // The real certificates were made on 7 Dec 2026: before that they are "not yet valid".
    const early = s.run(`openssl s_client -connect ${lb}:443 -servername a.demo.local -CAfile ca.pem </dev/null`);
    expect(early.stderr.split('\n').slice(0, 2)).toEqual(['depth=1 CN = demo.local', 'verify error:num=9:certificate is not yet valid']);
    s.advance(Date.UTC(2026, 11, 8) - s.cluster.clock.now());
    const r = s.run(`openssl s_client -connect ${lb}:443 -servername a.demo.local -CAfile ca.pem </dev/null`);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('depth=1 CN = demo.local\nverify return:1\ndepth=0 CN = web.demo.local\nverify return:1\nDONE\n');
    expect(r.stdout).toBe(
      'CONNECTED(00000003)\n---\nCertificate chain\n' +
      ' 0 s:CN = web.demo.local\n   i:CN = demo.local\n   a:PKEY: rsaEncryption, 2048 (bit); sigalg: RSA-SHA256\n   v:NotBefore: Dec  7 03:59:16 2026 GMT; NotAfter: Jan  6 03:59:16 2027 GMT\n' +
      '---\nServer certificate\n' + fx('real-leaf.pem') +
      'subject=CN = web.demo.local\nissuer=CN = demo.local\n---\nNo client certificate CA names sent\nPeer signing digest: SHA256\nPeer signature type: RSA-PSS\nServer Temp Key: X25519, 253 bits\n---\n' +
      'SSL handshake has read 1397 bytes and written 398 bytes\nVerification: OK\n---\nNew, TLSv1.3, Cipher is TLS_AES_256_GCM_SHA384\nServer public key is 2048 bit\nSecure Renegotiation IS NOT supported\nCompression: NONE\nExpansion: NONE\nNo ALPN negotiated\nEarly data was not sent\nVerify return code: 0 (ok)\n---\n',
    );
    // Without the CA: the lone leaf's issuer is unknown (20), then 21 for the leaf.
    const u = s.run(`openssl s_client -connect ${lb}:443 -servername a.demo.local </dev/null`);
    expect(u.stderr).toBe('depth=0 CN = web.demo.local\nverify error:num=20:unable to get local issuer certificate\nverify return:1\ndepth=0 CN = web.demo.local\nverify error:num=21:unable to verify the first certificate\nverify return:1\ndepth=0 CN = web.demo.local\nverify return:1\nDONE\n');
    expect(u.stdout).toContain('Verification error: unable to verify the first certificate\n');
    expect(u.stdout).toContain('Verify return code: 21 (unable to verify the first certificate)\n');
  });
});
