/**
 * X.509 v3 certificates (RFC 5280) and PKCS#10 certificate requests (RFC 2986): the model,
 * real DER both ways, and the checks TLS makes — hostname matching (RFC 6125 as Go's
 * crypto/x509 and curl do it), issuance (names and signature) and validity.
 */
import { sha1Bytes, sha256Bytes } from '../cluster/hash';
import * as der from './der';
import { DerError, type DerNode } from './der';
import { readSpki, sha256WithRsa, sign, spki, verifies, OID_SHA256_RSA, type RsaKey, type RsaPublicKey } from './keys';

/** A distinguished name as an ordered list of (short name, value), one attribute per RDN. */
export type Name = [string, string][];

export const NAME_OIDS: Record<string, string> = {
  C: '2.5.4.6', ST: '2.5.4.8', L: '2.5.4.7', O: '2.5.4.10', OU: '2.5.4.11', CN: '2.5.4.3', emailAddress: '1.2.840.113549.1.9.1', DC: '0.9.2342.19200300.100.1.25', serialNumber: '2.5.4.5',
};
const NAME_BY_OID = Object.fromEntries(Object.entries(NAME_OIDS).map(([k, v]) => [v, k]));

export const EXT = {
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
};
const OID_EXTENSION_REQUEST = '1.2.840.113549.1.9.14';
export const EKU_SERVER = '1.3.6.1.5.5.7.3.1';
export const EKU_CLIENT = '1.3.6.1.5.5.7.3.2';

export interface Extension {
  oid: string;
  critical: boolean;
  /** The DER inside extnValue. */
  value: Uint8Array;
}

export type GeneralName = { type: 'DNS'; value: string } | { type: 'IP'; value: string } | { type: 'email'; value: string };

export interface Certificate {
  der: Uint8Array;
  tbs: Uint8Array;
  version: number;
  serial: Uint8Array;
  signatureAlgorithm: string;
  issuer: Name;
  subject: Name;
  notBefore: number;
  notAfter: number;
  publicKey: RsaPublicKey;
  extensions: Extension[];
  signature: Uint8Array;
}

export interface CertificateRequest {
  der: Uint8Array;
  info: Uint8Array;
  subject: Name;
  publicKey: RsaPublicKey;
  extensions: Extension[];
  signature: Uint8Array;
}

// ---- names

function encodeName(n: Name): Uint8Array {
  return der.seq(...n.map(([k, v]) => der.set(der.seq(der.oid(NAME_OIDS[k]), k === 'C' ? der.printable(v) : k === 'emailAddress' || k === 'DC' ? der.ia5(v) : der.utf8(v)))));
}

function readName(n: DerNode | undefined): Name {
  const out: Name = [];
  for (const rdn of der.kids(n, 'Name')) {
    for (const atv of der.kids(rdn, 'RelativeDistinguishedName', 0x31)) {
      const [t, v] = der.kids(atv, 'AttributeTypeAndValue');
      const o = der.readOid(t);
      out.push([NAME_BY_OID[o] ?? o, der.readString(v)]);
    }
  }
  return out;
}

/** openssl 3's default `-nameopt oneline`: "C = US, O = Acme, CN = demo". */
export function nameOneline(n: Name): string {
  return n.map(([k, v]) => `${k} = ${v}`).join(', ');
}

/** curl's x509_name_oneline (XN_FLAG_SEP_SPLUS_SPC): "O=Acme Co; CN=demo". */
export function nameCurl(n: Name): string {
  return n.map(([k, v]) => `${k}=${v}`).join('; ');
}

export function sameName(a: Name, b: Name): boolean {
  return a.length === b.length && a.every(([k, v], i) => b[i][0] === k && b[i][1] === v);
}

export function commonName(n: Name): string | undefined {
  return [...n].reverse().find(([k]) => k === 'CN')?.[1];
}

// ---- extensions

export function sanExtension(names: GeneralName[]): Extension {
  const enc = names.map((g) => {
    if (g.type === 'DNS') return der.tlv(0x82, new TextEncoder().encode(g.value));
    if (g.type === 'email') return der.tlv(0x81, new TextEncoder().encode(g.value));
    return der.tlv(0x87, Uint8Array.from(g.value.split('.').map(Number)));
  });
  return { oid: EXT.subjectAltName, critical: false, value: der.seq(...enc) };
}

export function basicConstraints(ca: boolean, critical = true, pathLen?: number): Extension {
  const parts = ca ? [der.bool(true), ...(pathLen !== undefined ? [der.int(pathLen)] : [])] : [];
  return { oid: EXT.basicConstraints, critical, value: der.seq(...parts) };
}

