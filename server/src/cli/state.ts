// Where the CLI keeps its state: $MQ_HOME, else $XDG_STATE_HOME/mq, else ~/.local/state/mq. The run history
// (pending and finished runs, with their results) lives in its history/ folder.
import { join } from 'node:path';
import { HistoryStore } from '../run/history.js';

export function cliStateDir(env: Record<string, string | undefined>): string | undefined {
  if (env.MQ_HOME) return env.MQ_HOME;
  if (env.XDG_STATE_HOME) return join(env.XDG_STATE_HOME, 'mq');
  if (env.HOME) return join(env.HOME, '.local', 'state', 'mq');
  if (env.USERPROFILE) return join(env.USERPROFILE, '.local', 'state', 'mq');
  return undefined;
}

/** The CLI's history store; undefined when no state directory can be found (then runs are not recorded). */
export function cliHistory(env: Record<string, string | undefined>): HistoryStore | undefined {
  const dir = cliStateDir(env);
  return dir ? new HistoryStore(join(dir, 'history'), { maxEntries: 500, maxBytes: 200 * 1024 * 1024 }) : undefined;
}
