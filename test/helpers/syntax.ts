// The syntax functions for tests that parse or lex text directly: one createSyntax() instance per test
// process (the product builds its own inside createMq).
import { createSyntax } from '../../server/src/core/syntax/parser.js';
import type { Origin } from '../../server/src/core/syntax/parser.js';
import type { MqDocument, Query } from '../../server/src/core/syntax/ast.js';

export const syntax = createSyntax();

export function parseDocument(text: string, origin?: Origin): MqDocument {
  return syntax.parseDocument(text, origin);
}

export function parseEachQuery(text: string, each: (q: Query) => void, origin?: Origin): MqDocument {
  return syntax.parseEachQuery(text, each, origin);
}

export const lex = (text: string): ReturnType<typeof syntax.lex> => syntax.lex(text);
export const classifyCursor = (text: string, offset: number): ReturnType<typeof syntax.classifyCursor> => syntax.classifyCursor(text, offset);
export const selectOffsets = (text: string): number[] => syntax.selectOffsets(text);
