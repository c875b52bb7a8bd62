/**
 * NetworkPolicies: the pod selector, each rule's ports (port, endPort, protocol) and peers
 * (pod/namespace selectors, ipBlock and its excepts), policyTypes. Follows
 * pkg/apis/networking/validation (ValidateNetworkPolicySpec, ValidateNetworkPolicyPeer, ValidateIPBlock).
 */
import ipaddr from 'ipaddr.js';
import { member } from '../types';
import { fe, go, goQuote, type FieldError } from '../fielderrors';
import { fieldsOf, items, num, oneOf, type UncheckedObject } from './common';
import { validateLabelSelector } from './meta';
import { isCIDR, isValidPortName, isValidPortNum } from './names';

/** ValidateNetworkPolicyPeer, with ValidateIPBlock for an ipBlock peer. */
function validateNetworkPolicyPeer(peer: unknown, path: string, errs: FieldError[]): void {
  let n = 0;
  const podSelector = member(peer, 'podSelector');
  if (podSelector) {
    n++;
    errs.push(...validateLabelSelector(podSelector, `${path}.podSelector`));
  }
  const namespaceSelector = member(peer, 'namespaceSelector');
  if (namespaceSelector) {
    n++;
    errs.push(...validateLabelSelector(namespaceSelector, `${path}.namespaceSelector`));
  }
  const ipBlock = member(peer, 'ipBlock');
  if (ipBlock) {
    n++;
    const cidr = member(ipBlock, 'cidr');
    const bp = `${path}.ipBlock`;
    if (!cidr) errs.push(fe.required(`${bp}.cidr`, ''));
    else if (!isCIDR(String(cidr))) errs.push(fe.invalid(`${bp}.cidr`, go.str(String(cidr)), 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));
    else {
      const [net, bits] = ipaddr.parseCIDR(String(cidr));
      items(member(ipBlock, 'except')).forEach((ex, i) => {
        const ep = `${bp}.except[${i}]`;
        const e = String(ex);
        if (!isCIDR(e)) {
          errs.push(fe.invalid(ep, go.str(e), 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));
          return;
        }
        const [eip, ebits] = ipaddr.parseCIDR(e);
        if (eip.kind() !== net.kind() || !eip.match(net, bits) || bits >= ebits) errs.push(fe.invalid(ep, go.str(e), 'must be a strict subset of `cidr`'));
      });
    }
  }
  if (n === 0) errs.push(fe.required(path, 'must specify a peer'));
  else if (n > 1 && ipBlock) errs.push(fe.forbidden(path, 'may not specify both ipBlock and another peer'));
}

/** ValidateNetworkPolicySpec: the pod selector, each rule's ports and peers, policyTypes. */
export function validateNetworkPolicy(obj: UncheckedObject, errs: FieldError[]): void {
  const s = fieldsOf(obj.spec);
  errs.push(...validateLabelSelector(s.podSelector, 'spec.podSelector'));
  for (const [dir, peers] of [['ingress', 'from'], ['egress', 'to']] as const) {
    items(s[dir]).forEach((rule, i) => {
      const rp = `spec.${dir}[${i}]`;
      items(member(rule, 'ports')).forEach((p, j) => {
        const pp = `${rp}.ports[${j}]`;
        const protocol = member(p, 'protocol');
        const port = member(p, 'port');
        const endPort = member(p, 'endPort');
        if (protocol !== undefined && !oneOf(protocol, ['TCP', 'UDP', 'SCTP'])) {
          errs.push(fe.notSupported(`${pp}.protocol`, go.str(String(protocol)), ['TCP', 'UDP', 'SCTP']));
        }
        if (port !== undefined && port !== null) {
          if (typeof port === 'number') {
            for (const m of isValidPortNum(port)) errs.push(fe.invalid(`${pp}.port`, go.int(port), m));
            if (endPort !== undefined) {
              if (Number(endPort) < port) errs.push(fe.invalid(`${pp}.endPort`, go.int(port), 'must be greater than or equal to `port`'));
              for (const m of isValidPortNum(num(endPort))) errs.push(fe.invalid(`${pp}.endPort`, go.any(endPort), m));
            }
          } else {
            if (endPort !== undefined) errs.push(fe.invalid(`${pp}.endPort`, go.any(endPort), 'may not be specified when `port` is non-numeric'));
            for (const m of isValidPortName(String(port))) errs.push(fe.invalid(`${pp}.port`, go.str(String(port)), m));
          }
        } else if (endPort !== undefined) {
          errs.push(fe.invalid(`${pp}.endPort`, go.any(endPort), 'may not be specified when `port` is not specified'));
        }
      });
      items(member(rule, peers)).forEach((peer, j) => validateNetworkPolicyPeer(peer, `${rp}.${peers}[${j}]`, errs));
    });
  }
  const types = items(s.policyTypes);
  if (types.length > 2) errs.push(fe.invalid('spec.policyTypes', go.raw(`&[]networking.PolicyType{${types.map((t) => goQuote(String(t))).join(', ')}}`), 'may not specify more than two policyTypes'));
  else types.forEach((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress') errs.push(fe.notSupported(`spec.policyTypes[${i}]`, go.str(String(t)), ['Ingress', 'Egress']));
  });
}
