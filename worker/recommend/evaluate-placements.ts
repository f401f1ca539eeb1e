import type { Holdout } from './evaluation/holdout';
import type { ItemModel, ItemScorer, UserScorer } from './evaluation/model';
import type { ModelReport } from './evaluation/protocols';
import { usesTensorFlow, type BlendChoice, type Placement, type PlacementBlend } from './placements';

/** What one placement's blend chose on the validation window, as `shelfwise eval` reports it. */
export interface PlacementTuning {
  placement: Placement;
  components: readonly string[];
  choice: BlendChoice;
  /** Seconds spent choosing (fitting the components on validation training and searching). */
  tuneSeconds: number;
}

/** Extra rows for protocols beyond the three of docs/evaluation.md (today: `cart-30d`). */
export type ProtocolRows = Record<string, Record<string, ModelReport>>;

export interface EvaluatePlacementsOptions {
  validation: Holdout;
  test: Holdout;
  forYou: PlacementBlend<UserScorer>;
  itemBlends: readonly PlacementBlend<ItemScorer>[];
  /** Item models also scored on the item blends' extra protocols (e.g. co-occurrence on `cart-30d`). */
  itemBaselines: readonly ItemModel[];
  /** The backend tfjs models run on, reported on blends that use one. */
  tfBackend: string;
  now: () => number;
  peakRss: () => number;
  /** The row name of a blend in the report. */
  rowName: string;
}


/**
 * Each placement's blend, judged like every other model: weights chosen on the validation holdout
 * only, refitted on the test holdout's training data and scored once on test. Returns rows keyed
 * by protocol (the blend's own protocols, plus the item baselines on protocols the three
 * reference ones do not cover) and what each blend chose.
 */
export function evaluatePlacements({ validation, test, forYou, itemBlends, itemBaselines, tfBackend, now, peakRss, rowName }: EvaluatePlacementsOptions): { rows: ProtocolRows; tuning: PlacementTuning[] } {
  const rows: ProtocolRows = {};
  const tuning: PlacementTuning[] = [];
  const put = (protocol: string, model: string, report: ModelReport) => {
    (rows[protocol] ??= {})[model] = report;
  };
  const run = <S>(blend: PlacementBlend<S>): Record<string, ModelReport> => {
    let started = now();
    const choice = blend.tune(validation);
    tuning.push({ placement: blend.placement, components: blend.components, choice, tuneSeconds: (now() - started) / 1000 });
    started = now();
    const scorer = blend.fit(test.training, choice);
    const fit = { fitSeconds: (now() - started) / 1000, peakRssBytes: peakRss(), backend: usesTensorFlow(blend) ? tfBackend : 'none' };
    const metrics = blend.evaluate(scorer, test);
    return Object.fromEntries(Object.entries(metrics).map(([protocol, m]) => [protocol, { ...m, ...fit }]));
  };

  for (const [protocol, report] of Object.entries(run(forYou))) put(protocol, rowName, report);
  const referenceProtocols = new Set(['next-30d-new', 'next-30d-all', 'fbt-30d']);
  for (const blend of itemBlends) {
    const blendRows = run(blend);
    const extra = Object.keys(blendRows).filter((p) => !referenceProtocols.has(p));
    // Baselines on the blend's extra protocols, so its row has something to be judged beside.
    for (const model of itemBaselines) {
      if (!extra.length) break;
      const started = now();
      const scorer = model.fit(test.training);
      const fit = { fitSeconds: (now() - started) / 1000, peakRssBytes: peakRss(), backend: 'none' };
      const metrics = blend.evaluate(scorer, test);
      for (const protocol of extra) if (metrics[protocol]) put(protocol, model.name, { ...metrics[protocol]!, ...fit });
    }
    // The first blend to report a protocol owns its row (the product page's blend on `fbt-30d`).
    for (const [protocol, report] of Object.entries(blendRows)) if (!rows[protocol]?.[rowName]) put(protocol, rowName, report);
  }
  return { rows, tuning };
}
