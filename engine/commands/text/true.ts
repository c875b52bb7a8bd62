import type { CommandSpec } from '../../shell/command';

export const trueCmd: CommandSpec = { name: 'true', summary: 'do nothing, successfully', run: () => ({ stdout: '', stderr: '', exitCode: 0 }) };
export const falseCmd: CommandSpec = { name: 'false', summary: 'do nothing, unsuccessfully', run: () => ({ stdout: '', stderr: '', exitCode: 1 }) };
export const colon: CommandSpec = { name: ':', summary: 'null command (always succeeds)', run: () => ({ stdout: '', stderr: '', exitCode: 0 }) };
