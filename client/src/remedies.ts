// What the extension tells a user to do about a failed run: the run engine's remedy, worded with the
// extension's commands and settings (never a CLI flag), and the button that does it when there is one.
import type { Remedy } from '../../server/src/api.js';

export interface RemedyAdvice {
  text: string;
  /** A button on the notification and the command it runs. */
  action?: { label: string; command: string; args?: unknown[] };
}

const OPEN_CONNECTIONS = { label: 'Open Settings', command: 'workbench.action.openSettings', args: ['mq.connections'] };

export function remedyAdvice(remedy: Remedy | undefined, connectionName?: string): RemedyAdvice {
  const setKey = { label: 'Set API Key', command: 'mq.setApiKey', ...(connectionName ? { args: [connectionName] } : {}) };
  switch (remedy) {
    case 'setApiKey':
      return { text: 'Set the API key of the connection with "mq: Set API Key" (and its authScheme in mq.connections if it is not an App key).', action: setKey };
    case 'setBaseUrl':
    case 'checkBaseUrl':
      return { text: "Check the connection's baseUrl in mq.connections: it should be your account's https://xxxxx.api.infobip.com without a path.", action: OPEN_CONNECTIONS };
    case 'grantScope':
      return { text: 'Give the key the metrics:manage scope in the Infobip portal, or store a key that has it with "mq: Set API Key".', action: setKey };
    case 'checkNetwork':
      return { text: "Check the connection's baseUrl, your network and any proxy (the http.proxy setting of VS Code)." };
    case 'raiseTimeout':
      return { text: 'Narrow the query (a shorter period, fewer dimensions), or allow more time with the mq.run.timeoutSeconds setting.', action: { label: 'Open Settings', command: 'workbench.action.openSettings', args: ['mq.run.timeoutSeconds'] } };
    case 'publicCallback':
      return {
        text: 'Make the callback reachable: in the connection\'s "callback" settings (mq.connections), set publicBaseUrl to a public URL that forwards to callback.listenPort (a tunnel, VS Code port forwarding, or a reverse proxy; "auto" in remote windows), or set relayUrl to an mq relay.',
        action: OPEN_CONNECTIONS,
      };
    case 'checkRelay':
      return { text: "Check the connection's callback.relayUrl in mq.connections and that the relay is running.", action: OPEN_CONNECTIONS };
    case 'checkRelayToken':
      return { text: 'Store the token the relay was started with: "mq: Set API Key", then choose the relay token.', action: setKey };
    case 'fetchLater':
      return { text: 'The result may still reach the relay: the run stays pending in "mq: Show History", and mq asks the relay for it again the next time the window opens.' };
    case 'retryLater':
      return { text: 'Wait a minute and run the query again.' };
    default:
      return { text: '' };
  }
}
