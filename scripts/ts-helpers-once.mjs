// An esbuild plugin that bundles one copy of the TypeScript module helpers instead of one per file.
//
// tsc writes its CommonJS helpers (__createBinding, __setModuleDefault, __importStar, __exportStar,
// __importDefault) at the top of every file it emits unless the package is built with `importHelpers` (tslib).
// vscode-jsonrpc, vscode-languageserver-protocol and vscode-languageserver are not, so dist/server.js carried
// 55 copies of five functions in 19 files (10 KB). This plugin replaces each copy with a reference to one shared
// module holding the same text, which is what `importHelpers` would have done.
// A copy is replaced only when its text is exactly the one below. A file that defines one of these helpers with
// other text fails the build (tsc changed its helpers: update HELPERS), and so does a build where a helper was
// never found (the packages changed shape).
import { readFile } from 'node:fs/promises';

/** The helpers, by name, exactly as tsc emits them in the packages the plugin applies to. */
export const HELPERS = {
  __createBinding: `var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
`,
  __setModuleDefault: `var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
`,
  __importStar: `var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
`,
  __exportStar: `var __exportStar = (this && this.__exportStar) || function(m, exports) {
    for (var p in m) if (p !== "default" && !Object.prototype.hasOwnProperty.call(exports, p)) __createBinding(exports, m, p);
};
`,
  __importDefault: `var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
`,
};

const SHARED = 'mq-ts-helpers-once';

/** The shared module: the helpers once, exported by name. */
export const SHARED_SOURCE = `"use strict";\n${Object.values(HELPERS).join('')}module.exports = { ${Object.keys(HELPERS).join(', ')} };\n`;

/** The packages whose files get the shared helpers. */
export const PACKAGE_FILE = /[\\/]node_modules[\\/](vscode-jsonrpc|vscode-languageserver-protocol|vscode-languageserver)[\\/]lib[\\/].*\.js$/;

/**
 * `text` with each helper copy replaced by a reference to the shared module, and the names replaced.
 * Throws when the file defines a helper with text other than HELPERS holds.
 */
export function shareHelpers(file, text) {
  let out = text;
  const replaced = [];
  for (const [name, definition] of Object.entries(HELPERS)) {
    if (!out.includes(`var ${name} = (this && this.${name}) ||`)) continue;
    if (out.split(definition).length !== 2) {
      throw new Error(
        `ts-helpers-once: ${file} defines ${name} differently from the copy in scripts/ts-helpers-once.mjs ` +
          '(tsc changed its helpers). Update HELPERS there, or drop the plugin from scripts/build.mjs.',
      );
    }
    out = out.replace(definition, `var ${name} = require("${SHARED}").${name};\n`);
    replaced.push(name);
  }
  return { text: out, replaced };
}

/** The esbuild plugin. */
export const sharedTsHelpers = {
  name: 'ts-helpers-once',
  setup(b) {
    const seen = new Set();
    b.onStart(() => seen.clear());
    b.onResolve({ filter: new RegExp(`^${SHARED}$`) }, () => ({ path: SHARED, namespace: SHARED }));
    b.onLoad({ filter: /.*/, namespace: SHARED }, () => ({ contents: SHARED_SOURCE, loader: 'js' }));
    b.onLoad({ filter: PACKAGE_FILE }, async (args) => {
      const { text, replaced } = shareHelpers(args.path, await readFile(args.path, 'utf8'));
      for (const name of replaced) seen.add(name);
      return { contents: text, loader: 'js' };
    });
    b.onEnd((result) => {
      if (result.errors.length > 0) return;
      const missing = Object.keys(HELPERS).filter((n) => !seen.has(n));
      if (missing.length > 0) {
        throw new Error(`ts-helpers-once: no file defined ${missing.join(', ')}; the packages changed shape. Update scripts/ts-helpers-once.mjs.`);
      }
    });
  },
};
