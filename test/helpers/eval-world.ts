/**
 * A small hand-made IBM AMLworld world for the evaluation specifications: a fan-in attempt, a cycle attempt
 * and a benign background, as a `*_Trans.csv`, its `*_Patterns.txt`, and alerts over it.
 */
export const IBM_HEADER =
  'Timestamp,From Bank,Account,To Bank,Account,Amount Received,Receiving Currency,Amount Paid,Payment Currency,Payment Format,Is Laundering';

/** Data rows 1..9: rows 1-3 fan-in into 002/B, rows 4-6 a cycle C1 → C2 → C3 → C1, rows 7-9 benign. */
export const TRANS_ROWS = [
  '2022/09/01 00:00,001,A1,002,B,100.00,US Dollar,100.00,US Dollar,ACH,1',
  '2022/09/01 01:00,003,A2,002,B,200.00,US Dollar,200.00,US Dollar,ACH,1',
  '2022/09/01 02:00,004,A3,002,B,300.00,US Dollar,300.00,US Dollar,ACH,1',
  '2022/09/02 00:00,010,C1,011,C2,50.00,Euro,50.00,Euro,Wire,1',
  '2022/09/02 01:00,011,C2,012,C3,49.00,Euro,49.00,Euro,Wire,1',
  '2022/09/02 02:00,012,C3,010,C1,48.00,Euro,48.00,Euro,Wire,1',
  '2022/09/03 00:00,020,N1,021,N2,10.00,US Dollar,10.00,US Dollar,Cheque,0',
  '2022/09/03 01:00,021,N2,022,N3,20.00,US Dollar,20.00,US Dollar,Cheque,0',
  '2022/09/03 02:00,023,N4,024,N5,5.00,US Dollar,5.00,US Dollar,Cash,0',
];

export const TRANS_CSV = `${IBM_HEADER}\n${TRANS_ROWS.join('\n')}\n`;

export const PATTERNS_TXT =
  'BEGIN LAUNDERING ATTEMPT - FAN-IN:  Max 3-degree Fan-In\n' +
  `${TRANS_ROWS.slice(0, 3).join('\n')}\n` +
  'END LAUNDERING ATTEMPT - FAN-IN\n\n' +
  'BEGIN LAUNDERING ATTEMPT - CYCLE:  Max 3 hops\n' +
  `${TRANS_ROWS.slice(3, 6).join('\n')}\n` +
  'END LAUNDERING ATTEMPT - CYCLE\n';

export interface TestAlert {
  id: string;
  typology: string;
  accounts: string[];
  transactions: string[];
}

export function alertLine(a: TestAlert): string {
  return JSON.stringify({
    id: a.id,
    typology: a.typology,
    score: 0.8,
    accounts: a.accounts,
    transactions: a.transactions,
    from: '2022-09-01T00:00:00Z',
    to: '2022-09-03T00:00:00Z',
    amount: { value: 1, currency: 'USD' },
    explanation: 'test',
  });
}

/** Two fan-in rows, one cycle row, and a false fan-out alert on the benign background. */
export const ALERTS: TestAlert[] = [
  { id: 'a-1', typology: 'fan-in', accounts: ['002/B', '001/A1', '003/A2'], transactions: ['row:1', 'row:2'] },
  { id: 'a-2', typology: 'cycle', accounts: ['010/C1', '011/C2'], transactions: ['row:4'] },
  { id: 'a-3', typology: 'fan-out', accounts: ['020/N1', '021/N2'], transactions: ['row:7', 'row:8'] },
];

export const ALERTS_JSONL = `${ALERTS.map(alertLine).join('\n')}\n`;
