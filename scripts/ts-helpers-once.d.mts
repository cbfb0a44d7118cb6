// Types for ts-helpers-once.mjs (imported by scripts/build.mjs and its test).
import type { Plugin } from 'esbuild';

export const HELPERS: Readonly<Record<'__createBinding' | '__setModuleDefault' | '__importStar' | '__exportStar' | '__importDefault', string>>;
export const SHARED_SOURCE: string;
export const PACKAGE_FILE: RegExp;
export function shareHelpers(file: string, text: string): { text: string; replaced: string[] };
export const sharedTsHelpers: Plugin;
