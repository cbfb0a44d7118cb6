// Result payloads for the webview tests and the benchmark.
import { stringifyCellsJson, type CellValue, type Column, type ResultView } from '../../client/webview/model.js';

export function payloadOf(partial: Partial<ResultView> & { columns: Column[]; rows: CellValue[][] }): string {
  const { columns, rows, ...rest } = partial;
  const view = {
    title: 'Delivery by day',
    queryText: 'SELECT ...',
    source: 'live',
    connection: 'prod',
    requestId: 'req-123',
    requestedPeriod: { sentSince: '2024-04-01T00:00:00.000+0000', sentUntil: '2024-04-08T00:00:00.000+0000' },
    returnedPeriod: { sentSince: '2024-04-01T00:00:00.000+0000', sentUntil: '2024-04-07T23:59:59.999+0000' },
    elapsedMs: 1234,
    ...rest,
    response: {
      requestedPeriod: { sentSince: '2024-04-01T00:00:00.000+0000', sentUntil: '2024-04-08T00:00:00.000+0000' },
      totalRows: rows.length,
      columns,
      rows,
    },
  };
  return stringifyCellsJson(view);
}

const CHANNELS = ['SMS', 'EMAIL', 'WHATSAPP', 'VIBER'];

/** n rows of (DAY, CHANNEL, TOTAL_COUNT, DELIVERY_RATE, COMMUNICATION_ID) with some N/A cells. */
export function bigPayload(n: number): string {
  const columns: Column[] = [
    { columnName: 'HOUR', columnDataType: 'DATE_TIME' },
    { columnName: 'CHANNEL', columnDataType: 'STRING' },
    { columnName: 'SENDER', columnDataType: 'STRING' },
    { columnName: 'TOTAL_COUNT', columnDataType: 'INTEGER' },
    { columnName: 'DELIVERY_RATE', columnDataType: 'NUMBER' },
    { columnName: 'COMMUNICATION_ID', columnDataType: 'INTEGER' },
  ];
  const rows: CellValue[][] = new Array(n);
  const t0 = Date.UTC(2024, 0, 1);
  for (let i = 0; i < n; i++) {
    const t = new Date(t0 + Math.floor(i / 4) * 3600_000).toISOString().replace('Z', '+0000');
    rows[i] = [
      t,
      CHANNELS[i % 4],
      `sender-${i % 97}`,
      i % 50 === 7 ? 'N/A' : (i * 7919) % 100000,
      i % 61 === 3 ? 'N/A' : ((i * 37) % 1000) / 1000,
      9007199254740993n + BigInt(i),
    ];
  }
  return payloadOf({ columns, rows, title: `${n} rows` });
}
