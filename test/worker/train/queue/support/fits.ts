import fs from 'node:fs';
import path from 'node:path';
import { trainFromLog, type TrainInput, type TrainOutcome } from '../../../../../worker/train/train-from-log';

/**
 * Fits the tests run in the training child instead of the plain trainFromLog. The child inherits
 * the test's environment: TRAIN_TEST_DIR (passed in its env) is where they leave marks for the test to see,
 * TRAIN_TEST_BLOCK_MS how long the blocking ones hold the child's event loop.
 */
export const FITS_MODULE = __filename;

function mark(name: string): void {
  const dir = process.env.TRAIN_TEST_DIR;
  if (dir) fs.writeFileSync(path.join(dir, name), String(process.pid));
}

/** Holds the thread without yielding: no timers, no I/O, no lock renewal could run here. */
export function blockEventLoop(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // spin
  }
}

export async function echo<T>(value: T): Promise<T> {
  return value;
}

export async function exitWith(code: number): Promise<never> {
  process.exit(code);
}

export async function throwRangeError(message: string): Promise<never> {
  throw new RangeError(message);
}

export async function blockFor(ms: number): Promise<{ pid: number; blockedMs: number }> {
  mark('blocking');
  blockEventLoop(ms);
  return { pid: process.pid, blockedMs: ms };
}

/** Marks `fit-started`, blocks TRAIN_TEST_BLOCK_MS, then trains. */
export async function blockThenTrain(input: TrainInput): Promise<TrainOutcome> {
  mark('fit-started');
  blockEventLoop(Number(process.env.TRAIN_TEST_BLOCK_MS ?? 0));
  return trainFromLog(input);
}

/** The first call dies as an out-of-memory kill would; later calls train. */
export async function crashOnceThenTrain(input: TrainInput): Promise<TrainOutcome> {
  const dir = process.env.TRAIN_TEST_DIR!;
  if (!fs.existsSync(path.join(dir, 'crashed'))) {
    mark('crashed');
    process.kill(process.pid, 'SIGKILL');
  }
  return trainFromLog(input);
}
