/**
 * Alert lines as `rastro scan` writes them (CONTRACT.md, "Alert line"), read back for evaluation.
 * Only what evaluation rests on is required (id, typology, accounts, transactions); the other contract
 * fields are checked when present so a broken producer is caught, not silently scored.
 */
import { z } from 'zod';
import { readTextPieces } from '../ingest/index.js';

export const AlertLine = z.object({
  id: z.string().min(1),
  typology: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'kebab-case typology name'),
  score: z.number().min(0).max(1).optional(),
  accounts: z.array(z.string().min(1)),
  transactions: z.array(z.string().min(1)),
  from: z.string().optional(),
  to: z.string().optional(),
  amount: z.object({ value: z.number(), currency: z.string() }).optional(),
  explanation: z.string().optional(),
});
export type AlertLine = z.infer<typeof AlertLine>;

/** An alerts line that could not be read: `file:line: reason`. */
export interface AlertLineError {
  file: string;
  line: number;
  reason: string;
}

/** Alert lines longer than this are reported, not buffered (an alert naming ~2 million transactions). */
export const MAX_ALERT_LINE_BYTES = 64 << 20;

/** One line of an alerts file as an alert, or the reason it is not one. Blank lines are `null`. */
export function parseAlertLine(text: string): { alert: AlertLine } | { reason: string } | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (err) {
    return { reason: `not JSON: ${(err as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { reason: 'not a JSON object' };
  const parsed = AlertLine.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? issue.path.join('.') : 'alert';
    return { reason: `${where}: ${issue.message}` };
  }
  return { alert: parsed.data };
}

/**
 * Stream an alerts file (JSON Lines): each alert goes to `onAlert`, each unreadable line to `onError`.
 * Memory: one read chunk plus one line.
 */
export async function readAlertsFile(
  path: string,
  onAlert: (alert: AlertLine) => void,
  onError: (error: AlertLineError) => void,
): Promise<{ lines: number }> {
  let lines = 0;
  for await (const piece of readTextPieces(path, { maxLineBytes: MAX_ALERT_LINE_BYTES })) {
    const text = piece.text;
    let line = piece.firstLine;
    let pos = 0;
    while (pos < text.length) {
      const nl = text.indexOf('\n', pos);
      const end = nl === -1 ? text.length : nl;
      lines = line;
      const bad = piece.badLines?.get(line);
      if (bad !== undefined) {
        onError({ file: path, line, reason: bad });
      } else {
        const result = parseAlertLine(text.slice(pos, end));
        if (result !== null) {
          if ('alert' in result) onAlert(result.alert);
          else onError({ file: path, line, reason: result.reason });
        }
      }
      pos = end + 1;
      line++;
    }
  }
  return { lines };
}
