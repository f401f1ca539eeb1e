import { ShelfwiseError } from '../../../shared/errors';
import type { IalsFactors } from './ials';

/** A fitted iALS model as the training pipeline stores it: the factors and what their rows are. */
export interface IalsArtifact extends IalsFactors {
  /** User row → customer id (`TrainingSet.customerIds`). */
  customerIds: readonly string[];
  /** Item row → product key (`TrainingSet.stockCodes`). */
  stockCodes: readonly string[];
}

/** The bytes handed to {@link decodeIalsArtifact} are not an iALS artifact this code can read. */
export class IalsArtifactError extends ShelfwiseError {}

const MAGIC = 0x53414c49; // "ILAS" read little-endian: "I", "L", "A", "S" in the file.
const VERSION = 1;
/** magic, version, factors, users, items, vocabulary byte length: six uint32. */
const HEADER_BYTES = 24;

/**
 * Layout, little-endian, version 1: a 24-byte header (magic "ILAS", version, factors k, users,
 * items, vocabulary bytes), the vocabulary as UTF-8 JSON `{"customerIds": [...], "stockCodes":
 * [...]}`, zero padding to a multiple of 4, then the user factors (users·k float32) and the item
 * factors (items·k float32), row-major. Floats are stored bit for bit, so a decoded model scores
 * exactly as the encoded one. ~256 bytes per user or item at 64 factors, plus the ids.
 */
export function encodeIalsArtifact({ factors: k, users, items, customerIds, stockCodes }: IalsArtifact): Uint8Array {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`factors must be a positive integer, got ${k}`);
  if (users.length !== customerIds.length * k) throw new RangeError(`${customerIds.length} customers × ${k} factors ≠ ${users.length} user values`);
  if (items.length !== stockCodes.length * k) throw new RangeError(`${stockCodes.length} products × ${k} factors ≠ ${items.length} item values`);
  const vocabulary = new TextEncoder().encode(JSON.stringify({ customerIds, stockCodes }));
  const floatsAt = align4(HEADER_BYTES + vocabulary.length);
  const bytes = new Uint8Array(floatsAt + 4 * (users.length + items.length));
  const view = new DataView(bytes.buffer);
  [MAGIC, VERSION, k, customerIds.length, stockCodes.length, vocabulary.length].forEach((value, i) => view.setUint32(4 * i, value, true));
  bytes.set(vocabulary, HEADER_BYTES);
  writeFloats(view, floatsAt, users);
  writeFloats(view, floatsAt + 4 * users.length, items);
  return bytes;
}

/** The inverse of {@link encodeIalsArtifact}; throws IalsArtifactError on anything else. */
export function decodeIalsArtifact(bytes: Uint8Array): IalsArtifact {
  if (bytes.length < HEADER_BYTES) throw new IalsArtifactError(`iALS artifact too short: ${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const [magic, version, k, userCount, itemCount, vocabularyBytes] = Array.from({ length: 6 }, (_, i) => view.getUint32(4 * i, true)) as [number, number, number, number, number, number];
  if (magic !== MAGIC) throw new IalsArtifactError('not an iALS artifact (bad magic number)');
  if (version !== VERSION) throw new IalsArtifactError(`iALS artifact version ${version} is not supported (expected ${VERSION})`);
  if (k < 1) throw new IalsArtifactError('iALS artifact has 0 factors');
  const floatsAt = align4(HEADER_BYTES + vocabularyBytes);
  const expected = floatsAt + 4 * k * (userCount + itemCount);
  if (bytes.length !== expected) throw new IalsArtifactError(`iALS artifact is ${bytes.length} bytes, its header says ${expected}`);
  let vocabulary: unknown;
  try {
    vocabulary = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(HEADER_BYTES, HEADER_BYTES + vocabularyBytes)));
  } catch (error) {
    throw new IalsArtifactError('iALS artifact vocabulary is not valid UTF-8 JSON', { cause: error });
  }
  const { customerIds, stockCodes } = (vocabulary ?? {}) as { customerIds?: unknown; stockCodes?: unknown };
  if (!isStrings(customerIds, userCount) || !isStrings(stockCodes, itemCount)) {
    throw new IalsArtifactError(`iALS artifact vocabulary does not list ${userCount} customer ids and ${itemCount} product keys`);
  }
  const users = readFloats(view, floatsAt, userCount * k);
  const items = readFloats(view, floatsAt + 4 * userCount * k, itemCount * k);
  return { factors: k, users, items, customerIds, stockCodes };
}

function align4(n: number): number {
  return (n + 3) & ~3;
}

function isStrings(value: unknown, length: number): value is string[] {
  return Array.isArray(value) && value.length === length && value.every((s) => typeof s === 'string');
}

function writeFloats(view: DataView, at: number, values: Float32Array): void {
  for (let i = 0; i < values.length; i++) view.setFloat32(at + 4 * i, values[i]!, true);
}

function readFloats(view: DataView, at: number, count: number): Float32Array {
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) values[i] = view.getFloat32(at + 4 * i, true);
  return values;
}
