/** Compressed sparse rows: row r's columns are `indices[indptr[r] .. indptr[r+1])`, sorted. */
export interface SparseMatrix {
  rows: number;
  cols: number;
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

/** Builds a matrix from per-row maps column → value (columns are sorted here). */
export function sparseFromRows(rows: ReadonlyArray<ReadonlyMap<number, number>>, cols: number): SparseMatrix {
  let nnz = 0;
  for (const row of rows) nnz += row.size;
  const indptr = new Int32Array(rows.length + 1);
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  let at = 0;
  rows.forEach((row, r) => {
    const columns = [...row.keys()].sort((a, b) => a - b);
    for (const c of columns) {
      indices[at] = c;
      values[at] = row.get(c) as number;
      at++;
    }
    indptr[r + 1] = at;
  });
  return { rows: rows.length, cols, indptr, indices, values };
}

/** Number of stored entries in each column (e.g. distinct buyers per item). */
export function columnCounts(m: SparseMatrix): Float64Array {
  const counts = new Float64Array(m.cols);
  for (const column of m.indices) counts[column]! += 1;
  return counts;
}