/** RFC 5280 §4.2.1.2 method 1, openssl's `subjectKeyIdentifier=hash`: SHA-1 of the public key bits. */
export function keyId(k: RsaPublicKey): Uint8Array {
  return sha1Bytes(der.readBits(der.kids(der.decode(spki(k)), 'SubjectPublicKeyInfo')[1]));
}

export function skiExtension(k: RsaPublicKey): Extension {
  return { oid: EXT.subjectKeyIdentifier, critical: false, value: der.octets(keyId(k)) };
}

export function akiExtension(issuerKey: RsaPublicKey): Extension {
  return { oid: EXT.authorityKeyIdentifier, critical: false, value: der.seq(der.ctx(0, keyId(issuerKey), false)) };
}

/** KeyUsage bits, named as openssl prints them. */
export const KEY_USAGE = ['Digital Signature', 'Non Repudiation', 'Key Encipherment', 'Data Encipherment', 'Key Agreement', 'Certificate Sign', 'CRL Sign', 'Encipher Only', 'Decipher Only'];

export function keyUsageExtension(bitsSet: number[], critical = true): Extension {
  let v = 0;
  for (const b of bitsSet) v |= 0x8000 >> b;
  const hi = v >> 8;
  const lo = v & 0xff;
  const bytes = lo ? [hi, lo] : [hi];
  const last = bytes[bytes.length - 1];
  let unused = 0;
  while (unused < 7 && !(last & (1 << unused))) unused++;
  return { oid: EXT.keyUsage, critical, value: der.tlv(0x03, Uint8Array.from([unused, ...bytes])) };
}

export function extKeyUsageExtension(oids: string[], critical = false): Extension {
  return { oid: EXT.extKeyUsage, critical, value: der.seq(...oids.map((o) => der.oid(o))) };
}

function encodeExtensions(exts: Extension[]): Uint8Array {
  return der.seq(...exts.map((e) => der.seq(der.oid(e.oid), ...(e.critical ? [der.bool(true)] : []), der.octets(e.value))));
}

function readExtensions(n: DerNode | undefined): Extension[] {
  return der.kids(n, 'Extensions').map((e) => {
    const f = der.kids(e, 'Extension');
    const critical = f.length === 3 && f[1].tag === 0x01 && f[1].value[0] !== 0;
    const v = f[f.length - 1];
    if (!v || v.tag !== 0x04) throw new DerError('expected extnValue');
    return { oid: der.readOid(f[0]), critical, value: v.value };
  });
}

export function extension(c: { extensions: Extension[] }, o: string): Extension | undefined {
  return c.extensions.find((e) => e.oid === o);
}

export function subjectAltNames(c: { extensions: Extension[] }): GeneralName[] {
  const e = extension(c, EXT.subjectAltName);
  if (!e) return [];
  return der.kids(der.decode(e.value), 'GeneralNames').flatMap((g): GeneralName[] => {
    const text = new TextDecoder().decode(g.value);
    if (g.tag === 0x82) return [{ type: 'DNS', value: text }];
    if (g.tag === 0x81) return [{ type: 'email', value: text }];
    if (g.tag === 0x87 && g.value.length === 4) return [{ type: 'IP', value: [...g.value].join('.') }];
    return [];
  });
}

export function isCa(c: Certificate): boolean {
  const e = extension(c, EXT.basicConstraints);
  if (!e) return false;
  const f = der.kids(der.decode(e.value), 'BasicConstraints');
  return f.length > 0 && f[0].tag === 0x01 && f[0].value[0] !== 0;
}

// ---- certificates

export interface CertificateInput {
  serial: Uint8Array;
  issuer: Name;
  subject: Name;
  notBefore: number;
  notAfter: number;
  publicKey: RsaPublicKey;
  extensions: Extension[];
  /** 3 (the default) or 1: a v1 certificate has no version field and no extensions. */
  version?: 1 | 3;
}

/** Builds and signs a v3 certificate with sha256WithRSAEncryption. */
export function issueCertificate(input: CertificateInput, signer: RsaKey): Certificate {
  const v1 = input.version === 1;
  const tbs = der.seq(
    ...(v1 ? [] : [der.ctx(0, der.int(2))]),
    der.uint(input.serial),
    sha256WithRsa(),
    encodeName(input.issuer),
    der.seq(der.time(input.notBefore), der.time(input.notAfter)),
    encodeName(input.subject),
    spki(input.publicKey),
    ...(!v1 && input.extensions.length ? [der.ctx(3, encodeExtensions(input.extensions))] : []),
  );
  const signature = sign(tbs, signer);
  const full = der.seq(tbs, sha256WithRsa(), der.bits(signature));
  return parseCertificate(full);
}

