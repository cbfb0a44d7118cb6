// The extension's redaction is the run engine's: one function, one mask, the same rules everywhere.
export { redact, redactShapes, urlSecrets, MASK } from '../../server/src/api.js';
