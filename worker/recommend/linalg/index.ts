/** Dense linear algebra in plain TypeScript (Float64Array, row-major) for the item models. */
export { choleskyInPlace, gramOfRowsInto, inverseTransposedFactor, invertSpdInPlace, NotPositiveDefiniteError } from './spd-inverse';
