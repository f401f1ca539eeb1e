import type { Holdout, TrainingSet } from '../evaluation/holdout';
import type { UserScorer } from '../evaluation/model';
import { scoreUserQueries } from '../evaluation/protocols';
import { bestOnGrid, cachedUserVectors, gridOf, maxOver, type UserVector } from '../blend';
import { fitIals, type IalsFactors, type IalsOptions } from '../models/ials';
import { recencyBuyAgain } from '../models/recency-buy-again';
import { fitRecencyEase } from '../models/recency-ease';
import { decayedBuyers } from '../models/trending';
import type { BlendChoice, PlacementBlend } from './contract';

/** Half-lives stand in for "no decay" with 10,000 days: parameters must stay JSON (no Infinity). */
const NO_DECAY_DAYS = 10_000;

/** The grids `tune` searches, in the order tried (ties keep the earlier value). */
export interface ForYouGrid {
  /** EASE's history decay (half-life days, floor), chosen on EASE alone (`next-30d-new`). */
  historyDecay: readonly (readonly [number, number])[];
  /** Trending beside EASE (weight 1), chosen together (`next-30d-new`). */
  trendingHalfLifeDays: readonly number[];
  trending: readonly number[];
  /**
   * iALS's weight (its scores divided by the user's best unbought one, like EASE's), chosen with
   * trending's weight at trending's chosen half-life (`next-30d-new`); 0 leaves it out, and a grid
   * of only 0 never fits it on the validation window.
   */
  ials: readonly number[];
  /** The repeat term, chosen with discovery fixed (`next-30d-all`); a decayed repeat keeps a floor of 0.3. */
  repeatHalfLifeDays: readonly number[];
  repeatPropensity: readonly number[];
  buyAgain: readonly number[];
}

export interface ForYouConfig {
  /** EASE^R's λ. Default 500 (the reference row's). */
  easeLambda?: number;
  /** EASE^R covers the items with the most buyers, at most this many (its fit costs n³). Default 2,000. */
  easeMaxItems?: number;
  /** iALS's options. Default FOR_YOU_IALS (reg 1, alpha 5, 64 factors, 8 sweeps, 3 CG steps, seed 1). */
  ials?: Required<Omit<IalsOptions, 'batchRows'>>;
  grid?: ForYouGrid;
}

/** The iALS the blend fits: the reference row's validation choice (reg 1, alpha 5). */
/**
 * iALS inside the blend: the protocol grid's reg and alpha, 8 sweeps rather than 15. On the
 * development file's validation window 8 sweeps scored the blend 0.1082 / 0.3507 (new / all)
 * against 0.1070 / 0.3513 with 15, and each of the run's three fits costs ~45 % less.
 */
export const FOR_YOU_IALS: Required<Omit<IalsOptions, 'batchRows'>> = { factors: 64, iterations: 8, cgSteps: 3, reg: 1, alpha: 5, seed: 1 };

/**
 * The grids the training pipeline searches. Each axis starts with the development file's
 * validation choice, so a store whose validation window cannot tell the values apart (every try
 * ties, e.g. no validation users yet) keeps that rather than an extreme of the grid. iALS is the
 * exception: it starts at 0 (the development file chose 0.5, with trending 0.5, for validation
 * `next-30d-new` ndcg@10 0.1082 against 0.1066 without it), so it has to earn its weight.
 */
export const FOR_YOU_GRID: ForYouGrid = {
  historyDecay: [
    [30, 0.1],
    [NO_DECAY_DAYS, 0],
    [60, 0.1],
    [60, 0.25],
    [30, 0.25],
    [15, 0.1],
    [15, 0.25],
  ],
  trendingHalfLifeDays: [3, 7, 14],
  trending: [0.35, 0, 0.05, 0.1, 0.2, 0.5],
  ials: [0, 0.1, 0.25, 0.5, 1],
  repeatHalfLifeDays: [NO_DECAY_DAYS, 60],
  repeatPropensity: [0.5, 0, 1],
  buyAgain: [3, 1, 1.5, 2, 5, 1000],
};

