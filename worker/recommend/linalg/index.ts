/** Dense linear algebra for the item models: Float64 in plain TypeScript, float32 in TensorFlow.js. */
export { choleskyInPlace, gramOfRowsInto, inverseTransposedFactor, invertSpdInPlace, NotPositiveDefiniteError } from './spd-inverse';
export { DEFAULT_LEAF_ORDER, invertSpdFloat32InPlace, spdInverseFlops } from './tf-spd-inverse';
