/**
 * openssl 3.0 (apps/openssl.c and apps/{req,x509,genrsa,rsa,s_client}.c): make keys,
 * requests and certificates in real PEM/DER (engine/tls), read them back, and look at
 * the certificate a TLS server presents. Output layouts, prompts and error lines are
 * openssl 3.0.x's (checked against a real 3.0 binary). Keys are deterministic
 * pseudo-bytes from the cluster's random stream (engine/tls/keys.ts), so a run is
 * reproducible and instant.
 */
import type { CommandSpec, CommandContext } from '../../../shell/command';
import type { CommandOutcome } from '../../../types';
import { pathOf } from '../../text/util';
import { pemBlocks, pemEncode } from '../../../tls/pem';
import { generateRsaKey, pkcs8, readPrivateKey, sameKey, spki, type RsaKey } from '../../../tls/keys';
import { DerError } from '../../../tls/der';
import {
  EKU_CLIENT, EKU_SERVER, EXT, NAME_OIDS, akiExtension, basicConstraints, createRequest, extKeyUsageExtension, keyUsageExtension, fingerprint, issueCertificate, nameOneline, parseCertificate, parseRequest,
  requestSelfSignatureOk, sanExtension, skiExtension, type Certificate, type CertificateRequest, type Extension, type GeneralName, type Name,
} from '../../../tls/x509';
import { EXT_BY_SHORT_NAME, asn1Time, certificateText, extensionText, requestText } from '../../../tls/text';
import { opensslSClient, readBundle } from './s_client';
import { verifyChain } from '../../../tls/verify';
import { threadId } from './errqueue';

export const OPENSSL_VERSION = 'OpenSSL 3.0.13 30 Jan 2024 (Library: OpenSSL 3.0.13 30 Jan 2024)';

type Out = { stdout: string; stderr: string; exitCode: number };
const fail = (stderr: string, stdout = ''): Out => ({ stdout, stderr, exitCode: 1 });

interface Parsed {
  flags: Set<string>;
  values: Map<string, string[]>;
  rest: string[];
}

/** opt_next(): single-dash long options; VALUE options take the next word. */
function parseOpts(prog: string, args: string[], valued: string[], bools: string[]): Parsed | Out {
  const p: Parsed = { flags: new Set(), values: new Map(), rest: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('-') || a === '-') {
      p.rest.push(a);
      continue;
    }
    const name = a.replace(/^--?/, '');
    if (valued.includes(name)) {
      if (i + 1 >= args.length) return fail(`${prog}: Option -${name} needs a value\n${prog}: Use -help for summary.\n`);
      p.values.set(name, [...(p.values.get(name) ?? []), args[++i]]);
    } else if (bools.includes(name)) p.flags.add(name);
    else return fail(`${prog}: Unknown option or message digest: ${name}\n${prog}: Use -help for summary.\n`);
  }
  return p;
}

const last = (p: Parsed, k: string): string | undefined => p.values.get(k)?.at(-1);

function readFile(ctx: CommandContext, name: string): string | undefined {
  if (name === '-' || name === '/dev/stdin') return ctx.stdin;
  return ctx.cluster.fs.read(ctx.host, pathOf(ctx, name));
}

function writeFile(ctx: CommandContext, name: string, content: string): void {
  const p = pathOf(ctx, name);
  if (p !== '/dev/null') ctx.cluster.fs.write(ctx.host, p, content);
}

/** "Could not open file or uri for loading X from F" with the STORE and system-library lines. */
function noSuchFile(ctx: CommandContext, what: string, file: string): string {
  const tid = threadId(ctx);
  return `Could not open file or uri for loading ${what} from ${file}\n${tid}:error:16000069:STORE routines:ossl_store_get0_loader_int:unregistered scheme:../crypto/store/store_register.c:237:scheme=file\n${tid}:error:80000002:system library:file_open:No such file or directory:../providers/implementations/storemgmt/file_store.c:266:calling stat(${file})\n`;
}

function loadCert(ctx: CommandContext, file: string | undefined): Certificate | string {
  const name = file ?? '<stdin>';
  const text = file === undefined ? ctx.stdin : readFile(ctx, file);
  if (text === undefined) return noSuchFile(ctx, 'certificate', name) + 'Unable to load certificate\n';
  const b = pemBlocks(text).find((x) => x.label === 'CERTIFICATE' || x.label === 'X509 CERTIFICATE' || x.label === 'TRUSTED CERTIFICATE');
  if (b) {
    try {
      return parseCertificate(b.der);
    } catch (e) {
      if (!(e instanceof DerError)) throw e;
    }
  }
  return `Could not read certificate from ${name}\nUnable to load certificate\n`;
}

