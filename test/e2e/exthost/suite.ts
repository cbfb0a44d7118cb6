// Extension-host tests: the extension's commands and the language-client wiring, checked through the
// VS Code API inside a real VS Code (code-server) with the extension loaded from the repository.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { catalog } from '../../../server/src/core/catalog/data.js';
import { eventually, test } from './harness.js';

const EXTENSION_ID = 'mq-tools.mq';
const COMMANDS = ['mq.runQuery', 'mq.runAllQueries', 'mq.showRequest', 'mq.copyCurl', 'mq.setApiKey', 'mq.clearApiKey',
  'mq.addConnection', 'mq.switchConnection', 'mq.showHistory', 'mq.openSampleWorkspace'];
const BAD = 'SELECT TOTAL_BOUNCE_COUNT WHERE channelCode = SMS AND sentSince = now - 1d AND sentUntil = now\n';

function wsFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, name);
}

async function openMq(name: string, text: string): Promise<vscode.TextDocument> {
  const uri = wsFile(name);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  assert.equal(doc.languageId, 'mq', '.mq files get the mq language');
  return doc;
}

test('the extension is present and activates on an .mq document', async () => {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is loaded`);
  await openMq('e2e-activate.mq', BAD);
  await eventually('activation', () => ext.isActive);
});

test('every command is contributed and registered', async () => {
  const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
  const contributed = ((ext.packageJSON.contributes?.commands ?? []) as { command: string; category?: string }[]);
  for (const id of COMMANDS) {
    const c = contributed.find((x) => x.command === id);
    assert.ok(c, `${id} is contributed in package.json`);
    assert.equal(c.category, 'mq', `${id} is in the "mq" category`);
  }
  await ext.activate();
  const registered = await vscode.commands.getCommands(true);
  const missing = COMMANDS.filter((id) => !registered.includes(id));
  assert.deepEqual(missing, [], 'all commands are registered after activation');
});

test('connection settings are declared', async () => {
  const cfg = vscode.workspace.getConfiguration('mq');
  assert.ok(cfg.inspect('connections'), 'mq.connections is a known setting');
  assert.ok(cfg.inspect('activeConnection'), 'mq.activeConnection is a known setting');
});

test('diagnostics from the language server arrive for an .mq document', async () => {
  const doc = await openMq('e2e-diag.mq', BAD);
  const diags = await eventually('diagnostics', () => {
    const d = vscode.languages.getDiagnostics(doc.uri);
    return d.length > 0 && d;
  });
  const codes = diags.map((d) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code)));
  assert.ok(codes.includes('metric-channel-unsupported'), `metric-channel-unsupported among ${codes.join(', ')}`);
  const d = diags[codes.indexOf('metric-channel-unsupported')];
  assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
});

test('completion after SELECT returns metrics, after channelCode = returns channels', async () => {
  const doc = await openMq('e2e-complete.mq', 'SELECT \n');
  const list = await eventually('metric completions', async () => {
    const l = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(0, 7));
    return l && l.items.length > 0 && l;
  });
  const labels = new Set(list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label)));
  const metrics = catalog.metrics.filter((m) => labels.has(m.name));
  assert.ok(metrics.length >= catalog.metrics.length / 2, `most metrics are offered (${metrics.length} of ${catalog.metrics.length})`);

  const line = 'SELECT TOTAL_SENT_COUNT WHERE channelCode = ';
  const doc2 = await openMq('e2e-complete2.mq', `${line}\n`);
  const list2 = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc2.uri, new vscode.Position(0, line.length));
  const labels2 = new Set(list2.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label)));
  assert.ok(labels2.has('SMS') && labels2.has('EMAIL'), `channels offered: ${[...labels2].slice(0, 20).join(', ')}`);
});

test('hover on a metric shows its description', async () => {
  const doc = await openMq('e2e-hover.mq', BAD);
  const m = catalog.metrics.find((x) => x.name === 'TOTAL_BOUNCE_COUNT')!;
  const hovers = await eventually('hover', async () => {
    const h = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(0, 10));
    return h && h.length > 0 && h;
  });
  const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
  assert.ok(text.includes(m.description), `hover text: ${text}`);
});

test('a quick fix is offered for metric-channel-unsupported', async () => {
  const doc = await openMq('e2e-fix.mq', BAD);
  const diag = await eventually('diagnostic', () => vscode.languages.getDiagnostics(doc.uri)
    .find((d) => (typeof d.code === 'object' ? d.code.value : d.code) === 'metric-channel-unsupported'));
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, diag.range,
    vscode.CodeActionKind.QuickFix.value);
  assert.ok(actions && actions.length > 0, 'at least one quick fix');
});

async function openExample(name: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(wsFile(name));
  await vscode.window.showTextDocument(doc);
  return doc;
}

test('Show Request JSON opens the compiled request body', async () => {
  const doc = await openExample('sms-delivery.mq');
  await vscode.commands.executeCommand('mq.showRequest', doc.uri, 0);
  const json = await eventually('a JSON editor', () => {
    const d = vscode.window.activeTextEditor?.document;
    return d && d.languageId === 'json' && d;
  });
  const body = JSON.parse(json.getText()) as Record<string, unknown>;
  assert.ok(JSON.stringify(body).includes('TOTAL_SENT_TRAFFIC_COUNT'), `request body names the metric: ${json.getText().slice(0, 300)}`);
  await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
});

test('Copy Request as cURL puts a command with $INFOBIP_API_KEY on the clipboard', async () => {
  const doc = await openExample('sms-delivery.mq');
  await vscode.env.clipboard.writeText('');
  await vscode.commands.executeCommand('mq.copyCurl', doc.uri, 0);
  const text = await eventually('the clipboard', async () => {
    const t = await vscode.env.clipboard.readText();
    return t.length > 0 && t;
  }, 10_000);
  assert.match(text, /^curl /, text.slice(0, 200));
  assert.ok(text.includes('$INFOBIP_API_KEY'), 'the key stays in the environment variable');
  assert.ok(text.includes('TOTAL_SENT_TRAFFIC_COUNT'), 'the body is in the command');
});

test('Run Query at Cursor on sample data ends with the result shown', async () => {
  const doc = await openExample('sms-delivery.mq');
  const outcome = await vscode.commands.executeCommand('mq.runQuery', doc.uri, 0);
  assert.equal(outcome, 'shown');
});

test('a query followed by text that is not part of it (a stray ";") is blocked, not run without its ORDER BY', async () => {
  const doc = await openMq(
    'stray-semicolon.mq',
    'SELECT TOTAL_TRAFFIC_COUNT BY COUNTRY_NAME WHERE channelCode = SMS AND sentSince = now - 1d AND sentUntil = now;\nORDER BY TOTAL_TRAFFIC_COUNT DESC\nLIMIT 2;\n',
  );
  const outcome = await vscode.commands.executeCommand('mq.runQuery', doc.uri, 0);
  assert.equal(outcome, 'blocked');
});
