import { execFile } from 'node:child_process';
import path from 'node:path';

const BIN = path.join(__dirname, '..', '..', 'shared', 'cli', 'bin.cjs');

/** Runs the real `shelfwise` bin in a child process, as an operator would. */
export function shelfwise(args: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, timeout: 120_000, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
