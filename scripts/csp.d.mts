// Types for scripts/csp.mjs (plain JavaScript, so scripts/start.mjs runs it without a build step).
export const BASE_DIRECTIVES: [directive: string, value: string][];
export function policyFor(scripts: string[]): string;
export function inlineScripts(html: string): string[];
export function stampHtml(html: string): string;
export function policyOf(html: string): string | null;
export function stampSite(outDir: string): number;
