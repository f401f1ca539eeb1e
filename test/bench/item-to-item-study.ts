// Dev study (not an npm script): npx tsx test/bench/item-to-item-study.ts [file]
// Each item-to-item component and the product/cart blends on the development file: validation and
// test ndcg@10 on `fbt-30d` and `cart-30d`, the weights chosen on validation, tune and fit seconds.
// Test figures are printed for the record; nothing here is chosen on them.
import { DEFAULT_CSV } from '../../shared/cli/commands/demo';
import { protocolHoldouts, readPurchaseLog, scoreBasketQueries, type Holdout, type ItemScorer } from '../../worker/recommend/evaluation';
import { cartQueries, scoreCartQueries } from '../../worker/recommend/evaluation/cart-queries';
import { coOccurrenceModel } from '../../worker/recommend/models/co-occurrence';
import { fitItemBlend, MAX_BASKET_ITEMS, tuneItemBlends } from '../../worker/recommend/models/item-blend-tuning';
import { basketPopularityModel } from '../../worker/recommend/models/popularity';
import { catalogContentNeighbours, itemBlendScorer, recentShare } from '../../worker/recommend/models/item-blend';
import { weightedCoOccurrence } from '../../worker/recommend/models/weighted-co-occurrence';
import { cartBlend, productBlend } from '../../worker/recommend/placements/item-to-item';

const CSV = process.argv[2] ?? DEFAULT_CSV;

const noText = (h: Holdout) => ({ indptr: new Int32Array(h.training.baskets.cols + 1), indices: new Int32Array(0), values: new Float64Array(0) });

// Wall and CPU seconds: the machine is shared, so wall time alone says little.
const clock = () => ({ wall: performance.now(), cpu: process.cpuUsage() });
const seconds = (started: ReturnType<typeof clock>) => {
  const cpu = process.cpuUsage(started.cpu);
  return `${((performance.now() - started.wall) / 1000).toFixed(2)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU`;
};

function both(holdout: Holdout, scorer: ItemScorer): string {
  const fbt = scoreBasketQueries(scorer, holdout.training, holdout.basketQueries).ndcg;
  const cart = scoreCartQueries(scorer, holdout.training, cartQueries(holdout)).ndcg;
  return `${fbt.toFixed(4)}  ${cart.toFixed(4)}`;
}

async function main(): Promise<void> {
  const { validation, test } = protocolHoldouts(await readPurchaseLog(CSV));
  console.log(`${CSV}: validation ${validation.basketQueries.length} fbt / ${cartQueries(validation).length} cart queries; test ${test.basketQueries.length} / ${cartQueries(test).length}`);

  let started = clock();
  const productChoice = productBlend.tune(validation);
  const cartChoice = cartBlend.tune(validation);
  const tuneSeconds = seconds(started);
  const tuning = tuneItemBlends(validation);
  console.log(`tune (both placements, one search): ${tuneSeconds}; ${tuning['fbt-30d'].tried} fbt and ${tuning['cart-30d'].tried} cart configurations`);
  console.log(`product choice: ${JSON.stringify(productChoice)}`);
  console.log(`cart choice:    ${JSON.stringify(cartChoice)}`);

  started = clock();
  const productTest = productBlend.fit(test.training, productChoice);
  const cartTest = cartBlend.fit(test.training, cartChoice);
  console.log(`fit on test training (both placements): ${seconds(started)}`);

  const rows: [string, (h: Holdout) => ItemScorer][] = [
    ['popularity (baskets)', (h) => basketPopularityModel.fit(h.training)],
    ['co-occurrence count (reference)', (h) => coOccurrenceModel.fit(h.training)],
    [
      'weighted co-occurrence (product weighting, no text, no trend)',
      (h) =>
        itemBlendScorer(
          { co: weightedCoOccurrence(h.training, tuning['fbt-30d'].config.weighting, { maxBasketItems: MAX_BASKET_ITEMS }), content: noText(h), recentShare: recentShare(h.training) },
          { ...tuning['fbt-30d'].config.settings, contentWeight: 0, trendExponent: 0 },
        ),
    ],
    [
      'content (TF-IDF cosine) alone',
      (h) => {
        const content = catalogContentNeighbours(h.training);
        return (anchor, scores) => {
          for (let p = content.indptr[anchor]!; p < content.indptr[anchor + 1]!; p++) scores[content.indices[p]!] = content.values[p]!;
        };
      },
    ],
    [
      'raw co-occurrence × trend factor (exponent 0.25)',
      (h) => itemBlendScorer({ co: weightedCoOccurrence(h.training), content: noText(h), recentShare: recentShare(h.training) }, { popularityExponent: 0, anchorScale: 'best', contentWeight: 0, contentSupport: 0, trendExponent: 0.25 }),
    ],
    ['product blend (chosen on validation fbt-30d)', (h) => (h === test ? productTest : fitItemBlend(h.training, tuning['fbt-30d'].config))],
    ['cart blend (chosen on validation cart-30d)', (h) => (h === test ? cartTest : fitItemBlend(h.training, tuning['cart-30d'].config))],
  ];
  console.log(`${'ndcg@10'.padEnd(52)} validation fbt  cart | test fbt  cart`);
  for (const [label, fit] of rows) console.log(`${label.padEnd(52)} ${both(validation, fit(validation))} | ${both(test, fit(test))}`);
  const product = productBlend.evaluate(productTest, test)['fbt-30d']!;
  const cart = cartBlend.evaluate(cartTest, test)['cart-30d']!;
  console.log(`test, once: product fbt-30d ndcg ${product.ndcg.toFixed(4)} recall ${product.recall.toFixed(4)} hit ${product.hit.toFixed(3)} coverage ${product.coverage.toFixed(3)} (${product.queries} queries)`);
  console.log(`test, once: cart cart-30d ndcg ${cart.ndcg.toFixed(4)} recall ${cart.recall.toFixed(4)} hit ${cart.hit.toFixed(3)} coverage ${cart.coverage.toFixed(3)} (${cart.queries} queries)`);
  console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
