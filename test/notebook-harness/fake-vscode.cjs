// The parts of the `vscode` module the notebook serializer and output conversions use, for node tests.
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
module.exports = { NotebookCellOutputItem, NotebookCellOutput, NotebookCellData, NotebookData, NotebookCellKind: { Markup: 1, Code: 2 } };
