import type { CommandSpec } from '../../../shell/command';
import { opensslCommand } from './openssl';

/** openssl: keys, requests and certificates (engine/tls), and s_client against a TLS server. */
export const tlsCommands: CommandSpec[] = [opensslCommand];