/** A certificate from its DER; DerError when it is not one. */
export function parseCertificate(bytes: Uint8Array): Certificate {
  const root = der.decode(bytes);
  const [tbsNode, algNode, sigNode] = der.kids(root, 'Certificate');
  const f = der.kids(tbsNode, 'TBSCertificate');
  let i = 0;
  let version = 1;
  if (f[0]?.tag === 0xa0) {
    version = der.readNumber(f[0].children?.[0]) + 1;
    i++;
  }
  const serial = der.readUint(f[i++]);
  i++; // signature algorithm inside tbs
  const issuer = readName(f[i++]);
  const [nb, na] = der.kids(f[i++], 'Validity');
  const subject = readName(f[i++]);
  const publicKey = readSpki(f[i++]);
  let extensions: Extension[] = [];
  for (; i < f.length; i++) if (f[i].tag === 0xa3) extensions = readExtensions(f[i].children?.[0]);
  return {
    der: bytes,
    tbs: tbsNode.raw,
    version,
    serial,
    signatureAlgorithm: der.readOid(der.kids(algNode, 'AlgorithmIdentifier')[0]),
    issuer,
    subject,
    notBefore: der.readTime(nb),
    notAfter: der.readTime(na),
    publicKey,
    extensions,
    signature: der.readBits(sigNode),
  };
}

/** PKCS#10: a request signed with the requester's own key, extensions in an extensionRequest attribute. */
export function createRequest(subject: Name, key: RsaKey, extensions: Extension[]): CertificateRequest {
  // attributes [0] IMPLICIT SET OF Attribute: the extensionRequest attribute, or nothing.
  const attrs = extensions.length ? der.seq(der.oid(OID_EXTENSION_REQUEST), der.set(encodeExtensions(extensions))) : new Uint8Array(0);
  const info = der.seq(der.int(0), encodeName(subject), spki(key), der.ctx(0, attrs));
  const signature = sign(info, key);
  return parseRequest(der.seq(info, sha256WithRsa(), der.bits(signature)));
}

export function parseRequest(bytes: Uint8Array): CertificateRequest {
  const [infoNode, , sigNode] = der.kids(der.decode(bytes), 'CertificationRequest');
  const f = der.kids(infoNode, 'CertificationRequestInfo');
  const subject = readName(f[1]);
  const publicKey = readSpki(f[2]);
  let extensions: Extension[] = [];
  for (const attr of f[3]?.tag === 0xa0 ? f[3].children ?? [] : []) {
    const [t, vals] = der.kids(attr, 'Attribute');
    if (der.readOid(t) === OID_EXTENSION_REQUEST) extensions = readExtensions(der.kids(vals, 'values', 0x31)[0]);
  }
  return { der: bytes, info: infoNode.raw, subject, publicKey, extensions, signature: der.readBits(sigNode) };
}

export function requestSelfSignatureOk(r: CertificateRequest): boolean {
  return verifies(r.info, r.signature, r.publicKey);
}

// ---- checks

/** Did `issuer` sign `cert`? (names chain and the signature verifies with the issuer's key) */
export function issuedBy(cert: Certificate, issuer: Certificate): boolean {
  return sameName(cert.issuer, issuer.subject) && cert.signatureAlgorithm === OID_SHA256_RSA && verifies(cert.tbs, cert.signature, issuer.publicKey);
}

export function selfSigned(cert: Certificate): boolean {
  return issuedBy(cert, cert);
}

/** RFC 6125 wildcard: `*.example.com` matches exactly one label; case-insensitive. */
export function hostMatchesPattern(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase().replace(/\.$/, '');
  const h = host.toLowerCase().replace(/\.$/, '');
  if (p === h) return true;
  if (!p.startsWith('*.')) return false;
  const dot = h.indexOf('.');
  return dot > 0 && h.slice(dot + 1) === p.slice(2);
}

/** Go's Certificate.VerifyHostname (SANs only; IPs against IP SANs). */
export function verifyHostname(cert: Certificate, host: string): boolean {
  const sans = subjectAltNames(cert);
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) return sans.some((g) => g.type === 'IP' && g.value === host);
  return sans.some((g) => g.type === 'DNS' && hostMatchesPattern(g.value, host));
}

export function fingerprint(cert: Certificate, alg: 'sha1' | 'sha256'): string {
  const d = alg === 'sha1' ? sha1Bytes(cert.der) : sha256Bytes(cert.der);
  return [...d].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':');
}
