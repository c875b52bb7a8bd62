export function findChromium(): string | null;
export function ensureChromium(): { path: string; error?: undefined } | { error: string; path?: undefined };
