import type { CommandSpec } from '../../shell/command';
import { crictlCommand } from './crictl';
import { journalctlCommand, systemctlCommand } from './systemd';

/** The container runtime's own tools on a node: crictl (pods, ps); systemctl and journalctl for the kubelet and containerd units. */
export const runtimeCommands: CommandSpec[] = [crictlCommand, systemctlCommand, journalctlCommand];
