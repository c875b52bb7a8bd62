/**
 * The name and value checks on their own (engine/cluster/validation/names.ts), with
 * apimachinery pkg/util/validation's messages byte for byte (RegexError's "'a',  or 'b'"
 * double space included) and the address rules the scenario loader and IPAM rely on.
 */
import { describe, expect, it } from 'vitest';
import {
  isCIDR,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isIP,
  isIPv4,
  isQualifiedName,
  isValidLabelValue,
  isValidPortName,
  isValidPortNum,
  isWildcardDNS1123Subdomain,
} from '../../../engine/cluster/validation/names';

describe('DNS names', () => {
  it('IsDNS1123Label: the regex message with its examples, and the length limit', () => {
    expect(isDNS1123Label('my-name')).toEqual([]);
    expect(isDNS1123Label('My_name')).toEqual([
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    ]);
    expect(isDNS1123Label('a'.repeat(64))).toEqual(['must be no more than 63 characters']);
  });

  it('IsDNS1123Subdomain allows dots; IsDNS1035Label must start with a letter', () => {
    expect(isDNS1123Subdomain('web.shop.example.com')).toEqual([]);
    expect(isDNS1123Subdomain('a'.repeat(254))).toEqual(['must be no more than 253 characters']);
    expect(isDNS1035Label('web-1')).toEqual([]);
    expect(isDNS1035Label('1abc')).toEqual([
      "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
    ]);
  });

  it('IsWildcardDNS1123Subdomain', () => {
    expect(isWildcardDNS1123Subdomain('*.example.com')).toEqual([]);
    expect(isWildcardDNS1123Subdomain('*.Example.com')).toEqual([
      "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ]);
  });
});

describe('labels and ports', () => {
  it('IsQualifiedName: an optional DNS prefix, a non-empty name part, at most one slash', () => {
    expect(isQualifiedName('app.kubernetes.io/name')).toEqual([]);
    expect(isQualifiedName('example.com/')).toEqual(['name part must be non-empty']);
    expect(isQualifiedName('/name')).toEqual(['prefix part must be non-empty']);
    expect(isQualifiedName('a/b/c')).toEqual([
      "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ]);
  });

  it('IsValidLabelValue accepts the empty string', () => {
    expect(isValidLabelValue('')).toEqual([]);
    expect(isValidLabelValue('-x')).toEqual([
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    ]);
  });

  it('IsValidPortNum and IsValidPortName (IANA_SVC_NAME) report every rule broken', () => {
    expect(isValidPortNum(80)).toEqual([]);
    expect(isValidPortNum(0)).toEqual(['must be between 1 and 65535, inclusive']);
    expect(isValidPortNum(65536)).toEqual(['must be between 1 and 65535, inclusive']);
    expect(isValidPortName('http-alt')).toEqual([]);
    expect(isValidPortName('-8080-')).toEqual(['must contain at least one letter (a-z)', 'must not begin or end with a hyphen']);
    expect(isValidPortName('a--b')).toEqual(['must not contain consecutive hyphens']);
    expect(isValidPortName('Http')).toEqual(['must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)']);
  });
});

describe('addresses', () => {
  it('IPv4 as netip.ParseAddr takes it: no leading zeros, each part at most 255', () => {
    expect(isIPv4('10.96.0.10')).toBe(true);
    expect(isIPv4('010.0.0.1')).toBe(false);
    expect(isIPv4('10.0.0.256')).toBe(false);
    expect(isIP('::1')).toBe(true);
    expect(isIP('10.0.0')).toBe(false);
  });

  it('CIDRs need a prefix length within the family', () => {
    expect(isCIDR('10.244.0.0/16')).toBe(true);
    expect(isCIDR('10.0.0.0/33')).toBe(false);
    expect(isCIDR('2001:db8::/64')).toBe(true);
    expect(isCIDR('10.0.0.1')).toBe(false);
  });
});
