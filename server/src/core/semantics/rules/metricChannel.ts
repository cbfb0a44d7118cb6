// metric-channel-unsupported, metric-channel-partial, metric-channel-may-be-empty: the catalog's
// channel rules (onlyFor / notFor / mayBeEmpty*) applied to the channel families the query selects.
import type { CatalogIndex } from '../../catalog/catalogIndex.js';
import { mayBeEmpty, returnsValues } from '../../catalog/channels.js';
import type { DiagnosticData } from '../diagnostics.js';
import type { ChannelSelection } from '../model.js';
import { diag, listText, type Rule } from './types.js';

/** The selected codes whose family satisfies `pred`, in query order. */
function codesWhere(index: CatalogIndex, sel: ChannelSelection, pred: (family: string) => boolean): string[] {
  return sel.codes.filter((c) => {
    const f = index.familyOf(c);
    return f !== undefined && pred(f);
  });
}

function chosenHere(sel: ChannelSelection): { at: ChannelSelection['conditions'][number]['node']; message: string }[] {
  return sel.conditions.map((c) => ({ at: c.node, message: 'channels chosen here' }));
}

export const metricChannelRule: Rule = {
  id: 'metricChannel',
  codes: ['metric-channel-unsupported', 'metric-channel-partial', 'metric-channel-may-be-empty'],
  checks: {
    Metric(ref, rc) {
      const m = ref.entry;
      const sel = rc.model.channels;
      if (!m || !sel || ref.duplicateOf) return;
      // One pass over the selected codes (query order): which return the metric, which do not, and which of
      // those that do may come back empty.
      const index = rc.catalog;
      const supported: string[] = [];
      const na: string[] = [];
      let empty: string[] | undefined;
      for (const c of sel.codes) {
        const f = index.familyOf(c);
        if (f === undefined) continue;
        if (!returnsValues(m, f)) na.push(c);
        else {
          supported.push(c);
          if (mayBeEmpty(m, f)) (empty ??= []).push(c);
        }
      }
      if (supported.length === 0) {
        const data: DiagnosticData['metric-channel-unsupported'] = { metric: m.name, channels: sel.codes };
        let fix: string;
        const repl = m.replacement && sel.families.has(m.replacement.family) ? m.replacement.metric : undefined;
        if (repl) {
          data.replacement = repl;
          fix = `Use ${repl} instead for ${listText(codesWhere(index, sel, (f) => f === m.replacement!.family))}.`;
        } else if (m.onlyFor && m.onlyFor.length > 0) {
          data.addChannel = m.onlyFor[0];
          fix = `Add ${listText(m.onlyFor)} to channelCode, or remove ${m.name}.`;
        } else {
          fix = `Remove ${m.name} or choose other channels.`;
        }
        const only = m.onlyFor ? ` It is only returned for ${listText(m.onlyFor)}.` : m.notFor ? ` It is not returned for ${listText(m.notFor)}.` : '';
        rc.accept(
          diag(
            'metric-channel-unsupported',
            ref.node,
            `None of the selected channels (${sel.codes.join(', ')}) returns ${m.name}; every row would be N/A.${only} ${fix}`,
            { data, related: chosenHere(sel) },
          ),
        );
        return;
      }
      if (na.length > 0) {
        const data: DiagnosticData['metric-channel-partial'] = { metric: m.name, channels: na };
        if (m.replacement && na.some((c) => index.familyOf(c) === m.replacement!.family)) data.replacement = m.replacement.metric;
        rc.accept(
          diag(
            'metric-channel-partial',
            ref.node,
            `${m.name} is N/A for ${listText(na)}; only ${listText(supported)} will have values.` +
              (data.replacement ? ` For ${listText(na)} use ${String(data.replacement)}.` : ` Remove ${listText(na)} from channelCode if you only need ${m.name}.`),
            { data, related: chosenHere(sel) },
          ),
        );
      }
      if (empty) {
        const reason =
          m.mayBeEmptyExceptFor !== undefined
            ? `it needs seen/open reports, which mainly ${listText(m.mayBeEmptyExceptFor)} provide`
            : `click tracking is not available there`;
        rc.accept(
          diag(
            'metric-channel-may-be-empty',
            ref.node,
            `${m.name} may return no data for ${listText(empty)}: ${reason}. Expect empty or zero values for ${empty.length === 1 ? 'that channel' : 'those channels'}.`,
            { data: { metric: m.name, channels: empty } },
          ),
        );
      }
    },
  },
};
