// How the CLI prints diagnostics: one line per diagnostic for people and editors' problem matchers,
// or JSON for tools (0-based lines and characters, like LSP).
import type { MqDiagnostic } from '../core/semantics/diagnostics.js';

/** `file:line:col severity code message` with a 1-based line and column. */
export function diagnosticLine(file: string, d: MqDiagnostic): string {
  const message = d.message.replace(/\s*\r?\n\s*/g, ' ');
  return `${file}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.code} ${message}`;
}

export interface JsonDiagnostic {
  code: string;
  severity: 'error' | 'warning' | 'information' | 'hint';
  message: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

export function diagnosticJson(d: MqDiagnostic): JsonDiagnostic {
  const r = d.range; // computed on read: copy it into plain objects
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    range: {
      start: { line: r.start.line, character: r.start.character },
      end: { line: r.end.line, character: r.end.character },
    },
  };
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
