#!/usr/bin/env node
// The `shelfwise` command. TypeScript runs through tsx, so a checkout needs no build step.
require('tsx/cjs/api').register();
require('./main.ts')
  .main(process.argv)
  .catch((error) => {
    console.error(error && error.message ? error.message : error);
    // Whatever the command had opened (servers, Redis, PGlite) must not keep a failed run alive.
    process.exit(1);
  });
