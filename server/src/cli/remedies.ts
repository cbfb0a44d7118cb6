// What the CLI tells a user to do about a failed run: the run engine's remedy, worded with mq's flags and
// environment variables (the extension words the same remedies with its commands and settings).
import type { Remedy } from '../run/errors.js';

export function cliRemedy(remedy: Remedy, requestId?: string): string {
  switch (remedy) {
    case 'setApiKey':
      return 'Pass the API key with --api-key or set INFOBIP_API_KEY (and --auth-scheme if it is not an App key).';
    case 'setBaseUrl':
      return "Pass --base-url or set INFOBIP_BASE_URL to your account's https://xxxxx.api.infobip.com.";
    case 'checkBaseUrl':
      return "Check --base-url / INFOBIP_BASE_URL: it should be your account's https://xxxxx.api.infobip.com without a path.";
    case 'grantScope':
      return 'Give the key the metrics:manage scope in the Infobip portal, or pass a key that has it with --api-key.';
    case 'checkNetwork':
      return 'Check --base-url, your network and any proxy (behind a proxy that inspects TLS: NODE_EXTRA_CA_CERTS=/path/to/ca.pem).';
    case 'raiseTimeout':
      return 'Narrow the query (a shorter period, fewer dimensions), or allow more time with --timeout SECONDS.';
    case 'publicCallback':
      return [
        'Make the callback reachable in one of these ways:',
        '  - a public URL that forwards to the listener: --listen 127.0.0.1:PORT --callback-url https://your-public-host (a tunnel such as cloudflared or ngrok, VS Code port forwarding, or a reverse proxy);',
        '  - a relay on a public host: run `mq relay --port P --token T` there and use --relay https://relay-host --relay-token T.',
      ].join('\n');
    case 'checkRelay':
      return 'Check --relay (the https:// URL of the relay) and that `mq relay` is running there.';
    case 'checkRelayToken':
      return 'Use a token the relay was started with: --relay-token T or MQ_RELAY_TOKEN.';
    case 'fetchLater':
      return `The result may still reach the relay: \`mq fetch ${requestId ?? 'REQUEST_ID'}\` gets it later (\`mq pending\` lists such runs).`;
    case 'retryLater':
      return 'Wait a minute and run again.';
    case 'fixQuery':
    case 'none':
      return '';
  }
}

/** The message and its remedy as printed lines. */
export function withRemedy(message: string, remedy: Remedy, requestId?: string): string {
  const r = cliRemedy(remedy, requestId);
  return r ? `${message}\n${r}` : message;
}
