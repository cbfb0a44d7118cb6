// What the names mean, as Markdown: one text per metric, dimension, filter and channel that hover and
// completion both show.
import type { ChannelEntry, DimensionEntry, FilterEntry, MetricEntry } from './types.js';

export function metricDoc(m: MetricEntry): string {
  const lines = [`**${m.displayName}** — metric \`${m.name}\``, '', m.description];
  if (m.channelNotes.length) lines.push('', ...m.channelNotes.map((n) => `- ${n}`));
  if (m.onlyFor) lines.push('', `Returned only for: ${m.onlyFor.join(', ')}.`);
  if (m.notFor) lines.push('', `Not returned for: ${m.notFor.join(', ')}.`);
  if (m.direction) lines.push('', `Meaningful for ${m.direction} traffic only.`);
  lines.push('', `Wire name: \`${m.name}\` (${m.valueType}${m.isRate ? ', a rate' : ''}).`);
  return lines.join('\n');
}

export function dimensionDoc(d: DimensionEntry): string {
  return `**${d.displayName}** — dimension \`${d.name}\`\n\n${d.description}\n\nColumn type: ${d.columnType}. Wire name: \`${d.name}\` in \`aggregateBy\`.`;
}

export function filterDoc(f: FilterEntry): string {
  const lines = [`**${f.displayName}** — filter \`${f.name}\``, '', f.description, '', `Operators: ${f.operators.map((o) => `\`${o}\``).join(', ')}.`];
  lines.push(f.shorthand ? 'mq shorthand: sent as `sentSince` / `sentUntil`.' : `Wire property: \`filterBy.${f.wire}\`${f.list ? ' (a list)' : ''}.`);
  if (f.required) lines.push('', 'Required by the Metrics API.');
  return lines.join('\n');
}

export function channelDoc(c: ChannelEntry): string {
  return `**${c.displayName}** — channel \`${c.name}\`\n\n${c.description}${c.source === 'openapi' ? '\n\nKnown only from the OpenAPI document.' : ''}`;
}