function loadKey(ctx: CommandContext, file: string): RsaKey | string {
  const text = readFile(ctx, file);
  if (text === undefined) return noSuchFile(ctx, 'private key', file);
  const b = pemBlocks(text).find((x) => x.label === 'PRIVATE KEY' || x.label === 'RSA PRIVATE KEY');
  if (b) {
    try {
      return readPrivateKey(b.label, b.der);
    } catch (e) {
      if (!(e instanceof DerError)) throw e;
    }
  }
  return `Could not read private key from ${file}\n`;
}

function loadRequest(ctx: CommandContext, file: string | undefined): CertificateRequest | string {
  const name = file ?? '<stdin>';
  const text = file === undefined ? ctx.stdin : readFile(ctx, file);
  if (text === undefined) return noSuchFile(ctx, 'certificate request', name) + 'Unable to load certificate request\n';
  const b = pemBlocks(text).find((x) => x.label === 'CERTIFICATE REQUEST' || x.label === 'NEW CERTIFICATE REQUEST');
  if (b) {
    try {
      return parseRequest(b.der);
    } catch (e) {
      if (!(e instanceof DerError)) throw e;
    }
  }
  return `Could not read certificate request from ${name}\nUnable to load certificate request\n`;
}

/** apps/lib/apps.c parse_name: "/CN=a/O=b", backslash escapes. */
function parseSubject(prog: string, s: string): { name: Name; warnings: string } | string {
  if (!s.startsWith('/')) return `${prog}: subject name is expected to be in the format /type0=value0/type1=value1/type2=... where characters may be escaped by \\. This name is not in that format: '${s}'\n`;
  const name: Name = [];
  let warnings = '';
  const parts: string[] = [];
  let cur = '';
  for (let i = 1; i < s.length; i++) {
    if (s[i] === '\\' && i + 1 < s.length) cur += s[++i];
    else if (s[i] === '/') {
      parts.push(cur);
      cur = '';
    } else cur += s[i];
  }
  parts.push(cur);
  for (const part of parts) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq < 0) return `${prog}: Hit end of string before finding the '='\n`;
    const k = part.slice(0, eq);
    const v = part.slice(eq + 1);
    const key = Object.keys(NAME_OIDS).find((n) => n.toLowerCase() === k.toLowerCase()) ?? (k === 'commonName' ? 'CN' : k === 'organizationName' ? 'O' : undefined);
    if (!key) {
      warnings += `${prog}: Skipping unknown subject name attribute "${k}"\n`;
      continue;
    }
    if (v === '') {
      warnings += `${prog}: No value provided for subject name attribute "${k}", skipped\n`;
      continue;
    }
    name.push([key, v]);
  }
  return { name, warnings };
}

const KEY_USAGE_NAMES = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly'];
const EKU_NAMES: Record<string, string> = { serverAuth: EKU_SERVER, clientAuth: EKU_CLIENT };

/**
 * One `name=value` extension line (-addext, or a line of an -extfile) as crypto/x509/v3_conf.c
 * would build it, or the error-queue lines it leaves (without their thread-id prefix):
 * subjectAltName (DNS:, IP:, email:), basicConstraints, keyUsage, extendedKeyUsage.
 */
