// Types for chevrotain-without-checks.mjs (imported by scripts/build.mjs and its test).
import type { Plugin } from 'esbuild';

export interface ChevrotainPatch {
  module: string;
  find: string;
  replace: string;
  count: number;
}
export const PATCHES: readonly ChevrotainPatch[];
export function chevrotainModule(file: string): string | undefined;
export function patchChevrotainModule(module: string, text: string): string;
export const chevrotainWithoutChecks: Plugin;
