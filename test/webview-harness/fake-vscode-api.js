// Test stand-in for VS Code's webview API. Loaded (with the page nonce) before dist/webview/main.js.
// Records what the webview posts and saves, CSP violations, and whether anything hostile ran.
(function () {
  'use strict';
  var host = { posted: [], state: undefined, cspViolations: [], errors: [] };
  window.__mqHost = host;
  window.__mqPwned = false; // hostile payloads in the tests try to set this
  try {
    var saved = sessionStorage.getItem('mq-harness-state');
    if (saved) host.state = JSON.parse(saved);
  } catch (e) { /* ignore */ }
  var api = {
    postMessage: function (msg) { host.posted.push(JSON.parse(JSON.stringify(msg))); },
    getState: function () { return host.state; },
    setState: function (s) {
      host.state = s;
      try { sessionStorage.setItem('mq-harness-state', JSON.stringify(s)); } catch (e) { /* quota: ignore */ }
    },
  };
  var acquired = false;
  window.acquireVsCodeApi = function () {
    if (acquired) throw new Error('acquireVsCodeApi called twice');
    acquired = true;
    return api;
  };
  document.addEventListener('securitypolicyviolation', function (e) {
    host.cspViolations.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample });
  });
  window.addEventListener('error', function (e) { host.errors.push(String(e.message)); });
})();
