// Lossless JSON reading is the run engine's (integers beyond 2^53 come back as RawInteger).
export { parseJsonLossless, isPlainObject } from '../../server/src/api.js';