const REPEAT_FLOOR = 0.3;

export interface ForYouWeights {
  ease: number;
  trending: number;
  buyAgain: number;
  /** iALS, per-user normalised like EASE; absent = 0. */
  ials?: number;
}

/** The fitted components a scorer combines. */
export interface ForYouParts {
  /** Adds the user's EASE^R scores (recency-weighted history). */
  ease: UserVector;
  /** Trend per item, divided by its max (the same for every user). */
  trend: Float64Array;
  /** Writes the user's repeat scores on their bought items only. */
  repeat: UserVector;
  /** Adds the user's iALS scores (factor dot products); needed only when its weight is not 0. */
  ials?: UserVector;
}

/**
 * Discovery: w_ease · EASE(i) / (max of EASE over the user's unbought items) + w_ials · iALS(i) /
 * (its max over the same items) + w_trending · trend(i). Normalising EASE and iALS per user puts
 * each one's best candidate at 1 whatever the length of the history, so one set of weights suits
 * light and heavy buyers alike.
 */
export function discoveryVector(training: TrainingSet, parts: Pick<ForYouParts, 'ease' | 'trend' | 'ials'>, w: Pick<ForYouWeights, 'ease' | 'trending' | 'ials'>): UserVector {
  const cols = training.interactions.cols;
  const unit = unitForUser(training);
  const part = new Float64Array(cols);
  const addNormalised = (user: number, vector: UserVector, weight: number, scores: Float64Array) => {
    part.fill(0);
    vector(user, part);
    unit(user, part);
    for (let i = 0; i < cols; i++) scores[i]! += weight * part[i]!;
  };
  const ials = w.ials ? parts.ials : undefined;
  if (w.ials && !ials) throw new RangeError('for_you discovery: an iALS weight needs the iALS part');
  return (user, scores) => {
    if (w.ease) addNormalised(user, parts.ease, w.ease, scores);
    if (ials) addNormalised(user, ials, w.ials!, scores);
    if (w.trending) for (let i = 0; i < cols; i++) scores[i]! += w.trending * parts.trend[i]!;
  };
}

/**
 * Divides a user's component scores in place by their largest over the user's unbought items
 * (left as they are when that is not above 0): the per-user normalisation of EASE and iALS.
 */
function unitForUser(training: TrainingSet): (user: number, part: Float64Array) => void {
  const { indptr, indices, cols } = training.interactions;
  const bought = new Uint8Array(cols);
  return (user, part) => {
    for (let p = indptr[user]!; p < indptr[user + 1]!; p++) bought[indices[p]!] = 1;
    const max = maxOver(part, bought);
    for (let p = indptr[user]!; p < indptr[user + 1]!; p++) bought[indices[p]!] = 0;
    if (max > 0) for (let i = 0; i < cols; i++) part[i]! /= max;
  };
}

/**
 * A component's per-user normalised vectors (as `discoveryVector` normalises them), computed on
 * first use and kept: a weight search then costs a weighted sum per try, with the same floats.
 */
function unitVectors(training: TrainingSet, vector: UserVector): (user: number) => Float64Array {
  const cols = training.interactions.cols;
  const unit = unitForUser(training);
  const stored = new Map<number, Float64Array>();
  return (user) => {
    let v = stored.get(user);
    if (!v) {
      v = new Float64Array(cols);
      vector(user, v);
      unit(user, v);
      stored.set(user, v);
    }
    return v;
  };
}

/** Adds the dot products of the user's factors with every item's. */
export function ialsVector({ factors: k, users, items }: IalsFactors): UserVector {
  return (user, scores) => {
    const u = users.subarray(user * k, user * k + k);
    for (let j = 0, at = 0; j < scores.length; j++, at += k) {
      let dot = 0;
      for (let f = 0; f < k; f++) dot += u[f]! * items[at + f]!;
      scores[j]! += dot;
    }
  };
}

