import { createHash } from 'node:crypto';
import type { Db } from '../../shared/db';
import type { Logger } from '../../shared/logger';
import type { Redis } from '../../shared/redis';
import {
  insertModelVersion,
  latestVersionWithFingerprint,
  modelVersion,
  saveTrainingStatus,
  setModelVersionStatus,
  supersedeOthers,
  type DataSnapshot,
  type ModelVersion,
} from './model-versions';
import { ConcurrentPublishError } from './concurrent-publish-error';
import { cleanupVersions, servingVersion, switchServing, writeVersionLists } from './publish';
import { forgetRedactedCustomers } from './redacted-customers';
import { DEFAULT_PUBLISH_POLICY, judgeCandidate, type PublishPolicy, type Verdict } from './publish-policy';
import { snapshotStore } from './snapshot';
import { trainFromLog, type DataCounts, type FitFunction, type TrainInput, type TrainOutcome } from './train-from-log';

export interface RunTrainingOptions {
  db: Db;
  redis: Redis;
  /** The configured queue prefix (QUEUE_PREFIX): serving keys live under it. */
  prefix: string;
  shop: string;
  logger: Logger;
  /** Wall clock for run and publish times. Default: the system clock. */
  clock?: () => Date;
  /** The fit; a child-process runner passes its own. Default trainFromLog, in this process. */
  fit?: FitFunction;
  /** Train even if the data did not change since the version that serves. */
  force?: boolean;
  /** List length and thresholds handed to the fit. */
  fitOptions?: Pick<TrainInput, 'listLength' | 'thresholds'>;
  policy?: Partial<PublishPolicy>;
  /** Redis versions kept besides the serving one, and how long a fresh one is never deleted. */
  retention?: { keepPrevious?: number; graceMs?: number };
}

/** Seconds per phase, as logged. */
export interface RunTimings {
  snapshot: number;
  fit: number;
  publish: number;
  total: number;
}

export type TrainingRun =
  /** The data is what the serving (or last judged) version saw: nothing fitted. */
  | { outcome: 'unchanged'; shop: string; fingerprint: string; servingVersionId: number | null; version: ModelVersion | undefined; timings: RunTimings }
  | { outcome: 'published'; shop: string; version: ModelVersion; previousVersionId: number | null; verdict: Verdict; deletedVersions: number[]; timings: RunTimings }
  /**
   * Worse than the serving version or the popularity baseline: recorded, not served. When nothing
   * served yet, its trending list (no model) is published as a fallback (`fallbackPublished`).
   */
  | { outcome: 'rejected'; shop: string; version: ModelVersion; servingVersionId: number | null; fallbackPublished: boolean; verdict: Verdict; timings: RunTimings }
  /** Too little data: counts and reasons; the trending fallback is published unless a trained model serves. */
  | { outcome: 'not_enough_data'; shop: string; version: ModelVersion; counts: DataCounts; reasons: string[]; published: boolean; timings: RunTimings };

const iso = (seconds: number | null | undefined) => (seconds == null ? null : new Date(seconds * 1000).toISOString());
const since = (started: number) => (performance.now() - started) / 1000;

function dataSnapshot(result: TrainOutcome, fingerprint: string): DataSnapshot {
  const windows = result.status === 'trained' ? result.windows : undefined;
  return {
    counts: result.counts,
    fingerprint,
    from: iso(result.counts.from),
    to: iso(result.counts.to),
    testStart: iso(windows?.testStart),
    validationStart: iso(windows?.validationStart),
  };
}

/**
 * One training run for one shop: snapshot the store → skip if the data is unchanged (unless
 * forced) → fit → record the version → publish its lists only if not worse than the serving
 * version (publish-policy.ts) → switch the serving pointer atomically → delete stale versions →
 * record the shop's status. A run that dies before the switch leaves the previous version serving
 * and its own version `trained`, which the next run does not count as done.
 */
/**
 * What the models are, as far as "unchanged" goes: bump it with any change to the models, blends
 * or lists, so a deploy retrains every store once even if its data did not move.
 */
export const TRAINING_REVISION = 'blends-2026-11-28b';

/** The data's fingerprint joined with the training code's revision and the run's fit options. */
function runFingerprint(dataFingerprint: string, fitOptions: RunTrainingOptions['fitOptions']): string {
  return createHash('sha256')
    .update(`${dataFingerprint}\u0000${TRAINING_REVISION}\u0000${JSON.stringify(fitOptions ?? {})}`)
    .digest('hex');
}

