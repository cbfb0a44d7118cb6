// The parts of the `vscode` module the notebook serializer, the output conversions and the CodeLens provider
// use, for node tests.
// Registered under the name 'vscode' by fake-vscode-register.cjs.
class NotebookCellOutputItem {
  constructor(data, mime) { this.data = data; this.mime = mime; }
  static text(value, mime = 'text/plain') { return new NotebookCellOutputItem(new TextEncoder().encode(value), mime); }
  static error(err) { return new NotebookCellOutputItem(new TextEncoder().encode(JSON.stringify({ name: err.name, message: err.message })), 'application/vnd.code.notebook.error'); }
}
class NotebookCellOutput {
  constructor(items, metadata) { this.items = items; this.metadata = metadata; }
}
class NotebookCellData {
  constructor(kind, value, languageId) { this.kind = kind; this.value = value; this.languageId = languageId; }
}
class NotebookData {
  constructor(cells) { this.cells = cells; }
}
// For the CodeLens provider: an event emitter, ranges, lenses and a settings reader that returns defaults.
class EventEmitter {
  constructor() { this.listeners = []; this.event = (l) => { this.listeners.push(l); return { dispose() {} }; }; }
  fire(e) { for (const l of this.listeners) l(e); }
  dispose() { this.listeners = []; }
}
class Range {
  constructor(sl, sc, el, ec) { this.start = { line: sl, character: sc }; this.end = { line: el, character: ec }; }
}
class CodeLens {
  constructor(range, command) { this.range = range; this.command = command; }
}
const workspace = { getConfiguration: () => ({ get: (_key, fallback) => fallback }) };
module.exports = { EventEmitter, Range, CodeLens, workspace, NotebookCellOutputItem, NotebookCellOutput, NotebookCellData, NotebookData, NotebookCellKind: { Markup: 1, Code: 2 } };
