import { FitAbortedError, FitCrashedError, FitFailedError, fitInChildProcess } from '../../../../worker/train/queue';
import { alive } from './support/alive';
import { FITS_MODULE } from './support/fits';


const waitForExit = async (pid: number) => {
  for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
  return !alive(pid);
};

describe('fitInChildProcess', () => {
  it('runs the export in another process and brings typed arrays back as typed arrays', async () => {
    let childPid = 0;
    const input = { time: new Float64Array([1.5, 2.5]), items: new Int32Array([3, -4]), names: ['a', 'b'], at: new Date(0), byCode: new Map([['x', 1]]) };
    const output = await fitInChildProcess<typeof input>({ module: FITS_MODULE, exportName: 'echo', args: [input], onSpawn: (pid) => (childPid = pid) });
    expect(childPid).not.toBe(process.pid);
    // Jest's sandbox has its own globals: compare by tag, not by instanceof.
    expect(Object.prototype.toString.call(output.time)).toBe('[object Float64Array]');
    expect(Array.from(output.time)).toEqual([1.5, 2.5]);
    expect(Object.prototype.toString.call(output.items)).toBe('[object Int32Array]');
    expect(Array.from(output.items)).toEqual([3, -4]);
    expect(output.at.getTime()).toBe(0);
    expect(output.byCode.get('x')).toBe(1);
    expect(await waitForExit(childPid)).toBe(true);
  });

  it('a child that exits before answering is a crash, with its exit code', async () => {
    const failure = fitInChildProcess({ module: FITS_MODULE, exportName: 'exitWith', args: [7] });
    await expect(failure).rejects.toBeInstanceOf(FitCrashedError);
    await expect(failure).rejects.toMatchObject({ exitCode: 7, signal: null });
  });

  it('an error thrown by the fit comes back with its name and message', async () => {
    const failure = fitInChildProcess({ module: FITS_MODULE, exportName: 'throwRangeError', args: ['k must be positive'] });
    await expect(failure).rejects.toBeInstanceOf(FitFailedError);
    await expect(failure).rejects.toMatchObject({ childErrorName: 'RangeError', message: expect.stringContaining('k must be positive') });
  });

  it('aborting kills a child that is blocked in its fit', async () => {
    const controller = new AbortController();
    let childPid = 0;
    const running = fitInChildProcess({ module: FITS_MODULE, exportName: 'blockFor', args: [60_000], signal: controller.signal, onSpawn: (pid) => (childPid = pid) });
    await new Promise((r) => setTimeout(r, 300));
    expect(alive(childPid)).toBe(true);
    controller.abort('test says stop');
    await expect(running).rejects.toBeInstanceOf(FitAbortedError);
    expect(await waitForExit(childPid)).toBe(true);
  });

  it('names a missing export', async () => {
    await expect(fitInChildProcess({ module: FITS_MODULE, exportName: 'noSuchFit', args: [] })).rejects.toThrow(/exports no function noSuchFit/);
  });
});
