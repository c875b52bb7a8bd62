/**
 * NetworkPolicies: the pod selector, each rule's ports (port, endPort, protocol) and peers
 * (pod/namespace selectors, ipBlock and its excepts), policyTypes. Follows
 * pkg/apis/networking/validation (ValidateNetworkPolicySpec, ValidateNetworkPolicyPeer, ValidateIPBlock).
 */
import ipaddr from 'ipaddr.js';
import type { KubeObject } from '../types';
import { fe, go, goQuote, type FieldError } from '../fielderrors';
import { num, type Obj } from './common';
import { validateLabelSelector } from './meta';
import { isCIDR, isValidPortName, isValidPortNum } from './names';

/** ValidateNetworkPolicyPeer, with ValidateIPBlock for an ipBlock peer. */
function validateNetworkPolicyPeer(peer: Obj, path: string, errs: FieldError[]): void {
  let n = 0;
  if (peer?.podSelector) {
    n++;
    errs.push(...validateLabelSelector(peer.podSelector, `${path}.podSelector`));
  }
  if (peer?.namespaceSelector) {
    n++;
    errs.push(...validateLabelSelector(peer.namespaceSelector, `${path}.namespaceSelector`));
  }
  if (peer?.ipBlock) {
    n++;
    const b = peer.ipBlock as Obj;
    const bp = `${path}.ipBlock`;
    if (!b.cidr) errs.push(fe.required(`${bp}.cidr`, ''));
    else if (!isCIDR(String(b.cidr))) errs.push(fe.invalid(`${bp}.cidr`, go.str(String(b.cidr)), 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));
    else {
      const [net, bits] = ipaddr.parseCIDR(String(b.cidr));
      (Array.isArray(b.except) ? b.except : []).forEach((ex: unknown, i: number) => {
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
  else if (n > 1 && peer.ipBlock) errs.push(fe.forbidden(path, 'may not specify both ipBlock and another peer'));
}

/** ValidateNetworkPolicySpec: the pod selector, each rule's ports and peers, policyTypes. */
export function validateNetworkPolicy(obj: KubeObject, errs: FieldError[]): void {
  const s = (obj.spec ?? {}) as Obj;
  errs.push(...validateLabelSelector(s.podSelector, 'spec.podSelector'));
  for (const [dir, peers] of [['ingress', 'from'], ['egress', 'to']] as const) {
    (Array.isArray(s[dir]) ? s[dir] : []).forEach((rule: Obj, i: number) => {
      const rp = `spec.${dir}[${i}]`;
      (Array.isArray(rule?.ports) ? rule.ports : []).forEach((port: Obj, j: number) => {
        const pp = `${rp}.ports[${j}]`;
        if (port?.protocol !== undefined && !['TCP', 'UDP', 'SCTP'].includes(port.protocol)) {
          errs.push(fe.notSupported(`${pp}.protocol`, go.str(String(port.protocol)), ['TCP', 'UDP', 'SCTP']));
        }
        if (port?.port !== undefined && port.port !== null) {
          if (typeof port.port === 'number') {
            for (const m of isValidPortNum(port.port)) errs.push(fe.invalid(`${pp}.port`, go.int(port.port), m));
            if (port.endPort !== undefined) {
              if (port.endPort < port.port) errs.push(fe.invalid(`${pp}.endPort`, go.int(port.port), 'must be greater than or equal to `port`'));
              for (const m of isValidPortNum(num(port.endPort))) errs.push(fe.invalid(`${pp}.endPort`, go.any(port.endPort), m));
            }
          } else {
            if (port.endPort !== undefined) errs.push(fe.invalid(`${pp}.endPort`, go.any(port.endPort), 'may not be specified when `port` is non-numeric'));
            for (const m of isValidPortName(String(port.port))) errs.push(fe.invalid(`${pp}.port`, go.str(String(port.port)), m));
          }
        } else if (port?.endPort !== undefined) {
          errs.push(fe.invalid(`${pp}.endPort`, go.any(port.endPort), 'may not be specified when `port` is not specified'));
        }
      });
      (Array.isArray(rule?.[peers]) ? rule[peers] : []).forEach((peer: Obj, j: number) => validateNetworkPolicyPeer(peer, `${rp}.${peers}[${j}]`, errs));
    });
  }
  const types: unknown[] = Array.isArray(s.policyTypes) ? s.policyTypes : [];
  if (types.length > 2) errs.push(fe.invalid('spec.policyTypes', go.raw(`&[]networking.PolicyType{${types.map((t) => goQuote(String(t))).join(', ')}}`), 'may not specify more than two policyTypes'));
  else types.forEach((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress') errs.push(fe.notSupported(`spec.policyTypes[${i}]`, go.str(String(t)), ['Ingress', 'Egress']));
  });
}
