/** The evaluation's seeded generator (mulberry32, shared/random): the same draws on every machine and run. */
export { mulberry32 as seededRandom } from '../../../shared/random';

/** The seed of the `fbt-30d` anchor draw. Changing it changes the published numbers. */
export const FBT_ANCHOR_SEED = 20_101_209;
