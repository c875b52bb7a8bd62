/**
 * The password checks of the simulated ingress-nginx's auth_basic (engine/controllers/ingress/htpasswd.ts):
 * MD5 against node's crypto, apr1/md5crypt against `openssl passwd -apr1|-1 -salt …` vectors,
 * {SHA}/{SSHA}/{PLAIN} as nginx's ngx_crypt reads them, the user file's first-line-wins rule
 * (ngx_http_auth_basic_module), and the schemes that are not simulated.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { basicCredentials, checkPassword, checkUserFile, md5Bytes, md5Crypt } from '../../../engine/controllers/ingress/htpasswd';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('ingress-nginx htpasswd', () => {
  it('MD5 matches node:crypto at every padding boundary', () => {
    for (const n of [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 200]) {
      const s = 'abcdefghij'.repeat(21).slice(0, n);
      expect(hex(md5Bytes(new TextEncoder().encode(s)))).toBe(createHash('md5').update(s).digest('hex'));
    }
  });

  it('apr1 and md5crypt match openssl passwd', () => {
    // openssl passwd -apr1 -salt abcdefgh bar; openssl passwd -1 -salt xy secret
    expect(md5Crypt('bar', '$apr1$', 'abcdefgh')).toBe('$apr1$abcdefgh$bGLO42WqKpmLoPH9uGWTg1');
    expect(md5Crypt('secret', '$1$', 'xy')).toBe('$1$xy$mkJt1Ht8AivD6sawHd.Cf1');
    expect(checkPassword('bar', '$apr1$abcdefgh$bGLO42WqKpmLoPH9uGWTg1')).toEqual({ ok: true });
    expect(checkPassword('baz', '$apr1$abcdefgh$bGLO42WqKpmLoPH9uGWTg1')).toEqual({ ok: false });
  });

  it('{SHA}, {SSHA} and {PLAIN}', () => {
    const sha = createHash('sha1').update('bar').digest('base64');
    expect(checkPassword('bar', `{SHA}${sha}`)).toEqual({ ok: true });
    const salt = Buffer.from('s4lt');
    const ssha = Buffer.concat([createHash('sha1').update(Buffer.concat([Buffer.from('bar'), salt])).digest(), salt]).toString('base64');
    expect(checkPassword('bar', `{SSHA}${ssha}`)).toEqual({ ok: true });
    expect(checkPassword('baz', `{SSHA}${ssha}`)).toEqual({ ok: false });
    expect(checkPassword('bar', '{PLAIN}bar')).toEqual({ ok: true });
  });

  it('bcrypt, SHA-crypt and DES are reported as not simulated', () => {
    expect(checkPassword('bar', '$2y$05$abcdefghijklmnopqrstuu5M0xVt6n1w2m0YxFZ5mY4z0q9x8w7a')).toEqual({ unsupported: 'bcrypt' });
    expect(checkPassword('bar', '$6$salt$hash')).toEqual({ unsupported: 'SHA-512-crypt' });
    expect(checkPassword('bar', 'abJnggxhB/yWI')).toEqual({ unsupported: 'DES crypt' });
  });

  it('the first line naming the user decides; comments are skipped', () => {
    const file = '# users\nfoo:{PLAIN}one\nfoo:{PLAIN}two\nbar:{PLAIN}x:comment\n';
    expect(checkUserFile(file, 'foo', 'one').result).toBe('ok');
    expect(checkUserFile(file, 'foo', 'two').result).toBe('mismatch');
    expect(checkUserFile(file, 'bar', 'x').result).toBe('ok');
    expect(checkUserFile(file, 'baz', 'x').result).toBe('no-user');
  });

  it('reads an Authorization: Basic header', () => {
    expect(basicCredentials(`Basic ${Buffer.from('foo:b:ar').toString('base64')}`)).toEqual({ user: 'foo', password: 'b:ar' });
    expect(basicCredentials('Bearer x')).toBeUndefined();
    expect(basicCredentials(undefined)).toBeUndefined();
  });
});
