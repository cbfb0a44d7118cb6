// The open documents, each a DocumentModel, and the analysis phase that follows every change: the model's
// update() commits the new segments, then the changed segments are analysed here, each call guarded, so
// an analyser that throws costs that query its diagnostics (and one logged error), never the document.
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import type { AnalysisContext } from '../core/semantics/analyser.js';
import type { MqDocument } from '../core/syntax/ast.js';
import type { MqDiagnostic } from '../core/semantics/diagnostics.js';
import { DocumentModel } from './documentModel.js';
import type { LanguageCore } from './languageCore.js';
import { describeError } from './session.js';

const NO_DIAGNOSTICS: MqDiagnostic[] = [];

export interface DocumentsOptions {
  /** The analyser's context (clock and options) at the time of a phase. */
  context(): AnalysisContext;
  /** Where analyser failures are reported. */
  error(message: string): void;
  /** Per-update timing lines (MQ_LSP_TIMING=1). */
  timing?: (line: string) => void;
}

export class Documents {
  private readonly models = new Map<string, DocumentModel>();

  constructor(
    private readonly core: LanguageCore,
    private readonly opts: DocumentsOptions,
  ) {}

  get(uri: string): DocumentModel | undefined {
    return this.models.get(uri);
  }

  all(): IterableIterator<[string, DocumentModel]> {
    return this.models.entries();
  }

  open(uri: string, version: number, text: string): DocumentModel {
    const m = new DocumentModel(uri, version, text, this.core);
    this.models.set(uri, m);
    this.analyse(uri, m);
    return m;
  }

  change(uri: string, changes: readonly TextDocumentContentChangeEvent[], version: number): DocumentModel | undefined {
    const m = this.models.get(uri);
    if (!m) return undefined;
    const t0 = performance.now();
    m.update(changes, version);
    const t1 = performance.now();
    this.analyse(uri, m);
    this.opts.timing?.(`mq: update ${(t1 - t0).toFixed(2)} ms, analyse ${(performance.now() - t1).toFixed(2)} ms, ${m.lastReparsed} queries made anew`);
    return m;
  }

  close(uri: string): void {
    this.models.delete(uri);
  }

  /** The analyser's options changed: every document is analysed again. */
  reanalyseAll(): void {
    for (const [uri, m] of this.models) {
      m.invalidateAnalysis();
      this.analyse(uri, m);
    }
  }

  /** The analysis phase for the segments an update made; a no-op when there are none. */
  analyse(uri: string, m: DocumentModel): void {
    if (!m.hasPending) return;
    const ctx = this.opts.context();
    let failures = 0;
    let first: unknown;
    m.analyseChanged((doc: MqDocument) => {
      try {
        const found = this.core.analyse(doc, ctx);
        return found.length ? found : NO_DIAGNOSTICS;
      } catch (e) {
        if (failures++ === 0) first = e;
        return NO_DIAGNOSTICS;
      }
    });
    if (failures > 0) this.opts.error(`mq: the analyser failed on ${failures} ${failures === 1 ? 'query' : 'queries'} of ${uri}, shown without diagnostics: ${describeError(first)}`);
  }
}
