import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
// Registers the pure-JS 'cpu' backend: the last resort, and the kernels wasm falls back to.
import '@tensorflow/tfjs-backend-cpu';

/** The TensorFlow.js backends Shelfwise trains on, fastest first (docs/architecture.md). */
export type TfBackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface BackendChoice {
  /** The backend every tfjs op in this process now runs on. */
  name: TfBackendName;
  /** Why each faster backend was passed over, in the order they were tried. */
  skipped: { name: TfBackendName; reason: string }[];
}

export interface ChooseBackendOptions {
  /** Told the chosen backend once, when it is chosen. Default: silent. */
  log?: (message: string) => void;
}

const reasonOf = (error: unknown) => (error instanceof Error ? error.message.split('\n')[0]! : String(error));

async function tryNative(): Promise<void> {
  // tfjs-node is an optional dependency whose installer downloads libtensorflow; without that
  // library (or without the package at all) the require throws, and that is an expected outcome.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('@tensorflow/tfjs-node');
  if (!(await tf.setBackend('tensorflow'))) throw new Error('tfjs-node loaded but the tensorflow backend did not initialise');
}

async function tryWasm(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
  // The .wasm binaries ship in the package's dist folder; read them from disk, never the CDN.
  const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  wasm.setWasmPaths(`${dist}${path.sep}`);
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise');
}

let chosen: Promise<BackendChoice> | undefined;

async function choose(): Promise<BackendChoice> {
  const skipped: BackendChoice['skipped'] = [];
  for (const [name, attempt] of [
    ['tensorflow', tryNative],
    ['wasm', tryWasm],
  ] as const) {
    try {
      await attempt();
      return { name, skipped };
    } catch (error) {
      skipped.push({ name, reason: reasonOf(error) });
    }
  }
  if (!(await tf.setBackend('cpu'))) throw new Error('no TensorFlow.js backend initialised, not even cpu');
  return { name: 'cpu', skipped };
}

/**
 * Chooses the TensorFlow.js backend once per process — tfjs-node, else wasm, else cpu — and
 * resolves with its name. TensorFlow.js keeps one engine per process, so the choice is made once
 * and every later call returns the same answer.
 */
export async function chooseTfBackend({ log }: ChooseBackendOptions = {}): Promise<BackendChoice> {
  const first = !chosen;
  chosen ??= choose();
  const choice = await chosen;
  if (first && log) {
    const passed = choice.skipped.map((s) => `${s.name} unavailable (${s.reason})`).join('; ');
    log(`TensorFlow.js backend: ${choice.name}${passed ? ` — ${passed}` : ''}`);
  }
  return choice;
}
