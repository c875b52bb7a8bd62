import type { CommandSpec } from '../../shell/command';

export const trueCmd: CommandSpec = { name: 'true', summary: 'do nothing, successfully', run: () => ({ stdout: '', stderr: '', exitCode: 0 }) };
export const falseCmd: CommandSpec = { name: 'false', summary: 'do nothing, unsuccessfully', run: () => ({ stdout: '', stderr: '', exitCode: 1 }) };
export const colon: CommandSpec = { name: ':', summary: 'null command (always succeeds)', run: () => ({ stdout: '', stderr: '', exitCode: 0 }) };
/** Background jobs finish before the prompt returns here, so there is never anything to wait for or list. */
export const wait: CommandSpec = { name: 'wait', summary: 'wait for job completion and return exit status', run: () => ({ stdout: '', stderr: '', exitCode: 0 }) };
export const jobs: CommandSpec = { name: 'jobs', summary: 'display status of jobs', run: () => ({ stdout: '', stderr: '', exitCode: 0 }) };