/**
 * score(i) = discovery(i) + (i bought ? w_buyAgain · repeat(i) / the user's max repeat : 0).
 * Under `next-30d-new` the bought items are removed, so only discovery ranks; under
 * `next-30d-all` re-orders compete with it through w_buyAgain.
 */
export function withRepeat(training: TrainingSet, discovery: UserVector, repeat: UserVector, buyAgain: number): UserScorer {
  const { indptr, indices, cols } = training.interactions;
  const part = new Float64Array(cols);
  return (user, scores) => {
    discovery(user, scores);
    if (!buyAgain) return;
    const from = indptr[user]!;
    const to = indptr[user + 1]!;
    repeat(user, part);
    let max = 0;
    for (let p = from; p < to; p++) max = Math.max(max, part[indices[p]!]!);
    if (max > 0) for (let p = from; p < to; p++) scores[indices[p]!]! += (buyAgain * part[indices[p]!]!) / max;
    for (let p = from; p < to; p++) part[indices[p]!] = 0;
  };
}

/** The blend's scorer from fitted parts and weights. */
export function forYouScorer(training: TrainingSet, parts: ForYouParts, w: ForYouWeights): UserScorer {
  return withRepeat(training, discoveryVector(training, parts, w), parts.repeat, w.buyAgain);
}

/** Buy again with recency: no floor without decay, REPEAT_FLOOR with it. */
function repeatTerm(training: TrainingSet, halfLifeDays: number, propensity: number): UserVector {
  return recencyBuyAgain(training, { halfLifeDays, floor: halfLifeDays >= NO_DECAY_DAYS ? 0 : REPEAT_FLOOR, propensity });
}

export function unitTrend(training: TrainingSet, halfLifeDays: number): Float64Array {
  const trend = decayedBuyers(training, halfLifeDays);
  const max = maxOver(trend);
  return max > 0 ? trend.map((t) => t / max) : trend;
}

function num(choice: BlendChoice, name: string): number {
  const value = choice.parameters[name];
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new RangeError(`for_you blend choice: parameter ${name} must be a finite number, got ${String(value)}`);
  return value;
}

function weightsOf(choice: BlendChoice): ForYouWeights {
  const w = (name: string) => {
    const value = choice.weights[name];
    if (typeof value !== 'number' || !(value >= 0)) throw new RangeError(`for_you blend choice: weight ${name} must be a number ≥ 0, got ${String(value)}`);
    return value;
  };
  return { ease: w('EASE'), trending: w('trending'), buyAgain: w('buy again'), ials: w('iALS') };
}

/** The iALS options a choice records (its `ials*` parameters). */
export function ialsOptionsOf(choice: BlendChoice): Required<Omit<IalsOptions, 'batchRows'>> {
  return {
    factors: num(choice, 'ialsFactors'),
    iterations: num(choice, 'ialsIterations'),
    cgSteps: num(choice, 'ialsCgSteps'),
    reg: num(choice, 'ialsReg'),
    alpha: num(choice, 'ialsAlpha'),
    seed: num(choice, 'ialsSeed'),
  };
}

/** The for_you blend, plus the iALS factors it fits (the training run stores them as the version's artifact). */
export interface ForYouBlend extends PlacementBlend<UserScorer> {
  /**
   * iALS fitted on `training` with the choice's options: fitted on the first call for that
   * training set (by `tune`, `fit` or this) and reused after, so each training set pays one fit.
   */
  ialsFactors(training: TrainingSet, choice: BlendChoice): IalsFactors;
}

function evaluate(scorer: UserScorer, holdout: Holdout) {
  return {
    'next-30d-new': scoreUserQueries(scorer, holdout.training, holdout.newItemQueries, { excludeTrainingItems: true }),
    'next-30d-all': scoreUserQueries(scorer, holdout.training, holdout.allItemQueries, { excludeTrainingItems: false }),
  };
}

