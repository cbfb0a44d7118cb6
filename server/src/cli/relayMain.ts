// Entry of dist/relay.js: `node relay.js --token T --store PATH ...` runs the relay with nothing else
// installed (Node 22.13+ for node:sqlite). SIGTERM or SIGINT stops it gracefully; a second one exits.
import { relayCli } from './relay.js';

const controller = new AbortController();
let signals = 0;
const onSignal = (): void => {
  if (++signals > 1) process.exit(130);
  controller.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
relayCli(process.argv.slice(2), {
  stdout: (s) => void process.stdout.write(s),
  stderr: (s) => void process.stderr.write(s),
  env: process.env,
  cwd: process.cwd(),
  signal: controller.signal,
}).then(
  (code) => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`mq relay: unexpected error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  },
);
