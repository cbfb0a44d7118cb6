// Quick fixes for the diagnostics in a range (spec §6/§7). Pure: the query's text and parse plus the
// analyser's diagnostics (with their `data`) in; edits as offsets into the same text out. Which fixes a
// code has is said by its registry entry (semantics/registry.ts); the fixes are in quickFixes.ts.
import type { Query } from '../syntax/ast.js';
import type { CatalogIndex } from '../catalog/catalogIndex.js';
import type { MqDiagnostic } from '../semantics/diagnostics.js';
import { REGISTRY } from '../semantics/registry.js';
import { QUICK_FIXES, type FixContext, type QuickFix, type TextEditOffsets } from './quickFixes.js';

export type { TextEditOffsets } from './quickFixes.js';

export interface MqCodeAction {
  title: string;
  diagnostic: MqDiagnostic;
  edits: TextEditOffsets[];
  isPreferred?: boolean;
}

/** Quick fixes for the diagnostics that overlap [start, end] (offsets in `text`). */
export function codeActionsFor(
  catalog: CatalogIndex,
  text: string,
  q: Query | undefined,
  diagnostics: readonly MqDiagnostic[],
  start: number,
  end: number,
): MqCodeAction[] {
  const cx: FixContext = { text, q, diagnostics, catalog };
  const out: MqCodeAction[] = [];
  for (const d of diagnostics) {
    if (d.end < start || d.start > end) continue;
    const name = REGISTRY[d.code].fix;
    const fix = name && (QUICK_FIXES[name] as QuickFix<typeof d.code>);
    for (const f of fix ? fix(d, cx) : []) out.push({ ...f, diagnostic: d });
  }
  return out;
}
