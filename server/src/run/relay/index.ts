// The relay: a durable store for callbacks (server side) and the client's link to it.
export { startRelay, clientAddress, MIN_RELAY_TOKEN_LENGTH, type RelayOptions, type RelayServer } from './server.js';
export { RelayLink, type RelayFetch } from './link.js';
export { RelayStore, type StoreLimits, type PutOutcome, type PendingResult, type StoreFault } from './store.js';
export { hashToken, parseTokensFile, TokenSet } from './tokens.js';
export { JsonScanner } from './jsonscan.js';
