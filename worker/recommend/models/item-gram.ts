import type { SparseMatrix } from '../evaluation/sparse-matrix';

/**
 * Dense item × item Gram matrix XᵀX of a rows × items matrix (row-major, n² doubles: 125 MB
 * for 4,000 items). With `binary`, entries count as 1, so G[i][j] is the number of rows holding
 * both i and j and G[i][i] the rows holding i. Cost: Σ (row length)².
 */
export function itemGram(m: SparseMatrix, { binary }: { binary: boolean }): Float64Array {
  const n = m.cols;
  const gram = new Float64Array(n * n);
  for (let r = 0; r < m.rows; r++) {
    const from = m.indptr[r]!;
    const to = m.indptr[r + 1]!;
    for (let p = from; p < to; p++) {
      const a = m.indices[p]!;
      const va = binary ? 1 : m.values[p]!;
      const base = a * n;
      for (let q = from; q < to; q++) gram[base + m.indices[q]!]! += va * (binary ? 1 : m.values[q]!);
    }
  }
  return gram;
}

/** Cosine similarity in place: G[i][j] / sqrt(G[i][i] G[j][j]); the diagonal becomes 1. */
export function cosineInPlace(gram: Float64Array, n: number): Float64Array {
  const norm = new Float64Array(n);
  for (let i = 0; i < n; i++) norm[i] = Math.sqrt(gram[i * n + i]!);
  for (let i = 0; i < n; i++) {
    const ni = norm[i]!;
    for (let j = 0; j < n; j++) {
      const d = ni * norm[j]!;
      gram[i * n + j] = d > 0 ? gram[i * n + j]! / d : 0;
    }
  }
  return gram;
}