export async function runTraining(options: RunTrainingOptions): Promise<TrainingRun> {
  const { db, redis, prefix, shop, clock = () => new Date(), fit = trainFromLog, force = false } = options;
  const logger = options.logger.child({ shop, phase: 'train' });
  const policy = { ...DEFAULT_PUBLISH_POLICY, ...options.policy };
  const started = performance.now();
  const runAt = clock();
  // Redactions from here on may postdate the snapshot (a minute's margin for clock skew with the database).
  const redactionsSince = new Date(Date.now() - 60_000);
  const timings: RunTimings = { snapshot: 0, fit: 0, publish: 0, total: 0 };
  const finish = () => ({ ...timings, total: since(started) });
  try {
    await saveTrainingStatus(db, { shop, status: 'running', lastRunAt: runAt, message: null });

    let phase = performance.now();
    const snapshot = await snapshotStore(db, shop);
    const fingerprint = runFingerprint(snapshot.fingerprint, options.fitOptions);
    timings.snapshot = since(phase);
    logger.info({ seconds: timings.snapshot, rows: snapshot.log.time.length, orders: snapshot.log.invoices.length, products: snapshot.products.length }, 'snapshot read');

    const servingId = await servingVersion({ redis, prefix, shop });
    // A pointer this database does not know (a reset database under the same prefix) counts as nothing serving.
    const known = servingId !== null && /^\d+$/.test(servingId) ? await modelVersion(db, Number(servingId)) : undefined;
    const serving = known?.shop === shop ? known : undefined;
    if (serving?.status === 'trained') {
      // A run died between switching the pointer and recording it: the version serves, so say so.
      await setModelVersionStatus(db, serving.id, 'published', { publishedAt: clock() });
      await supersedeOthers(db, shop, serving.id);
      serving.status = 'published';
      logger.warn({ version: serving.id }, 'serving version was still recorded as trained: marked published');
    }
    if (!force) {
      const last = await latestVersionWithFingerprint(db, shop, fingerprint);
      // Done with this data: it serves, or it was judged (rejected, too small) while something serves.
      const done = last && serving && (last.id === serving.id || last.status === 'rejected' || last.status === 'not_enough_data');
      if (done) {
        await saveTrainingStatus(db, { shop, status: 'unchanged', lastRunAt: runAt, servingVersionId: serving.id, message: `data unchanged since version ${last.id}` });
        logger.info({ fingerprint, version: last.id }, 'data unchanged: training skipped');
        return { outcome: 'unchanged', shop, fingerprint, servingVersionId: serving.id, version: serving, timings: finish() };
      }
    }

    phase = performance.now();
    const result = await fit({ log: snapshot.log, products: snapshot.products, ...options.fitOptions });
    timings.fit = since(phase);
    logger.info({ seconds: timings.fit, status: result.status, ...(result.status === 'trained' ? { backend: result.backend, phases: result.phases } : {}) }, 'fit done');

    const versionId = await insertModelVersion(db, {
      shop,
      status: result.status,
      model: result.status === 'trained' ? 'blend' : 'trending',
      parameters: result.status === 'trained' ? result.choices : {},
      data_snapshot: dataSnapshot(result, fingerprint),
      metrics: result.status === 'trained' ? result.metrics : {},
      vocabulary: result.vocabulary,
      backend: result.status === 'trained' ? result.backend : 'none',
      fit_seconds: result.fitSeconds,
      peak_rss_bytes: result.peakRssBytes,
      artifact: result.status === 'trained' ? result.artifact : null,
      message: result.status === 'not_enough_data' ? result.reasons.join('; ') : null,
    });

    // A customers/redact that committed while the fit ran: its customer leaves this version too.
    const forgetRedacted = () => forgetRedactedCustomers({ db, redis, prefix, shop, lists: result.lists, since: redactionsSince });
    const forgotten = await forgetRedacted();
    if (forgotten.length) logger.info({ customers: forgotten.length }, 'customers redacted during the fit taken out of the version');

    const publish = async (lists = result.lists) => {
      phase = performance.now();
      const now = clock();
      const written = await writeVersionLists({ redis, prefix, shop, version: String(versionId), lists, now: now.getTime() });
      // Compare-and-switch against the pointer read before the fit: a concurrent run (the CLI
      // beside the queue, a stalled job re-run) that published meanwhile is never overwritten.
      const switched = await switchServing({ redis, prefix, shop, version: String(versionId), expected: servingId });
      if (!switched.switched) {
        const conflict = new ConcurrentPublishError(shop, versionId, switched.current);
        await setModelVersionStatus(db, versionId, 'superseded', { message: conflict.message });
        throw conflict;
      }
      // Written lists, before a redaction committed meanwhile could delete from them: checked again.
      await forgetRedacted();
      const deleted = await cleanupVersions({ redis, prefix, shop, ...options.retention, now: now.getTime() });
      timings.publish = since(phase);
      logger.info({ seconds: timings.publish, version: versionId, previous: switched.previous, deleted, ...written }, 'lists published');
      return { previous: switched.previous === null ? null : Number(switched.previous), deleted: deleted.map(Number), publishedAt: now };
    };

    if (result.status === 'not_enough_data') {
      // A store that shrank below the thresholds keeps its trained model rather than fall back.
      const replace = !serving || serving.status !== 'published';
      const message = `not enough data: ${result.reasons.join('; ')}`;
      if (replace) {
        const { publishedAt } = await publish();
        await setModelVersionStatus(db, versionId, 'not_enough_data', { publishedAt });
      }
      await saveTrainingStatus(db, {
        shop,
        status: 'not_enough_data',
        counts: result.counts,
        lastRunAt: runAt,
        lastVersionId: versionId,
        servingVersionId: replace ? versionId : serving ? serving.id : null,
        message: replace ? `${message}; trending fallback published` : `${message}; version ${serving!.id} keeps serving`,
      });
      const version = (await modelVersion(db, versionId))!;
      logger.info({ counts: result.counts, reasons: result.reasons, published: replace }, 'not enough data to train');
      return { outcome: 'not_enough_data', shop, version, counts: result.counts, reasons: result.reasons, published: replace, timings: finish() };
    }

    const verdict = judgeCandidate(
      { metrics: result.metrics, dataEnd: result.counts.to },
      serving?.status === 'published' ? { metrics: serving.metrics, dataEnd: serving.data_snapshot.counts?.to ?? null } : undefined,
      policy,
    );
    if (!verdict.publish) {
      // With nothing serving, the storefront would show nothing at all: serve the candidate's
      // trending list (no model in it) until a candidate passes.
      const fallback = !serving;
      const message = `${verdict.reasons.join('; ')}${fallback ? '; its trending fallback serves' : ''}`;
      if (fallback) await publish({ ...result.lists, for_you: {}, product: {}, cart: {} });
      await setModelVersionStatus(db, versionId, 'rejected', { message });
      const servingVersionId = fallback ? versionId : serving.id;
      await saveTrainingStatus(db, {
        shop,
        status: 'rejected',
        counts: result.counts,
        lastRunAt: runAt,
        lastVersionId: versionId,
        servingVersionId,
        message: `version ${versionId} rejected: ${message}`,
      });
      logger.warn({ version: versionId, serving: servingVersionId, reasons: verdict.reasons, fallback }, 'candidate rejected');
      return { outcome: 'rejected', shop, version: (await modelVersion(db, versionId))!, servingVersionId, fallbackPublished: fallback, verdict, timings: finish() };
    }

    const { previous, deleted, publishedAt } = await publish();
    await setModelVersionStatus(db, versionId, 'published', { publishedAt, message: previous === null ? null : `replaced version ${previous}` });
    await supersedeOthers(db, shop, versionId);
    await saveTrainingStatus(db, {
      shop,
      status: 'published',
      counts: result.counts,
      lastRunAt: runAt,
      lastVersionId: versionId,
      servingVersionId: versionId,
      message: `version ${versionId} published${previous === null ? '' : ` over ${previous}`}`,
    });
    const total = finish();
    logger.info({ version: versionId, timings: total }, 'training run done');
    return { outcome: 'published', shop, version: (await modelVersion(db, versionId))!, previousVersionId: previous, verdict, deletedVersions: deleted, timings: total };
  } catch (error) {
    await saveTrainingStatus(db, { shop, status: 'failed', lastRunAt: runAt, message: error instanceof Error ? error.message : String(error) }).catch(() => undefined);
    logger.error({ err: error }, 'training run failed');
    throw error;
  }
}
