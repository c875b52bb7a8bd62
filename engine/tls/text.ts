/**
 * What openssl 3 prints about a certificate, derived from its bytes: `x509 -text`
 * (crypto/x509/t_x509.c X509_print_ex, crypto/rsa/rsa_ameth.c pkey_rsa_print,
 * crypto/asn1/t_pkey.c ASN1_buf_print, crypto/x509/v3_*.c extension printers) and the
 * one-line `-subject`, `-issuer`, `-dates`, `-fingerprint`, `-ext` outputs.
 */
import * as der from './der';
import { EXT, KEY_USAGE, EKU_CLIENT, EKU_SERVER, nameOneline, subjectAltNames, type Certificate, type CertificateRequest, type Extension } from './x509';
import { OID_SHA256_RSA } from './keys';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** ASN1_TIME_print: "Dec  7 03:54:15 2026 GMT". */
export function asn1Time(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} ${d.getUTCFullYear()} GMT`;
}

const hex2 = (b: number) => b.toString(16).padStart(2, '0');

/** ASN1_buf_print / X509_signature_dump: `per` bytes a line, a colon after every byte but the last. */
function hexBlock(b: Uint8Array, indent: number, per: number): string {
  let out = '';
  for (let i = 0; i < b.length; i++) {
    if (i % per === 0) out += (i ? '\n' : '') + ' '.repeat(indent);
    out += hex2(b[i]) + (i === b.length - 1 ? '' : ':');
  }
  return out + '\n';
}

const ALG_NAMES: Record<string, string> = { [OID_SHA256_RSA]: 'sha256WithRSAEncryption', '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption', '1.2.840.113549.1.1.1': 'rsaEncryption' };

export function algorithmName(oid: string): string {
  return ALG_NAMES[oid] ?? oid;
}

const EXT_NAMES: Record<string, string> = {
  [EXT.subjectKeyIdentifier]: 'X509v3 Subject Key Identifier',
  [EXT.keyUsage]: 'X509v3 Key Usage',
  [EXT.subjectAltName]: 'X509v3 Subject Alternative Name',
  [EXT.basicConstraints]: 'X509v3 Basic Constraints',
  [EXT.authorityKeyIdentifier]: 'X509v3 Authority Key Identifier',
  [EXT.extKeyUsage]: 'X509v3 Extended Key Usage',
};

export const EXT_BY_SHORT_NAME: Record<string, string> = {
  subjectAltName: EXT.subjectAltName,
  basicConstraints: EXT.basicConstraints,
  keyUsage: EXT.keyUsage,
  extendedKeyUsage: EXT.extKeyUsage,
  subjectKeyIdentifier: EXT.subjectKeyIdentifier,
  authorityKeyIdentifier: EXT.authorityKeyIdentifier,
};

const upperHex = (b: Uint8Array) => [...b].map((x) => hex2(x).toUpperCase()).join(':');

/** The value line of one extension, as X509V3_EXT_print writes it. */
function extensionValue(e: Extension): string {
  const root = der.decode(e.value);
  switch (e.oid) {
    case EXT.subjectAltName:
      return subjectAltNames({ extensions: [e] }).map((g) => (g.type === 'DNS' ? `DNS:${g.value}` : g.type === 'IP' ? `IP Address:${g.value}` : `email:${g.value}`)).join(', ');
    case EXT.basicConstraints: {
      const f = root.children ?? [];
      const ca = f[0]?.tag === 0x01 && f[0].value[0] !== 0;
      const path = f.find((n) => n.tag === 0x02);
      return `CA:${ca ? 'TRUE' : 'FALSE'}${path ? `, pathlen:${der.readNumber(path)}` : ''}`;
    }
    case EXT.subjectKeyIdentifier:
      return upperHex(root.value);
    case EXT.authorityKeyIdentifier: {
      const id = (root.children ?? []).find((n) => n.tag === 0x80);
      return id ? upperHex(id.value) : '';
    }
    case EXT.keyUsage: {
      const b = root.value.subarray(1);
      const v = ((b[0] ?? 0) << 8) | (b[1] ?? 0);
      return KEY_USAGE.filter((_, i) => v & (0x8000 >> i)).join(', ');
    }
    case EXT.extKeyUsage:
      return (root.children ?? []).map((n) => {
        const o = der.readOid(n);
        return o === EKU_SERVER ? 'TLS Web Server Authentication' : o === EKU_CLIENT ? 'TLS Web Client Authentication' : o;
      }).join(', ');
    default:
      return upperHex(e.value);
  }
}

/** X509V3_extensions_print for one extension at `indent`. */
export function extensionText(e: Extension, indent: number): string {
  return `${' '.repeat(indent)}${EXT_NAMES[e.oid] ?? e.oid}: ${e.critical ? 'critical' : ''}\n${' '.repeat(indent + 4)}${extensionValue(e)}\n`;
}

function serialText(serial: Uint8Array): string {
  if (serial.length <= 8) {
    let v = 0n;
    for (const b of serial) v = (v << 8n) | BigInt(b);
    return ` ${v} (0x${v.toString(16)})\n`;
  }
  return `\n${' '.repeat(12)}${[...serial].map(hex2).join(':')}\n`;
}

function publicKeyText(k: { bits: number; n: Uint8Array; e: number }, indent: number): string {
  const modulus = k.n[0] & 0x80 ? Uint8Array.from([0, ...k.n]) : k.n;
  const pad = ' '.repeat(indent);
  return `${pad}Public Key Algorithm: rsaEncryption\n${pad}    Public-Key: (${k.bits} bit)\n${pad}    Modulus:\n${hexBlock(modulus, indent + 8, 15)}${pad}    Exponent: ${k.e} (0x${k.e.toString(16)})\n`;
}

/** `openssl x509 -text -noout`. */
export function certificateText(c: Certificate): string {
  let out = 'Certificate:\n    Data:\n';
  out += `        Version: ${c.version} (0x${(c.version - 1).toString(16)})\n`;
  out += `        Serial Number:${serialText(c.serial)}`;
  out += `        Signature Algorithm: ${algorithmName(c.signatureAlgorithm)}\n`;
  out += `        Issuer: ${nameOneline(c.issuer)}\n`;
  out += `        Validity\n            Not Before: ${asn1Time(c.notBefore)}\n            Not After : ${asn1Time(c.notAfter)}\n`;
  out += `        Subject: ${nameOneline(c.subject)}\n`;
  out += `        Subject Public Key Info:\n${publicKeyText(c.publicKey, 12)}`;
  if (c.extensions.length) {
    out += '        X509v3 extensions:\n';
    for (const e of c.extensions) out += extensionText(e, 12);
  }
  out += `    Signature Algorithm: ${algorithmName(c.signatureAlgorithm)}\n    Signature Value:\n${hexBlock(c.signature, 8, 18)}`;
  return out;
}

/** `openssl req -text -noout` (crypto/x509/t_req.c). */
export function requestText(r: CertificateRequest): string {
  let out = 'Certificate Request:\n    Data:\n        Version: 1 (0x0)\n';
  out += `        Subject: ${nameOneline(r.subject)}\n`;
  out += `        Subject Public Key Info:\n${publicKeyText(r.publicKey, 12)}`;
  out += '        Attributes:\n';
  if (r.extensions.length) {
    out += '            Requested Extensions:\n';
    for (const e of r.extensions) out += extensionText(e, 16);
  } else out += '            (none)\n';
  out += `    Signature Algorithm: sha256WithRSAEncryption\n    Signature Value:\n${hexBlock(r.signature, 8, 18)}`;
  return out;
}

/** `openssl x509 -ext NAMES`: the chosen extensions, in the certificate's order. */
export function extensionsText(c: Certificate, oids: string[]): string {
  return c.extensions.filter((e) => oids.includes(e.oid)).map((e) => extensionText(e, 0)).join('');
}

