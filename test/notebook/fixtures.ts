// A small notebook with every kind of cell and output, shared by the notebook tests.
import { RawInteger } from '../../server/src/core/compile/wire.js';
import type { Notebook } from '../../server/src/notebook/format.js';

export function sampleNotebook(): Notebook {
  return {
    metadata: { title: 'Report' },
    cells: [
      { kind: 'markdown', source: '# Title\n\nSome *prose*.' },
      {
        kind: 'mq',
        source: '-- daily\nSELECT TOTAL_TRAFFIC_COUNT BY DAY\nWHERE channelCode = SMS AND sentSince = now - 2d AND sentUntil = now;',
        execution: { order: 1, startedAt: '2026-03-01T12:00:00.000Z', durationMs: 120, success: true },
        outputs: [
          {
            kind: 'result',
            query: 1,
            line: 2,
            result: {
              title: 'daily',
              queryText: 'SELECT TOTAL_TRAFFIC_COUNT BY DAY ...',
              source: 'sample',
              connection: 'embedded',
              requestId: 'R1',
              requestedPeriod: { sentSince: '2026-02-27T12:00:00.000+0000', sentUntil: '2026-03-01T12:00:00.000+0000' },
              elapsedMs: 80,
              orderBy: [{ column: 'DAY', direction: 'DESC' }],
              limit: 5,
              dimensions: ['CHANNEL_CODE', 'DAY'],
              rateColumns: [],
              response: {
                requestedPeriod: { sentSince: '2026-02-27T12:00:00.000+0000', sentUntil: '2026-03-01T12:00:00.000+0000' },
                totalRows: 2,
                columns: [
                  { columnName: 'CHANNEL_CODE', columnDataType: 'STRING' },
                  { columnName: 'DAY', columnDataType: 'DATE_TIME' },
                  { columnName: 'TOTAL_TRAFFIC_COUNT', columnDataType: 'INTEGER' },
                ],
                rows: [
                  ['SMS', '2026-02-28T00:00:00.000+0000', new RawInteger('9007199254740993')],
                  ['SMS', 'N/A', null],
                ],
              },
            },
          },
          { kind: 'error', query: 2, line: 5, reason: 'diagnostics', message: 'query 2 has 1 error', diagnostics: [{ code: 'unknown-metric', severity: 'error', line: 5, column: 8, message: 'unknown metric X' }] },
        ],
      },
      { kind: 'mq', source: '', outputs: [] },
    ],
  };
}
