// A train worker in a process of its own, for the test that SIGKILLs it mid-fit.
require('tsx/cjs/api').register();
require('./train-worker-process-main.ts')
  .main()
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
