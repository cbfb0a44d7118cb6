// Reading the extension's settings.
import vscode = require('vscode');
import { parseConnections, resolveActiveConnection, type ConnectionProfile } from './connections.js';

export const SECTION = 'mq';

export function config(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SECTION);
}

export interface ActiveConnection {
  profiles: ConnectionProfile[];
  profile?: ConnectionProfile;
  problems: string[];
}

export function activeConnection(): ActiveConnection {
  const c = config();
  const { profiles, problems } = parseConnections(c.get<unknown>('connections'));
  const active = resolveActiveConnection(profiles, c.get<string>('activeConnection'));
  const all = active.problem ? [...problems, active.problem] : problems;
  return active.profile ? { profiles, profile: active.profile, problems: all } : { profiles, problems: all };
}

/** Where to write a setting: the workspace if it already overrides it there, otherwise the user settings. */
export function targetFor(key: string): vscode.ConfigurationTarget {
  const inspect = config().inspect(key);
  if (inspect?.workspaceFolderValue !== undefined) return vscode.ConfigurationTarget.WorkspaceFolder;
  if (inspect?.workspaceValue !== undefined) return vscode.ConfigurationTarget.Workspace;
  return vscode.ConfigurationTarget.Global;
}

export function numberSetting(key: string, fallback: number, min: number): number {
  const v = config().get<number>(key);
  return typeof v === 'number' && Number.isFinite(v) && v >= min ? v : fallback;
}