function parseExtLine(line: string): Extension | string[] {
  const eq = line.indexOf('=');
  const name = (eq < 0 ? line : line.slice(0, eq)).trim();
  let value = eq < 0 ? '' : line.slice(eq + 1).trim();
  const where = `error:11000080:X509 V3 routines:X509V3_EXT_nconf_int:error in extension:../crypto/x509/v3_conf.c:48:section=default, name=${name}, value=${value}`;
  const critical = /^critical\s*,/.test(value);
  if (critical) value = value.replace(/^critical\s*,\s*/, '');
  const items = value.split(',').map((x) => x.trim()).filter(Boolean);
  switch (name) {
    case 'subjectAltName': {
      const names: GeneralName[] = [];
      for (const item of items) {
        const c = item.indexOf(':');
        if (c < 0) return ['error:1100007C:X509 V3 routines:v2i_GENERAL_NAME_ex:missing value:../crypto/x509/v3_san.c:607:', where];
        const t = item.slice(0, c);
        const v = item.slice(c + 1);
        if (t === 'DNS') names.push({ type: 'DNS', value: v });
        else if (t === 'IP' && /^\d+\.\d+\.\d+\.\d+$/.test(v)) names.push({ type: 'IP', value: v });
        else if (t === 'IP') return [`error:11000076:X509 V3 routines:a2i_GENERAL_NAME:bad ip address:../crypto/x509/v3_san.c:552:value=${v}`, where];
        else if (t === 'email') names.push({ type: 'email', value: v });
        else return [`error:11000075:X509 V3 routines:v2i_GENERAL_NAME_ex:unsupported option:../crypto/x509/v3_san.c:626:name=${t}`, where];
      }
      return { ...sanExtension(names), critical };
    }
    case 'basicConstraints': {
      const ca = items.find((x) => /^CA:/i.test(x));
      const path = items.find((x) => /^pathlen:/i.test(x));
      return basicConstraints(/^CA:true$/i.test(ca ?? ''), critical, path ? Number(path.split(':')[1]) : undefined);
    }
    case 'keyUsage': {
      const bitsSet: number[] = [];
      for (const item of items) {
        const i = KEY_USAGE_NAMES.indexOf(item);
        if (i < 0) return [`error:1100006F:X509 V3 routines:v2i_ASN1_BIT_STRING:unknown bit string argument:../crypto/x509/v3_bitst.c:82:${item}`, where];
        bitsSet.push(i);
      }
      return keyUsageExtension(bitsSet, critical);
    }
    case 'extendedKeyUsage': {
      const oids: string[] = [];
      for (const item of items) {
        const o = EKU_NAMES[item];
        if (!o) return ['error:04000067:object identifier routines:OBJ_txt2obj:unknown object name:../crypto/objects/obj_dat.c:372:', `error:1100006E:X509 V3 routines:v2i_EXTENDED_KEY_USAGE:invalid object identifier:../crypto/x509/v3_extku.c:94:${item}`, where];
        oids.push(o);
      }
      return extKeyUsageExtension(oids, critical);
    }
    default:
      return ['error:11000082:X509 V3 routines:do_ext_nconf:unknown extension name:../crypto/x509/v3_conf.c:88:', where];
  }
}

function extensionError(ctx: CommandContext, head: string, lines: string[]): string {
  const tid = threadId(ctx);
  return `${head}\n${lines.map((l) => `${tid}:${l}\n`).join('')}`;
}

/** The progress genrsa's callback draws while it looks for two primes (apps/lib/apps.c progress_cb). */
function keygenProgress(ctx: CommandContext): string {
  const r = ctx.cluster.rng;
  const seg = () => {
    let s = '';
    const n = 3 + r.int(40);
    for (let i = 0; i < n; i++) s += '.'.repeat(1 + r.int(8)) + '+';
    return s;
  };
  const run = '+'.repeat(65);
  let out = '';
  for (let l = 0; l < 2; l++) out += `${seg()}${run}*${seg()}${run}*${seg()}${run}\n`;
  return out;
}

function newKey(ctx: CommandContext, bits: number): RsaKey {
  const seed = new TextEncoder().encode(ctx.cluster.rng.hex(64));
  return generateRsaKey(seed, bits);
}

function serial20(ctx: CommandContext): Uint8Array {
  const b = new Uint8Array(20);
  for (let i = 0; i < 20; i++) b[i] = ctx.cluster.rng.int(256);
  b[0] = (b[0] & 0x7f) | 0x01;
  return b;
}

function parseDays(prog: string, v: string | undefined, dflt: number): number | Out {
  if (v === undefined) return dflt;
  if (!/^-?\d+$/.test(v)) return fail(`${prog}: Can't parse "${v}" as a number\n${prog}: Use -help for summary.\n`);
  return Number(v);
}

function bitsOf(spec: string): number | undefined {
  const m = /^rsa:(\d+)$/.exec(spec);
  return m ? Number(m[1]) : spec === 'rsa' ? 2048 : undefined;
}

function passphraseFailure(ctx: CommandContext): string {
  const tid = threadId(ctx);
  return `Enter PEM pass phrase:\n${tid}:error:1400006B:UI routines:UI_process:processing error:../crypto/ui/ui_lib.c:573:while reading strings\n${tid}:error:0480006D:PEM routines:PEM_def_callback:problems getting password:../crypto/pem/pem_lib.c:62:\n${tid}:error:07880109:common libcrypto routines:do_ui_passphrase:interrupted or cancelled:../crypto/passphrase.c:184:\n${tid}:error:1C80009F:Provider routines:p8info_to_encp8:unable to get passphrase:../providers/implementations/encode_decode/encode_key2any.c:115:\n`;
}

