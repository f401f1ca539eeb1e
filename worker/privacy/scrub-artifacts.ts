import type { Db } from '../../shared/db';
import { decodeIalsArtifact, encodeIalsArtifact } from '../recommend/models/ials-artifact';
import type { ModelVersionsTable } from '../train/model-versions';

function versions(db: Db) {
  return db.withTables<{ model_versions: ModelVersionsTable }>();
}

/**
 * Removes customers from the shop's stored model artifacts: the iALS artifact names every
 * customer it learned a factor row for (its user vocabulary), so the row and its name go and the
 * artifact is re-encoded without them. Nothing serves from these bytes (the lists in Redis do), so
 * the versions stay comparable; only the erased customers' rows are missing. Returns the number of
 * versions rewritten.
 */
export async function scrubCustomersFromArtifacts(db: Db, shop: string, customerKeys: readonly string[]): Promise<number> {
  if (!customerKeys.length) return 0;
  const erased = new Set(customerKeys);
  const rows = await versions(db).selectFrom('model_versions').select(['id', 'artifact']).where('shop', '=', shop).where('artifact', 'is not', null).execute();
  let rewritten = 0;
  for (const row of rows) {
    const bytes = row.artifact as Uint8Array;
    const artifact = decodeIalsArtifact(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    const keep = artifact.customerIds.map((id, row) => (erased.has(id) ? -1 : row)).filter((row) => row >= 0);
    if (keep.length === artifact.customerIds.length) continue;
    const k = artifact.factors;
    const users = new Float32Array(keep.length * k);
    keep.forEach((from, to) => users.set(artifact.users.subarray(from * k, (from + 1) * k), to * k));
    const scrubbed = encodeIalsArtifact({ ...artifact, users, customerIds: keep.map((r) => artifact.customerIds[r]!) });
    await versions(db)
      .updateTable('model_versions')
      .set({ artifact: Buffer.from(scrubbed.buffer, scrubbed.byteOffset, scrubbed.byteLength) as unknown as Uint8Array })
      .where('id', '=', row.id)
      .execute();
    rewritten++;
  }
  return rewritten;
}
