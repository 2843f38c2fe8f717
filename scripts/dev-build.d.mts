// Types of dev-build.mjs for the TypeScript that imports it (its test).
export const root: string;
export function sourceFiles(srcDir: string): string[];
export function buildKey(projectDir?: string): string;
export function isFresh(projectDir?: string): boolean;
export function build(projectDir?: string): Promise<boolean>;
export function ensureBuilt(projectDir?: string): Promise<boolean>;
