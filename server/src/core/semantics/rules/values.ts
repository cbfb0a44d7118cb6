// unknown-value, invalid-value, invalid-time-bucket: the problems found while resolving each value
// (model.ts), reported at the value. Also the optional note on channel codes only the OpenAPI knows.
import type { DiagnosticCode, MqDiagnostic } from '../diagnostics.js';
import { diag, type Rule } from './types.js';

export const valuesRule: Rule = {
  id: 'values',
  codes: ['unknown-value', 'invalid-value', 'invalid-time-bucket'],
  checks: {
    Condition(c, rc) {
      for (const v of c.values) {
        const p = v.problem;
        if (!p || p.silent) continue;
        // Problem is a union keyed by code, so its code and data belong together.
        rc.accept(diag<DiagnosticCode>(p.code, v.node, p.message, p.data ? { data: p.data } : {}) as MqDiagnostic);
      }
      const mode = rc.options.openApiOnlyChannels;
      if (mode === 'off' || !c.filter || c.filter.valueKind !== 'channel') return;
      const index = rc.catalog;
      for (const v of c.values) {
        const ch = v.channel;
        if (!ch || ch.source !== 'openapi') continue;
        const seedSpellings = index.names.channels.filter((n) => {
          const e = index.channels.get(n.toUpperCase());
          return e && e.family === ch.family && e.source !== 'openapi';
        });
        const alt = seedSpellings.length
          ? ` The product's channel list spells this channel ${seedSpellings.join(' / ')}.`
          : ' The product documentation does not list this channel.';
        rc.accept(
          diag('unknown-value', v.node, `${ch.name} appears only in the OpenAPI document, not in the product's channel list.${alt}`, {
            severity: mode === 'hint' ? 'hint' : 'warning',
            data: { filter: c.filter.name, value: ch.name, suggestions: seedSpellings, openApiOnly: true },
          }),
        );
      }
    },
  },
};
