/**
 * OpenSSL's X509_verify_cert, reduced to what a TLS client here meets: build the path
 * from the leaf through the chain the server sent to a trusted certificate (trusted
 * issuers first, as X509_V_FLAG_TRUSTED_FIRST), then check each certificate's validity
 * period against the virtual clock. Codes and texts are crypto/x509/x509_txt.c's
 * (openssl 3 spelling: "self-signed").
 */
import { equalBytes } from './der';
import { issuedBy, selfSigned, type Certificate } from './x509';

export interface VerifyResult {
  /** X509_V_OK (0) or an X509_V_ERR_* code. */
  code: number;
  text: string;
  /** The certificate the error is about (depth in the path). */
  depth: number;
  /** The path as far as it was built: the leaf first, a trust anchor last when found. */
  path: Certificate[];
  /**
   * What SSL_get_verify_result says when verification is told to go on past errors
   * (curl -k, s_client): a lone untrusted leaf ends with 21 after the 20.
   */
  last: { code: number; text: string };
}

export const VERIFY_TEXT: Record<number, string> = {
  0: 'ok',
  9: 'certificate is not yet valid',
  10: 'certificate has expired',
  18: 'self-signed certificate',
  19: 'self-signed certificate in certificate chain',
  20: 'unable to get local issuer certificate',
  21: 'unable to verify the first certificate',
};

export function verifyChain(chain: Certificate[], trusted: Certificate[], now: number): VerifyResult {
  const path: Certificate[] = [];
  const result = (code: number, depth: number): VerifyResult => {
    const lastCode = code === 20 && path.length === 1 ? 21 : code;
    return { code, text: VERIFY_TEXT[code], depth, path, last: { code: lastCode, text: VERIFY_TEXT[lastCode] } };
  };
  let cur: Certificate | undefined = chain[0];
  const untrusted = chain.slice(1);
  let ok = false;
  while (cur && path.length < 10) {
    path.push(cur);
    const c: Certificate = cur;
    if (trusted.some((t) => equalBytes(t.der, c.der))) {
      ok = true;
      break;
    }
    const anchor = trusted.find((t) => issuedBy(c, t));
    if (anchor) {
      path.push(anchor);
      ok = true;
      break;
    }
    if (selfSigned(c)) return result(path.length === 1 ? 18 : 19, path.length - 1);
    cur = untrusted.find((u) => !path.includes(u) && issuedBy(c, u));
    if (!cur) return result(20, path.length - 1);
  }
  if (!ok) return result(20, path.length - 1);
  // internal_verify walks from the top of the path down to the leaf.
  for (let i = path.length - 1; i >= 0; i--) {
    if (now < path[i].notBefore) return result(9, i);
    if (now > path[i].notAfter) return result(10, i);
  }
  return result(0, 0);
}
