// Connections in the UI: status bar item, Set/Clear API Key, Add/Switch Connection.
// API keys and relay tokens go to SecretStorage only.
import vscode = require('vscode');
import {
  apiKeySecretName,
  normaliseBaseUrl,
  relayTokenSecretName,
  SAMPLE_DATA_LABEL,
  type ConnectionProfile,
} from './connections.js';
import type { AuthScheme } from './curl.js';
import { activeConnection, config, targetFor } from './settings.js';

export class Connections implements vscode.Disposable {
  private readonly status: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly onChangeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.onChangeEmitter.event;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.status = vscode.window.createStatusBarItem('mq.connection', vscode.StatusBarAlignment.Left, 50);
    this.status.name = 'mq connection';
    this.disposables.push(
      this.status,
      this.onChangeEmitter,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('mq.connections') || e.affectsConfiguration('mq.activeConnection')) this.changed();
      }),
      secrets.onDidChange((e) => {
        if (e.key.startsWith('mq.')) this.changed();
      }),
    );
    void this.refreshStatus();
    this.status.show();
  }

  private changed(): void {
    void this.refreshStatus();
    this.onChangeEmitter.fire();
  }

  async apiKey(profile: ConnectionProfile): Promise<string | undefined> {
    return (await this.secrets.get(apiKeySecretName(profile.name))) || undefined;
  }

  async relayToken(profile: ConnectionProfile): Promise<string | undefined> {
    return (await this.secrets.get(relayTokenSecretName(profile.name))) || undefined;
  }

  /** Every secret currently stored for the known profiles (for redaction). */
  async allSecrets(): Promise<string[]> {
    const out: string[] = [];
    for (const p of activeConnection().profiles) {
      const k = await this.apiKey(p);
      const t = await this.relayToken(p);
      if (k) out.push(k);
      if (t) out.push(t);
    }
    return out;
  }

  async refreshStatus(): Promise<void> {
    const { profile, problems } = activeConnection();
    if (!profile) {
      this.status.text = `$(database) mq: ${SAMPLE_DATA_LABEL}`;
      this.status.tooltip = problems.length
        ? `mq runs queries on the embedded sample data.\n${problems.join('\n')}\nClick to switch connection.`
        : 'mq runs queries on the embedded sample data. Click to switch to a connection.';
      this.status.command = 'mq.switchConnection';
      this.status.backgroundColor = problems.length ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
      return;
    }
    const hasKey = !!(await this.apiKey(profile));
    this.status.text = hasKey ? `$(plug) mq: ${profile.name}` : `$(warning) mq: ${profile.name} (no API key)`;
    this.status.tooltip = hasKey
      ? `mq runs queries against ${profile.baseUrl}. Click to switch connection.`
      : `No API key is stored for "${profile.name}". Click to set it.`;
    this.status.command = hasKey ? 'mq.switchConnection' : 'mq.setApiKey';
    this.status.backgroundColor = hasKey ? undefined : new vscode.ThemeColor('statusBarItem.warningBackground');
  }

  private async pickProfile(placeHolder: string, preferActive: boolean): Promise<ConnectionProfile | undefined> {
    const { profiles, profile: active } = activeConnection();
    if (profiles.length === 0) {
      const add = 'Add Connection';
      const choice = await vscode.window.showInformationMessage(
        'No connection is configured: mq runs queries on the embedded sample data. Add a connection to query your Infobip account.',
        add,
      );
      if (choice === add) await vscode.commands.executeCommand('mq.addConnection');
      return undefined;
    }
    if (profiles.length === 1) return profiles[0];
    const items = profiles.map((p) => ({ label: p.name, description: p.baseUrl, profile: p, picked: p === active }));
    if (preferActive && active) items.sort((a, b) => (a.profile === active ? -1 : b.profile === active ? 1 : 0));
    const pick = await vscode.window.showQuickPick(items, { placeHolder, ignoreFocusOut: true });
    return pick?.profile;
  }

  /**
   * mq.setApiKey [connectionName?]. Asks for the key in a password box and stores it in SecretStorage.
   * If the profile uses a relay, the user chooses between the API key and the relay token.
   */
  async setApiKey(connectionName?: unknown): Promise<void> {
    let profile: ConnectionProfile | undefined;
    if (typeof connectionName === 'string') {
      profile = activeConnection().profiles.find((p) => p.name === connectionName);
      if (!profile) {
        void vscode.window.showErrorMessage(`There is no connection named "${connectionName}" in mq.connections.`);
        return;
      }
    } else {
      profile = await this.pickProfile('Set the API key of which connection?', true);
    }
    if (!profile) return;
    let which: 'apiKey' | 'relayToken' = 'apiKey';
    if (profile.callback?.relayUrl) {
      const pick = await vscode.window.showQuickPick(
        [
          { label: 'API key', description: `for ${profile.baseUrl}`, which: 'apiKey' as const },
          { label: 'Relay token', description: `for ${profile.callback.relayUrl}`, which: 'relayToken' as const },
        ],
        { placeHolder: `Which secret of "${profile.name}"?`, ignoreFocusOut: true },
      );
      if (!pick) return;
      which = pick.which;
    }
    const label = which === 'apiKey' ? 'API key' : 'relay token';
    const value = await vscode.window.showInputBox({
      title: `mq: ${label} for "${profile.name}"`,
      prompt:
        which === 'apiKey'
          ? `The Infobip API key for ${profile.baseUrl} (needs the metrics:manage scope). Stored in VS Code's secret storage, never in settings.`
          : `The token of the relay at ${profile.callback?.relayUrl}. Stored in VS Code's secret storage, never in settings.`,
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() === '' ? `Enter the ${label}, or press Escape to cancel.` : /\s/.test(v.trim()) ? `The ${label} cannot contain spaces.` : undefined),
    });
    if (value === undefined) return;
    const secretName = which === 'apiKey' ? apiKeySecretName(profile.name) : relayTokenSecretName(profile.name);
    await this.secrets.store(secretName, value.trim());
    if (!activeConnection().profile) {
      await config().update('activeConnection', profile.name, targetFor('activeConnection'));
      void vscode.window.showInformationMessage(`Stored the ${label} for "${profile.name}" and made it the active connection.`);
    } else {
      void vscode.window.showInformationMessage(`Stored the ${label} for "${profile.name}".`);
    }
    this.changed();
  }

  /** mq.clearApiKey [connectionName?]: removes the API key and relay token of a connection. */
  async clearApiKey(connectionName?: unknown): Promise<void> {
    let profile: ConnectionProfile | undefined;
    if (typeof connectionName === 'string') profile = activeConnection().profiles.find((p) => p.name === connectionName);
    else profile = await this.pickProfile('Clear the API key of which connection?', true);
    if (!profile) return;
    await this.secrets.delete(apiKeySecretName(profile.name));
    await this.secrets.delete(relayTokenSecretName(profile.name));
    void vscode.window.showInformationMessage(`Removed the stored API key and relay token of "${profile.name}".`);
    this.changed();
  }

  /** mq.switchConnection [name?]: "" or "Sample data" selects the sample data. */
  async switchConnection(name?: unknown): Promise<void> {
    const { profiles, profile: active } = activeConnection();
    let chosen: string | undefined;
    if (typeof name === 'string') {
      if (name === '' || name === SAMPLE_DATA_LABEL) chosen = '';
      else if (profiles.some((p) => p.name === name)) chosen = name;
      else {
        void vscode.window.showErrorMessage(`There is no connection named "${name}" in mq.connections.`);
        return;
      }
    } else {
      type Item = vscode.QuickPickItem & { value: string | null };
      const items: Item[] = [
        { label: `$(database) ${SAMPLE_DATA_LABEL}`, description: 'embedded, no account needed', value: '' },
        ...profiles.map((p) => ({ label: `$(plug) ${p.name}`, description: p.baseUrl, value: p.name })),
        { label: '$(add) Add Connection…', value: null },
      ];
      const current = active?.name ?? '';
      for (const i of items) if (i.value === current) i.detail = 'active';
      const pick = await vscode.window.showQuickPick(items, { placeHolder: 'Run mq queries against…' });
      if (!pick) return;
      if (pick.value === null) {
        await this.addConnection();
        return;
      }
      chosen = pick.value;
    }
    await config().update('activeConnection', chosen, targetFor('activeConnection'));
    const profile = activeConnection().profiles.find((p) => p.name === chosen);
    this.changed();
    if (profile && !(await this.apiKey(profile))) {
      // Not awaited: the command finishes at once; the user may act on the notification later.
      const set = 'Set API Key';
      void vscode.window.showWarningMessage(`"${profile.name}" has no API key yet.`, set).then((choice) => {
        if (choice === set) void this.setApiKey(profile.name);
      });
    }
  }

  /** mq.addConnection: asks for name, base URL and auth scheme, then the API key. */
  async addConnection(): Promise<void> {
    const existing = activeConnection().profiles;
    const name = await vscode.window.showInputBox({
      title: 'mq: Add Connection (1/3)',
      prompt: 'A name for this connection, e.g. "production".',
      ignoreFocusOut: true,
      validateInput: (v) =>
        v.trim() === '' ? 'Enter a name.' : existing.some((p) => p.name === v.trim()) ? 'A connection with this name exists.' : undefined,
    });
    if (name === undefined) return;
    const baseUrlInput = await vscode.window.showInputBox({
      title: 'mq: Add Connection (2/3)',
      prompt: "Your account's API base URL, shown on the Infobip portal's homepage, e.g. https://xxxxx.api.infobip.com",
      placeHolder: 'https://xxxxx.api.infobip.com',
      ignoreFocusOut: true,
      validateInput: (v) => (normaliseBaseUrl(v) ? undefined : 'Enter an http(s) URL without credentials.'),
    });
    if (baseUrlInput === undefined) return;
    const baseUrl = normaliseBaseUrl(baseUrlInput)!;
    const schemes: { label: AuthScheme; description: string }[] = [
      { label: 'App', description: 'Authorization: App <API key> (recommended)' },
      { label: 'Bearer', description: 'Authorization: Bearer <OAuth token>' },
      { label: 'Basic', description: 'Authorization: Basic <base64 user:password>' },
    ];
    const scheme = await vscode.window.showQuickPick(schemes, { title: 'mq: Add Connection (3/3)', placeHolder: 'Authorization scheme' });
    if (!scheme) return;
    const raw = config().get<unknown[]>('connections');
    const list = Array.isArray(raw) ? [...raw] : [];
    const entry: Record<string, unknown> = { name: name.trim(), baseUrl };
    if (scheme.label !== 'App') entry.authScheme = scheme.label;
    list.push(entry);
    await config().update('connections', list, targetFor('connections'));
    await config().update('activeConnection', name.trim(), targetFor('activeConnection'));
    this.changed();
    await this.setApiKey(name.trim());
    void vscode.window.showInformationMessage(
      `Connection "${name.trim()}" added and active. Results come back through a callback: see the "callback" settings of mq.connections if this machine is not reachable from the internet.`,
    );
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
