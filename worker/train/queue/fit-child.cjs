// Runs one training fit in its own process, so the BullMQ worker's event loop stays free to
// renew job locks while the fit holds a core. The parent sends { module, exportName, args },
// this answers { ok, value } or { ok: false, error } once and waits to be disconnected.
// TypeScript runs through tsx, as in shared/cli/bin.cjs.
require('tsx/cjs/api').register();

// The parent went away (it closed the channel after the answer, or it died): nothing to report to.
process.on('disconnect', () => process.exit(0));

process.once('message', async (request) => {
  let answer;
  try {
    const fit = require(request.module)[request.exportName];
    if (typeof fit !== 'function') throw new TypeError(`${request.module} exports no function ${request.exportName}`);
    answer = { ok: true, value: await fit(...request.args) };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    answer = { ok: false, error: { name: e.name, message: e.message, stack: e.stack } };
  }
  try {
    process.send(answer);
  } catch (error) {
    // A value structured clone cannot carry (a function, a class instance with handles).
    process.send({ ok: false, error: { name: 'DataCloneError', message: String(error && error.message) } });
  }
});
