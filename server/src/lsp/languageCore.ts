// What the language server needs from the language core, as one interface. The server receives an object
// with these methods (and a clock) and never imports the core's feature functions itself, so a test can hand
// it a core that misbehaves, and the core can be built once with its catalog and caches.
import type { MqEditing } from '../core/index.js';

/**
 * The methods of the core's value (createMqEditing) that the server calls, with their signatures from MqEditing;
 * `syntax` narrowed to the lexing and the query offsets the document model needs.
 */
export type LanguageCore = Pick<
  MqEditing,
  'registry' | 'parse' | 'analyse' | 'complete' | 'hover' | 'codeActions' | 'format' | 'formatRange' | 'semanticTokens' | 'symbols' | 'folding' | 'inlayHints'
> & { readonly syntax: Pick<MqEditing['syntax'], 'lex' | 'selectOffsets'> };

/** The part of the core the document model uses: parsing and the outline kept per query. */
export type SyntaxCore = Pick<LanguageCore, 'syntax' | 'parse' | 'symbols' | 'folding'>;

/** The server's clock: relative times (`now - 7d`) resolve against it. Tests pin it. */
export type Clock = () => Date;
