import { evaluateHoldout, type Holdout, type UserModel } from './evaluation';

/** A model with hyperparameters: one fitted model per candidate configuration. */
export interface TunableUserModel {
  readonly name: string;
  /** Tried in order; a tie keeps the earlier candidate. */
  readonly candidates: readonly { label: string; model: UserModel }[];
}

export interface TuningResult {
  model: string;
  /** The label of the configuration refitted on training and scored on test. */
  chosen: string;
  /** Every candidate's ndcg@10 on the validation window's `next-30d-new`. */
  validationNdcg: Record<string, number>;
}

/**
 * Chooses each tunable model's configuration by ndcg@10 on `next-30d-new` of the validation
 * holdout (fit before validationStart, score the 30 days before the test window) — never on
 * test, as docs/evaluation.md requires. Discovery is what these models are for, so that is the
 * protocol they are tuned on.
 */
export function tuneOnValidation(validation: Holdout, tunables: readonly TunableUserModel[]): { models: UserModel[]; tuning: TuningResult[] } {
  const models: UserModel[] = [];
  const tuning: TuningResult[] = [];
  for (const tunable of tunables) {
    const validationNdcg: Record<string, number> = {};
    let best: { label: string; model: UserModel; ndcg: number } | undefined;
    for (const { label, model } of tunable.candidates) {
      const ndcg = evaluateHoldout({ holdout: validation, userModels: [model], itemModels: [] })['next-30d-new'][model.name]!.ndcg;
      validationNdcg[label] = ndcg;
      if (!best || ndcg > best.ndcg) best = { label, model, ndcg };
    }
    if (!best) continue;
    models.push(best.model);
    tuning.push({ model: tunable.name, chosen: best.label, validationNdcg });
  }
  return { models, tuning };
}