const DN_PROMPT = "You are about to be asked to enter information that will be incorporated\ninto your certificate request.\nWhat you are about to enter is what is called a Distinguished Name or a DN.\nThere are quite a few fields but you can leave some blank\nFor some fields there will be a default value,\nIf you enter '.', the field will be left blank.\n-----\nCountry Name (2 letter code) [AU]:Error making certificate request\n";

function req(ctx: CommandContext, args: string[]): Out {
  const p = parseOpts('req', args, ['newkey', 'key', 'keyout', 'out', 'in', 'days', 'subj', 'addext', 'set_serial'], ['x509', 'new', 'nodes', 'noenc', 'noout', 'text', 'sha256', 'verify', 'batch', 'subject', 'pubkey']);
  if ('exitCode' in p) return p;
  const days = parseDays('req', last(p, 'days'), 30);
  if (typeof days !== 'number') return days;
  let stderr = '';
  let stdout = '';
  const out = last(p, 'out');
  const emit = (text: string) => {
    if (out) writeFile(ctx, out, text);
    else stdout += text;
  };
  // Reading an existing request: `openssl req -in r.csr -noout -text`.
  if (!p.flags.has('new') && !p.flags.has('x509') && !p.values.has('newkey')) {
    const r = loadRequest(ctx, last(p, 'in'));
    if (typeof r === 'string') return fail(r);
    if (p.flags.has('verify')) stderr += requestSelfSignatureOk(r) ? 'Certificate request self-signature verify OK\n' : 'Certificate request self-signature verify failure\n';
    if (p.flags.has('subject')) stdout += `subject=${nameOneline(r.subject)}\n`;
    if (p.flags.has('text')) stdout += requestText(r);
    if (!p.flags.has('noout')) emit(pemEncode('CERTIFICATE REQUEST', r.der));
    return { stdout, stderr, exitCode: 0 };
  }
  // -addext lines are checked before anything else is made.
  const added: Extension[] = [];
  for (const line of p.values.get('addext') ?? []) {
    const e = parseExtLine(line);
    if (Array.isArray(e)) return fail(extensionError(ctx, 'Error checking extensions defined using -addext', e));
    // apps/req.c duplicated(): the same extension name twice is refused as the options are read.
    if (added.some((x) => x.oid === e.oid)) return fail(`Duplicate extension: ${line}\nreq: Use -help for summary.\n`);
    added.push(e);
  }
  // The key: -newkey rsa:N makes one (and writes it to -keyout), -key reads one.
  let key: RsaKey;
  const keyFile = last(p, 'key');
  if (p.values.has('newkey')) {
    const spec = last(p, 'newkey')!;
    const bits = bitsOf(spec);
    if (bits === undefined) {
      const tid = threadId(ctx);
      const file = spec.includes(':') ? spec.slice(spec.indexOf(':') + 1) : spec;
      return fail(`Cannot open parameter file ${file}\n${tid}:error:80000002:system library:BIO_new_file:No such file or directory:../crypto/bio/bss_file.c:67:calling fopen(${file}, r)\n${tid}:error:10000080:BIO routines:BIO_new_file:no such file:../crypto/bio/bss_file.c:75:\n`);
    }
    if (bits < 512) {
      return fail(`Error setting RSA length\n${threadId(ctx)}:error:1C8000AB:Provider routines:rsa_gen_set_params:key size too small:../providers/implementations/keymgmt/rsa_kmgmt.c:509:\n`);
    }
    key = newKey(ctx, bits);
    stderr += keygenProgress(ctx);
    if (!p.flags.has('nodes') && !p.flags.has('noenc')) return fail(stderr + passphraseFailure(ctx));
    writeFile(ctx, last(p, 'keyout') ?? 'privkey.pem', pemEncode('PRIVATE KEY', pkcs8(key)));
    stderr += '-----\n';
  } else if (keyFile) {
    const k = loadKey(ctx, keyFile);
    if (typeof k === 'string') return fail(k);
    key = k;
  } else {
    key = newKey(ctx, 2048);
    stderr += keygenProgress(ctx);
    if (!p.flags.has('nodes') && !p.flags.has('noenc')) return fail(stderr + passphraseFailure(ctx));
    writeFile(ctx, last(p, 'keyout') ?? 'privkey.pem', pemEncode('PRIVATE KEY', pkcs8(key)));
    stderr += '-----\n';
  }
  const subjArg = last(p, 'subj');
  if (subjArg === undefined) return fail(stderr + DN_PROMPT);
  const subj = parseSubject('req', subjArg);
  if (typeof subj === 'string') return fail(stderr + subj);
  stderr += subj.warnings;
  if (p.flags.has('x509')) {
    // openssl.cnf's [v3_ca]: subjectKeyIdentifier=hash, authorityKeyIdentifier=keyid:always,issuer,
    // basicConstraints=critical,CA:true; -addext lines come after (one replaces its namesake).
    const base = [skiExtension(key), akiExtension(key), basicConstraints(true)].filter((e) => !added.some((a) => a.oid === e.oid));
    const now = ctx.cluster.clock.now();
    const serialArg = last(p, 'set_serial');
    const serial = serialArg !== undefined && /^\d+$/.test(serialArg) ? bigEndian(Number(serialArg)) : serial20(ctx);
    const cert = issueCertificate({ serial, issuer: subj.name, subject: subj.name, notBefore: now, notAfter: now + days * 86_400_000, publicKey: key, extensions: [...base, ...added] }, key);
    if (p.flags.has('text')) stdout += certificateText(cert);
    if (!p.flags.has('noout')) emit(pemEncode('CERTIFICATE', cert.der));
    return { stdout, stderr, exitCode: 0 };
  }
  const r = createRequest(subj.name, key, added);
  if (p.flags.has('text')) stdout += requestText(r);
  if (!p.flags.has('noout')) emit(pemEncode('CERTIFICATE REQUEST', r.der));
  return { stdout, stderr, exitCode: 0 };
}

