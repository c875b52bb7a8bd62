/** The service mesh's command line: istioctl. */
import type { CommandSpec } from '../../shell/command';
import { istioctlCommand } from './istioctl';

export const meshCommands: CommandSpec[] = [istioctlCommand];
