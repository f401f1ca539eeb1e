import path from 'node:path';

/**
 * The development dataset, committed in `data/` so a fresh clone has it: every line item of
 * the Online Retail II store, 2009-12 to 2010-12 (data/README.md: source and licence).
 */
export const DEVELOPMENT_DATASET = path.resolve(__dirname, '..', '..', 'data', 'online-retail-ii-2009-2010.csv.gz');
