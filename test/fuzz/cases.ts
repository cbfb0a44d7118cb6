// One fuzz case = a document, a few cursor positions and a sequence of edits; `runCase` checks every
// property on the document, at each cursor, and on each document the edits produce.
// Shared by the fixed-seed runs in npm test and the long runs of `npm run fuzz`.
import fc from 'fast-check';
import { applyEdit, documentArb, editArb, validDocArb, type Edit } from './generators.js';
import { checkCore, checkDocumentModel, checkCursorFeatures, checkDocumentFeatures, checkFormat, checkFormatRange } from './properties.js';

export interface FuzzCase {
  text: string;
  /** Cursor picks, taken modulo (length + 1). */
  cursors: number[];
  edits: Edit[];
}

const pieces = {
  cursors: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
  edits: fc.array(editArb, { maxLength: 4 }),
};

/** Any document (valid, invalid, soup, mutated, binary). */
export const caseArb: fc.Arbitrary<FuzzCase> = fc.record({ text: documentArb, ...pieces });

/** Error-free documents, where formatting must keep every request byte for byte. */
export const validCaseArb: fc.Arbitrary<FuzzCase> = fc.record({ text: validDocArb, ...pieces });

/** Both, the way the long run mixes them. */
export const mixedCaseArb: fc.Arbitrary<FuzzCase> = fc.oneof({ weight: 3, arbitrary: caseArb }, { weight: 1, arbitrary: validCaseArb });

function checkDocument(text: string, cursors: readonly number[], format: boolean): void {
  const core = checkCore(text);
  if (format) checkFormat(text, core);
  checkDocumentFeatures(text, core.doc);
  for (const pick of cursors) {
    const offset = pick % (text.length + 1);
    const end = Math.min(text.length, offset + (pick % 7));
    checkCursorFeatures(text, core.doc, core.diagnostics, offset, end);
    if (format) checkFormatRange(text, offset, end);
  }
}

/** Throws a descriptive Error when any property fails. */
export function runCase(c: FuzzCase): void {
  checkDocument(c.text, c.cursors, true);
  let text = c.text;
  const applied: { start: number; end: number; text: string }[] = [];
  for (const e of c.edits) {
    const r = applyEdit(text, e);
    applied.push({ start: r.start, end: r.end, text: e.text });
    text = r.text;
    // After each keystroke-sized edit the editor asks again at the edit: diagnostics, completion, hover.
    checkDocument(text, [r.start + e.text.length], false);
  }
  // The document the edits leave behind is formatted too.
  if (c.edits.length) checkFormat(text, checkCore(text));
  // The same edits through the language server's incremental document model.
  if (c.edits.length) checkDocumentModel(c.text, applied);
}
