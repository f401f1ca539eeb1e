import * as tf from '@tensorflow/tfjs-core';
import { chooseTfBackend } from '../../../../worker/recommend/tf/backend';

describe('chooseTfBackend', () => {
  it('picks the fastest backend that loads here, once, and says why it passed the others over', async () => {
    const messages: string[] = [];
    const choice = await chooseTfBackend({ log: (m) => messages.push(m) });
    // tfjs-node's native library never installs on these machines (no internet): wasm wins.
    expect(choice.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(choice.skipped.map((s) => s.name)).toEqual(['tensorflow']);
    expect(messages).toEqual([expect.stringMatching(/^TensorFlow\.js backend: wasm — tensorflow unavailable/)]);
    const again = await chooseTfBackend({ log: (m) => messages.push(m) });
    expect(again).toBe(choice);
    expect(messages).toHaveLength(1);
  });

  it('multiplies matrices correctly on the chosen backend without leaking tensors', async () => {
    await chooseTfBackend();
    const before = tf.memory().numTensors;
    const product = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2, 3], [4, 5, 6]]), tf.tensor2d([[7, 8], [9, 10], [11, 12]])).arraySync());
    expect(product).toEqual([
      [58, 64],
      [139, 154],
    ]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
