/**
 * Someone ran `iptables -t nat -F KUBE-SERVICES` on the client's node: no ClusterIP is
 * translated there any more, so connections to Services leave the node addressed to an IP
 * nothing owns. kube-proxy puts the chain back at its next full sync (every syncPeriod,
 * 30 s; controllers/kube-proxy/kube-proxy.ts), so the fix is to let it resync. A lesson
 * should draw this one only where a short-lived fault is the point.
 */
import type { Fault } from './types';
import { SYNC_PERIOD_MS } from '../../controllers/kube-proxy/kube-proxy';

export const kubeServicesFlushed: Fault = {
  id: 'kube-services-flushed',
  layer: 'kube-proxy',
  description: "the nat table's KUBE-SERVICES chain was flushed by hand on the client's node",
  breaks: ['in-cluster'],
  atStart(cluster, ctx) {
    if (cluster.settings.proxyMode !== 'iptables' || cluster.settings.kubeProxyReplacement) throw new Error('kube-services-flushed needs kube-proxy in iptables mode');
    const pod = cluster.store.get('Pod', ctx.target.namespace, ctx.target.client);
    const node: string | undefined = pod?.spec?.nodeName;
    if (!node) throw new Error(`kube-services-flushed: the client Pod ${ctx.target.client} is not scheduled`);
    const nf = cluster.kubeProxy.node(node);
    const chain = nf?.own('nat', 'KUBE-SERVICES');
    if (!nf || !chain) throw new Error(`kube-services-flushed: ${node} has no KUBE-SERVICES chain`);
    chain.rules = [];
    nf.markDirty('nat', 'KUBE-SERVICES');
  },
  fix() {
    // kube-proxy's full sync rewrites every chain it owns; waiting one syncPeriod is enough.
    return { commands: [`sleep ${SYNC_PERIOD_MS / 1000}`] };
  },
};
