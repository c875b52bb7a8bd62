/**
 * The CNI plugins by the name a scenario gives them (`cluster.cni`): one line per plugin.
 * The names themselves are listed in cluster/types.ts (CNI_NAMES), below this room, for the
 * scenario loader; the Record type makes both lists agree.
 */
import type { ClusterSettings, CniName } from '../../cluster/types';
import type { CniPlugin } from './plugin';
import { calico } from './plugins/calico';
import { flannel } from './plugins/flannel';
import { cilium } from './plugins/cilium';
import { weave } from './plugins/weave';
import { awsVpcCni } from './plugins/aws-vpc-cni';

export const CNI_PLUGINS: Record<CniName, CniPlugin> = {
  calico,
  flannel,
  cilium,
  weave,
  'aws-vpc-cni': awsVpcCni,
};

/** The plugin the cluster runs. */
export function cniPlugin(settings: Pick<ClusterSettings, 'cni'>): CniPlugin {
  return CNI_PLUGINS[settings.cni];
}
