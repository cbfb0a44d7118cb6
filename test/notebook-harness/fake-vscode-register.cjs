// Makes require('vscode') resolve to fake-vscode.cjs (node tests of code that runs in the extension host).
const Module = require('node:module');
const path = require('node:path');
const fake = path.join(__dirname, 'fake-vscode.cjs');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'vscode' ? fake : resolve.call(this, request, ...rest);
};
