// Loads dist/engine.js (parser, compiler, run engine, sample-data stand-in) the first time it is needed:
// the first CodeLens request or the first run, not at activation. The client build marks ./engine.js as
// external, so this require stays a runtime require next to dist/client.js.
import type * as EngineModule from './engine.js';

export type Engine = typeof EngineModule;
let loaded: Engine | undefined;

export function engine(): Engine {
  loaded ??= require('./engine.js') as Engine;
  return loaded;
}