/**
 * "Recommended for you": discovery (EASE^R on a recency-weighted history, iALS (TensorFlow.js)
 * and time-decayed trending) and a buy-again term (frequency, recency, the item's repeat rate),
 * every weight and half-life chosen on the validation window: discovery on `next-30d-new`, the
 * repeat term on `next-30d-all`. iALS's weight comes from a grid that includes 0, so a store
 * whose validation window gains nothing from it serves without it. Item kNN was tried as a
 * further discovery component (weights 0.1–0.5 beside EASE) and got weight 0 on the development
 * file's validation window, so it is not fitted at all.
 */
export function forYouBlendWith({ easeLambda = 500, easeMaxItems = 2000, ials: ialsOptions = FOR_YOU_IALS, grid = FOR_YOU_GRID }: ForYouConfig = {}): ForYouBlend {
  // training set → options (JSON) → factors: one iALS fit per training set and options.
  const fittedIals = new WeakMap<TrainingSet, Map<string, IalsFactors>>();
  const ialsOf = (training: TrainingSet, options: Required<Omit<IalsOptions, 'batchRows'>>): IalsFactors => {
    let byOptions = fittedIals.get(training);
    if (!byOptions) fittedIals.set(training, (byOptions = new Map()));
    const key = JSON.stringify(options);
    let factors = byOptions.get(key);
    if (!factors) byOptions.set(key, (factors = fitIals(training.interactions, options)));
    return factors;
  };
  const ialsParameters = {
    ialsFactors: ialsOptions.factors,
    ialsIterations: ialsOptions.iterations,
    ialsCgSteps: ialsOptions.cgSteps,
    ialsReg: ialsOptions.reg,
    ialsAlpha: ialsOptions.alpha,
    ialsSeed: ialsOptions.seed,
  };
  return {
    placement: 'for_you',
    components: ['EASE', 'iALS', 'trending', 'buy again'],

    ialsFactors(training: TrainingSet, choice: BlendChoice): IalsFactors {
      return ialsOf(training, ialsOptionsOf(choice));
    },

    tune(validation: Holdout): BlendChoice {
      const { training } = validation;
      const cols = training.interactions.cols;
      const ndcgNew = (scorer: UserScorer) => scoreUserQueries(scorer, training, validation.newItemQueries, { excludeTrainingItems: true }).ndcg;
      const ndcgAll = (scorer: UserScorer) => scoreUserQueries(scorer, training, validation.allItemQueries, { excludeTrainingItems: false }).ndcg;
      const ease = fitRecencyEase(training, { lambda: easeLambda, maxItems: easeMaxItems });

      // 1. EASE's history decay, EASE alone (each try scores every validation user once: no cache).
      const history = bestOnGrid(grid.historyDecay, ([halfLifeDays, floor]) => ndcgNew((user, scores) => ease.score(user, scores, { halfLifeDays, floor })));
      const [historyHalfLifeDays, historyFloor] = history.best;
      const easeUnit = unitVectors(training, (user, scores) => ease.score(user, scores, { halfLifeDays: historyHalfLifeDays, floor: historyFloor }));

      // 2. Trending and iALS beside EASE (weight 1): the discovery part, alone under next-30d-new.
      // 2a. trending's half-life and weight without iALS; 2b. iALS's and trending's weights together
      // at that half-life (the iALS-0 row is 2a's; a tie keeps it). iALS is fitted (once per training
      // set) only if its grid has a weight other than 0. Each try is discoveryVector's sum, in its
      // order, from per-user cached vectors (each try costs a ranking of every validation user,
      // ~0.1 s on the development file, hence 2a then 2b rather than all three axes at once).
      const trends = new Map<number, Float64Array>(grid.trendingHalfLifeDays.map((h) => [h, unitTrend(training, h)]));
      const ialsUnit = grid.ials.some((w) => w !== 0) ? unitVectors(training, ialsVector(ialsOf(training, ialsOptions))) : undefined;
      const discoveryOf =
        (c: { trendingHalfLifeDays: number; trending: number; ials: number }): UserVector =>
        (user, scores) => {
          const e = easeUnit(user);
          for (let i = 0; i < cols; i++) scores[i]! += e[i]!; // EASE weight 1
          if (c.ials) {
            const v = ialsUnit!(user);
            for (let i = 0; i < cols; i++) scores[i]! += c.ials * v[i]!;
          }
          if (c.trending) {
            const t = trends.get(c.trendingHalfLifeDays)!;
            for (let i = 0; i < cols; i++) scores[i]! += c.trending * t[i]!;
          }
        };
      const trending = bestOnGrid(gridOf({ trendingHalfLifeDays: grid.trendingHalfLifeDays, trending: grid.trending }), (c) => ndcgNew(discoveryOf({ ...c, ials: 0 })));
      const { trendingHalfLifeDays } = trending.best;
      const withoutIals = new Map(trending.tried.filter((t) => t.candidate.trendingHalfLifeDays === trendingHalfLifeDays).map((t) => [t.candidate.trending, t.value]));
      const weights = bestOnGrid(gridOf({ ials: grid.ials, trending: grid.trending }), (c) =>
        c.ials === 0 && withoutIals.has(c.trending) ? withoutIals.get(c.trending)! : ndcgNew(discoveryOf({ ...c, trendingHalfLifeDays })),
      );
      const discovery = { best: { ...weights.best, trendingHalfLifeDays }, value: weights.value };
      // iALS alone, for the record (not a choice).
      const ialsAlone: Record<string, number> = ialsUnit ? { 'iALS next-30d-new ndcg@10': ndcgNew((user, scores) => scores.set(ialsUnit(user))) } : {};

      // 3. The repeat term against that discovery, cached per user.
      const discoveryCached = cachedUserVectors(discoveryOf(discovery.best), cols);
      const repeat = bestOnGrid(gridOf({ repeatHalfLifeDays: grid.repeatHalfLifeDays, repeatPropensity: grid.repeatPropensity, buyAgain: grid.buyAgain }), (c) =>
        ndcgAll(withRepeat(training, discoveryCached, repeatTerm(training, c.repeatHalfLifeDays, c.repeatPropensity), c.buyAgain)),
      );

      return {
        weights: { EASE: 1, iALS: discovery.best.ials, trending: discovery.best.trending, 'buy again': repeat.best.buyAgain },
        parameters: {
          easeLambda,
          easeMaxItems,
          ...ialsParameters,
          historyHalfLifeDays,
          historyFloor,
          trendingHalfLifeDays: discovery.best.trendingHalfLifeDays,
          repeatHalfLifeDays: repeat.best.repeatHalfLifeDays,
          repeatPropensity: repeat.best.repeatPropensity,
        },
        validation: { 'EASE next-30d-new ndcg@10': history.value, ...ialsAlone, 'next-30d-new ndcg@10': discovery.value, 'next-30d-all ndcg@10': repeat.value },
      };
    },

    fit(training: TrainingSet, choice: BlendChoice): UserScorer {
      const w = weightsOf(choice);
      const decay = { halfLifeDays: num(choice, 'historyHalfLifeDays'), floor: num(choice, 'historyFloor') };
      const ease = w.ease ? fitRecencyEase(training, { lambda: num(choice, 'easeLambda'), maxItems: num(choice, 'easeMaxItems') }) : null;
      const ials = w.ials ? ialsVector(ialsOf(training, ialsOptionsOf(choice))) : undefined;
      const parts: ForYouParts = {
        ease: (user, scores) => ease?.score(user, scores, decay),
        ials,
        trend: unitTrend(training, num(choice, 'trendingHalfLifeDays')),
        repeat: repeatTerm(training, num(choice, 'repeatHalfLifeDays'), num(choice, 'repeatPropensity')),
      };
      return forYouScorer(training, parts, w);
    },

    evaluate,
  };
}

/** The blend the training pipeline uses: EASE^R λ 500 on the 2,000 most-bought items, FOR_YOU_IALS, FOR_YOU_GRID. */
export const forYouBlend: ForYouBlend = forYouBlendWith();

