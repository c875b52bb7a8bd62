/**
 * The CNI plugin's own netfilter chains on a node (what `iptables-save` shows besides
 * kube-proxy's and kubelet's).
 */
import type { Simulation } from '../../simulation';
import type { NodeNetfilter } from '../../dataplane/netfilter/tables';
import type { NodeInfo } from './index';

export function cniChains(_sim: Simulation, _nf: NodeNetfilter, _info: NodeInfo, _all: NodeInfo[]): void {}
