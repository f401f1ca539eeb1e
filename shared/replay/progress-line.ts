import type { DeliveryTally } from './deliver-all';

export interface ProgressLineOptions {
  stream: NodeJS.WriteStream | { write(text: string): unknown; isTTY?: boolean };
  /** Redraw at most this often, in ms. Default 250 on a terminal, 5,000 otherwise. */
  intervalMs?: number;
  /** Expected number of deliveries, for a percentage. */
  total?: number;
  now?: () => number;
  /** First word of the line. Default `replay`. */
  label?: string;
}

export interface ProgressLine {
  update(tally: DeliveryTally): void;
  /** Draws the final state and ends the line. */
  done(tally: DeliveryTally): void;
}

/**
 * One progress line on stderr. On a terminal it redraws in place; in a log (not a TTY) it
 * prints a plain line every few seconds instead of filling the file with carriage returns.
 */
export function createProgressLine({ stream, intervalMs, total, now = Date.now, label = 'replay' }: ProgressLineOptions): ProgressLine {
  const tty = Boolean(stream.isTTY);
  const every = intervalMs ?? (tty ? 250 : 5_000);
  const started = now();
  let last = 0;
  const text = (t: DeliveryTally) => {
    const seconds = Math.max((now() - started) / 1000, 0.001);
    const settled = t.accepted + t.duplicates + t.failed;
    const share = total ? ` ${((100 * settled) / total).toFixed(1)}%` : '';
    return `${label}: ${settled}${total ? `/${total}` : ''}${share} settled, ${t.accepted} accepted, ${t.duplicates} duplicates, ${t.failed} failed, ${(settled / seconds).toFixed(0)}/s`;
  };
  return {
    update(tally) {
      const at = now();
      if (at - last < every) return;
      last = at;
      stream.write(tty ? `\r\x1b[2K${text(tally)}` : `${text(tally)}\n`);
    },
    done(tally) {
      stream.write(tty ? `\r\x1b[2K${text(tally)}\n` : `${text(tally)}\n`);
    },
  };
}