function bigEndian(n: number): Uint8Array {
  const b: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) b.unshift(v & 0xff);
  return Uint8Array.from(b.length ? b : [0]);
}

const PRINT_FLAGS = ['text', 'subject', 'issuer', 'dates', 'startdate', 'enddate', 'serial', 'fingerprint', 'modulus', 'pubkey', 'noout', 'req', 'CAcreateserial', 'sha1', 'sha256'];

function x509(ctx: CommandContext, args: string[]): Out {
  // Print options are honoured in the order given, as apps/x509.c walks them.
  const order: string[] = [];
  const valued = ['in', 'out', 'CA', 'CAkey', 'CAserial', 'days', 'extfile', 'extensions', 'copy_extensions', 'ext', 'checkend', 'set_serial', 'nameopt'];
  for (let i = 0; i < args.length; i++) {
    if (!args[i].startsWith('-')) continue;
    const a = args[i].replace(/^--?/, '');
    if (['text', 'subject', 'issuer', 'dates', 'startdate', 'enddate', 'serial', 'fingerprint', 'modulus', 'pubkey', 'ext', 'checkend'].includes(a)) order.push(a);
    if (valued.includes(a)) i++;
  }
  const p = parseOpts('x509', args, valued, PRINT_FLAGS);
  if ('exitCode' in p) return p;
  let stdout = '';
  let stderr = '';
  let cert: Certificate;
  if (p.flags.has('req')) {
    const r = loadRequest(ctx, last(p, 'in'));
    if (typeof r === 'string') return fail(r);
    if (!requestSelfSignatureOk(r)) return fail('Certificate request self-signature did not match the contents\n');
    stderr += `Certificate request self-signature ok\nsubject=${nameOneline(r.subject)}\n`;
    const days = parseDays('x509', last(p, 'days'), 30);
    if (typeof days !== 'number') return days;
    const caFile = last(p, 'CA');
    let issuerName: Name = r.subject;
    let signer: RsaKey;
    let issuerKey = r.publicKey;
    if (caFile) {
      const ca = loadCert(ctx, caFile);
      if (typeof ca === 'string') return fail(stderr + ca.replace('Unable to load certificate\n', ''));
      const caKeyFile = last(p, 'CAkey') ?? caFile;
      const k = loadKey(ctx, caKeyFile);
      if (typeof k === 'string') return fail(stderr + k);
      if (!sameKey(ca.publicKey, k)) return fail(stderr + `CA certificate and CA private key do not match\n${threadId(ctx)}:error:05800074:x509 certificate routines:X509_check_private_key:key values mismatch:../crypto/x509/x509_cmp.c:405:\n`);
      issuerName = ca.subject;
      signer = k;
      issuerKey = ca.publicKey;
    } else {
      return fail(stderr + 'We need a private key to sign with, use -key or -CAkey or -CA with private key\n');
    }
    // Extensions: copied from the request (-copy_extensions copy) and/or an -extfile; any at all
    // makes a v3 certificate that also gets subjectKeyIdentifier and authorityKeyIdentifier.
    const exts: Extension[] = [];
    const copy = last(p, 'copy_extensions');
    if (copy === 'copy' || copy === 'copyall') exts.push(...r.extensions);
    const extfile = last(p, 'extfile');
    if (extfile) {
      const text = readFile(ctx, extfile);
      if (text === undefined) {
        return fail(stderr + `Error opening extfile ${extfile}\n${threadId(ctx)}:error:80000002:system library:BIO_new_file:No such file or directory:../crypto/bio/bss_file.c:67:calling fopen(${extfile}, r)\n`);
      }
      for (const line of text.split('\n').map((l) => l.replace(/#.*/, '').trim()).filter((l) => l && !l.startsWith('['))) {
        const e = parseExtLine(line);
        if (Array.isArray(e)) return fail(stderr + extensionError(ctx, `Error checking extension section default`, e));
        const at = exts.findIndex((x) => x.oid === e.oid);
        if (at >= 0) exts[at] = e;
        else exts.push(e);
      }
    }
    if (exts.length) {
      if (!exts.some((e) => e.oid === EXT.subjectKeyIdentifier)) exts.push(skiExtension(r.publicKey));
      if (!exts.some((e) => e.oid === EXT.authorityKeyIdentifier)) exts.push(akiExtension(issuerKey));
    }
    // Serial: -CAcreateserial writes CA.srl (a random serial, then +1 each time it is used).
    let serial = serial20(ctx);
    const srlFile = last(p, 'CAserial') ?? caFile.replace(/\.[^./]*$/, '') + '.srl';
    const srl = readFile(ctx, srlFile);
    if (srl !== undefined && /^[0-9A-Fa-f]+\s*$/.test(srl)) {
      const next = BigInt('0x' + srl.trim()) + 1n;
      serial = hexBytes(next.toString(16));
      writeFile(ctx, srlFile, next.toString(16).toUpperCase().padStart(2, '0') + '\n');
    } else if (p.flags.has('CAcreateserial') || p.values.has('CAserial')) {
      writeFile(ctx, srlFile, [...serial].map((b) => b.toString(16).padStart(2, '0')).join('').toUpperCase() + '\n');
    }
    const now = ctx.cluster.clock.now();
    cert = issueCertificate({ serial, issuer: issuerName, subject: r.subject, notBefore: now, notAfter: now + days * 86_400_000, publicKey: r.publicKey, extensions: exts, version: exts.length ? 3 : 1 }, signer);
  } else {
    const c = loadCert(ctx, last(p, 'in'));
    if (typeof c === 'string') return fail(c);
    cert = c;
  }
  const digest = p.flags.has('sha256') ? 'sha256' : 'sha1';
  for (const o of order) {
    switch (o) {
      case 'text': stdout += certificateText(cert); break;
      case 'subject': stdout += `subject=${nameOneline(cert.subject)}\n`; break;
      case 'issuer': stdout += `issuer=${nameOneline(cert.issuer)}\n`; break;
      case 'dates': stdout += `notBefore=${asn1Time(cert.notBefore)}\nnotAfter=${asn1Time(cert.notAfter)}\n`; break;
      case 'startdate': stdout += `notBefore=${asn1Time(cert.notBefore)}\n`; break;
      case 'enddate': stdout += `notAfter=${asn1Time(cert.notAfter)}\n`; break;
      case 'serial': stdout += `serial=${[...cert.serial].map((b) => b.toString(16).padStart(2, '0')).join('').toUpperCase()}\n`; break;
      case 'fingerprint': stdout += `${digest === 'sha1' ? 'SHA1' : 'sha256'} Fingerprint=${fingerprint(cert, digest)}\n`; break;
      case 'pubkey': stdout += pemEncode('PUBLIC KEY', spki(cert.publicKey)); break;
      case 'modulus': stdout += `Modulus=${[...cert.publicKey.n].map((b) => b.toString(16).padStart(2, '0')).join('').toUpperCase()}\n`; break;
      case 'ext': {
        const names = (last(p, 'ext') ?? '').split(',').map((s) => s.trim());
        const oids = names.map((n) => EXT_BY_SHORT_NAME[n]).filter(Boolean);
        const found = cert.extensions.filter((e) => oids.includes(e.oid));
        // apps/x509.c print_x509v3_exts: nothing asked for is there (or the name is unknown).
        if (!found.length) stderr += 'No extensions in certificate\n';
        for (const e of found) stdout += extensionText(e, 0);
        break;
      }
      case 'checkend': {
        const secs = Number(last(p, 'checkend') ?? 0);
        const expires = cert.notAfter < ctx.cluster.clock.now() + secs * 1000;
        stdout += expires ? 'Certificate will expire\n' : 'Certificate will not expire\n';
        if (expires) return { stdout, stderr, exitCode: 1 };
        break;
      }
      default: break;
    }
  }
  if (!p.flags.has('noout')) {
    const pem = pemEncode('CERTIFICATE', cert.der);
    const out = last(p, 'out');
    if (out) writeFile(ctx, out, pem);
    else stdout += pem;
  }
  return { stdout, stderr, exitCode: 0 };
}

function hexBytes(h: string): Uint8Array {
  const s = h.length % 2 ? '0' + h : h;
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function genrsa(ctx: CommandContext, args: string[]): Out {
  const p = parseOpts('genrsa', args, ['out'], ['traditional']);
  if ('exitCode' in p) return p;
  const bitsArg = p.rest[0] ?? '2048';
  if (!/^\d+$/.test(bitsArg)) return fail(`genrsa: Extra option: "${bitsArg}"\ngenrsa: Use -help for summary.\n`);
  const bits = Number(bitsArg);
  if (bits < 512) return fail(`Error generating RSA key\n${threadId(ctx)}:error:1C8000AB:Provider routines:rsa_gen_set_params:key size too small:../providers/implementations/keymgmt/rsa_kmgmt.c:509:\n`);
  const key = newKey(ctx, bits);
  const pem = pemEncode('PRIVATE KEY', pkcs8(key));
  const out = last(p, 'out');
  if (out) {
    writeFile(ctx, out, pem);
    return { stdout: '', stderr: '', exitCode: 0 };
  }
  return { stdout: pem, stderr: '', exitCode: 0 };
}

function rsa(ctx: CommandContext, args: string[]): Out {
  const p = parseOpts('rsa', args, ['in', 'out'], ['noout', 'modulus', 'text', 'check']);
  if ('exitCode' in p) return p;
  const file = last(p, 'in');
  const k = file ? loadKey(ctx, file) : 'Could not read private key from <stdin>\n';
  if (typeof k === 'string') return fail(k);
  let stdout = '';
  if (p.flags.has('modulus')) stdout += `Modulus=${[...k.n].map((b) => b.toString(16).padStart(2, '0')).join('').toUpperCase()}\n`;
  if (p.flags.has('check')) stdout += 'RSA key ok\n';
  if (!p.flags.has('noout')) {
    const pem = pemEncode('PRIVATE KEY', pkcs8(k));
    const out = last(p, 'out');
    if (out) writeFile(ctx, out, pem);
    else stdout += pem;
    return { stdout, stderr: 'writing RSA key\n', exitCode: 0 };
  }
  return { stdout, stderr: '', exitCode: 0 };
}

/** `openssl verify [-CAfile F] CERT…` (apps/verify.c check()): "F: OK", or the failing certificate and code. */
function verify(ctx: CommandContext, args: string[]): Out {
  const p = parseOpts('verify', args, ['CAfile', 'untrusted'], ['show_chain', 'verbose']);
  if ('exitCode' in p) return p;
  const bundle = (f: string | undefined): Certificate[] | string => {
    if (f === undefined) return [];
    const text = readFile(ctx, f);
    if (text === undefined) return noSuchFile(ctx, 'certificate file', f) + 'Unable to load certificate file\n';
    return readBundle(text);
  };
  const trusted = bundle(last(p, 'CAfile'));
  if (typeof trusted === 'string') return { stdout: '', stderr: trusted, exitCode: 2 };
  const untrusted = bundle(last(p, 'untrusted'));
  if (typeof untrusted === 'string') return { stdout: '', stderr: untrusted, exitCode: 2 };
  let stdout = '';
  let stderr = '';
  let code = 0;
  for (const f of p.rest) {
    const c = loadCert(ctx, f);
    if (typeof c === 'string') {
      stderr += c.replace('Unable to load certificate\n', 'Unable to load certificate file\n').replace('loading certificate from', 'loading certificate file from');
      code = 2;
      continue;
    }
    const v = verifyChain([c, ...untrusted], trusted, ctx.cluster.clock.now());
    if (v.code === 0) stdout += `${f}: OK\n`;
    else {
      stderr += `${nameOneline(v.path[v.depth].subject)}\nerror ${v.code} at ${v.depth} depth lookup: ${v.text}\nerror ${f}: verification failed\n`;
      code = 2;
    }
  }
  return { stdout, stderr, exitCode: code };
}

/** apps/openssl.c help_main: the command table in four columns of 18 (openssl 3.0's list). */
const HELP_SECTIONS: [string, string[]][] = [["Standard commands", ["asn1parse", "ca", "ciphers", "cmp", "cms", "crl", "crl2pkcs7", "dgst", "dhparam", "dsa", "dsaparam", "ec", "ecparam", "enc", "engine", "errstr", "fipsinstall", "gendsa", "genpkey", "genrsa", "help", "info", "kdf", "list", "mac", "nseq", "ocsp", "passwd", "pkcs12", "pkcs7", "pkcs8", "pkey", "pkeyparam", "pkeyutl", "prime", "rand", "rehash", "req", "rsa", "rsautl", "s_client", "s_server", "s_time", "sess_id", "smime", "speed", "spkac", "srp", "storeutl", "ts", "verify", "version", "x509"]], ["Message Digest commands (see the `dgst' command for more details)", ["blake2b512", "blake2s256", "md4", "md5", "rmd160", "sha1", "sha224", "sha256", "sha3-224", "sha3-256", "sha3-384", "sha3-512", "sha384", "sha512", "sha512-224", "sha512-256", "shake128", "shake256", "sm3"]], ["Cipher commands (see the `enc' command for more details)", ["aes-128-cbc", "aes-128-ecb", "aes-192-cbc", "aes-192-ecb", "aes-256-cbc", "aes-256-ecb", "aria-128-cbc", "aria-128-cfb", "aria-128-cfb1", "aria-128-cfb8", "aria-128-ctr", "aria-128-ecb", "aria-128-ofb", "aria-192-cbc", "aria-192-cfb", "aria-192-cfb1", "aria-192-cfb8", "aria-192-ctr", "aria-192-ecb", "aria-192-ofb", "aria-256-cbc", "aria-256-cfb", "aria-256-cfb1", "aria-256-cfb8", "aria-256-ctr", "aria-256-ecb", "aria-256-ofb", "base64", "bf", "bf-cbc", "bf-cfb", "bf-ecb", "bf-ofb", "camellia-128-cbc", "camellia-128-ecb", "camellia-192-cbc", "camellia-192-ecb", "camellia-256-cbc", "camellia-256-ecb", "cast", "cast-cbc", "cast5-cbc", "cast5-cfb", "cast5-ecb", "cast5-ofb", "des", "des-cbc", "des-cfb", "des-ecb", "des-ede", "des-ede-cbc", "des-ede-cfb", "des-ede-ofb", "des-ede3", "des-ede3-cbc", "des-ede3-cfb", "des-ede3-ofb", "des-ofb", "des3", "desx", "rc2", "rc2-40-cbc", "rc2-64-cbc", "rc2-cbc", "rc2-cfb", "rc2-ecb", "rc2-ofb", "rc4", "rc4-40", "seed", "seed-cbc", "seed-cfb", "seed-ecb", "seed-ofb", "sm4-cbc", "sm4-cfb", "sm4-ctr", "sm4-ecb", "sm4-ofb"]]];

function helpText(): string {
  let out = 'help:\n';
  for (const [head, names] of HELP_SECTIONS) {
    out += `\n${head}\n`;
    for (let i = 0; i < names.length; i += 4) out += names.slice(i, i + 4).map((n) => n.padEnd(18)).join('') + '\n';
  }
  return out + '\n';
}

export const opensslCommand: CommandSpec = {
  name: 'openssl',
  summary: 'OpenSSL command line program',
  run(args: string[], ctx: CommandContext): CommandOutcome {
    const [sub, ...rest] = args;
    switch (sub) {
      case undefined: case 'help': return { stdout: '', stderr: helpText(), exitCode: 0 };
      // Ubuntu 24.04's openssl on the workstation; the Alpine 3.20 package in netshoot.
      case 'version': return { stdout: `${ctx.host.kind === 'workstation' ? OPENSSL_VERSION : 'OpenSSL 3.3.2 3 Sep 2024 (Library: OpenSSL 3.3.2 3 Sep 2024)'}\n`, stderr: '', exitCode: 0 };
      case 'req': return req(ctx, rest);
      case 'x509': return x509(ctx, rest);
      case 'genrsa': return genrsa(ctx, rest);
      case 'rsa': return rsa(ctx, rest);
      case 's_client': return opensslSClient(ctx, rest);
      case 'verify': return verify(ctx, rest);
      default: return { stdout: '', stderr: `Invalid command '${sub}'; type "help" for a list.\n`, exitCode: 1 };
    }
  },
};
