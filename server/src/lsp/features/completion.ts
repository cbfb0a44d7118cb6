// textDocument/completion: the core's items for the query under the cursor, shaped for what the client
// supports (snippets, insert/replace ranges, deprecation tags, markdown).
import {
  CompletionItemKind,
  CompletionItemTag,
  CompletionTriggerKind,
  InsertTextFormat,
  MarkupKind,
  type CompletionItem,
  type CompletionList,
  type CompletionParams,
} from 'vscode-languageserver';
import type { ItemKind, MqCompletionItem } from '../../core/editing/completion.js';
import type { Situation } from '../../core/syntax/cursor.js';
import type { DocumentModel } from '../documentModel.js';
import { plainSnippet, plainText } from '../markup.js';
import { guard, rangeOf, type Session } from '../session.js';

/** Cursor situations where only the next keyword (or a number) could follow: no list on a typed space. */
const KEYWORD_ONLY: ReadonlySet<Situation['kind']> = new Set<Situation['kind']>([
  'afterMetric', 'afterDimension', 'afterCondition', 'afterTime', 'afterListValue', 'afterOrderColumn', 'afterLimit', 'betweenAnd', 'orderBy', 'limitValue',
  'afterCompare', 'afterHavingCondition', 'havingValue',
]);

const ITEM_KINDS: Record<ItemKind, CompletionItemKind> = {
  metric: CompletionItemKind.Function,
  dimension: CompletionItemKind.Field,
  filter: CompletionItemKind.Property,
  value: CompletionItemKind.EnumMember,
  keyword: CompletionItemKind.Keyword,
  operator: CompletionItemKind.Operator,
  snippet: CompletionItemKind.Snippet,
  time: CompletionItemKind.Constant,
  column: CompletionItemKind.Field,
};

const empty = (): CompletionList => ({ isIncomplete: false, items: [] });

export function completion(s: Session, p: CompletionParams): CompletionList {
  const m = s.documents.get(p.textDocument.uri);
  if (!m) return empty();
  const offset = m.doc.offsetAt(p.position);
  const ref = m.segmentAt(offset, true);
  const start = ref?.start ?? 0;
  const res = s.core.complete(ref?.text ?? '', offset - start, ref?.query, s.now());
  // A space also triggers completion (after SELECT, WHERE, `=`...). Where only the next keyword could
  // follow (after a whole condition, a metric, LIMIT), a list opened by the space would turn the Enter
  // that starts a new line into an inserted AND / BY / 100, so those lists wait for a typed letter.
  const typedSpace = p.context?.triggerKind === CompletionTriggerKind.TriggerCharacter && p.context.triggerCharacter === ' ';
  if (typedSpace && KEYWORD_ONLY.has(res.info.situation.kind)) return empty();
  return { isIncomplete: false, items: res.items.map((it) => toItem(s, m, start, it)) };
}

function toItem(s: Session, m: DocumentModel, start: number, it: MqCompletionItem): CompletionItem {
  const c = s.client;
  const range = rangeOf(m, start + it.replaceStart, start + it.replaceEnd);
  const insert = it.insertText ?? it.label;
  const newText = it.snippet && !c.snippets ? plainSnippet(insert) : insert;
  const item: CompletionItem = {
    label: it.label,
    kind: ITEM_KINDS[it.kind],
    sortText: it.sortText,
    // Clients that support it get both ranges: the editor's insert/replace setting decides whether the
    // rest of the word after the cursor is kept or replaced.
    textEdit: c.insertReplace && it.wordEnd > it.replaceEnd ? { newText, insert: range, replace: rangeOf(m, start + it.replaceStart, start + it.wordEnd) } : { range, newText },
  };
  if (it.snippet && c.snippets) item.insertTextFormat = InsertTextFormat.Snippet;
  if (it.detail) item.detail = it.detail;
  if (it.documentation) item.documentation = c.markdown ? { kind: MarkupKind.Markdown, value: it.documentation } : plainText(it.documentation);
  if (it.filterText) item.filterText = it.filterText;
  if (it.deprecated) {
    if (c.deprecatedTag) item.tags = [CompletionItemTag.Deprecated];
    else item.deprecated = true;
  }
  return item;
}

export function registerCompletion(s: Session): void {
  s.connection.onCompletion(guard(s, empty(), (p: CompletionParams) => completion(s, p)));
}
