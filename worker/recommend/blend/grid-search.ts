/** Every combination of the axes' values, the first axis varying slowest (insertion order of keys). */
export function gridOf<Key extends string>(axes: Record<Key, readonly number[]>): Record<Key, number>[] {
  let grid: Record<string, number>[] = [{}];
  for (const [name, values] of Object.entries(axes) as [string, readonly number[]][]) {
    if (!values.length) throw new RangeError(`grid axis ${name} has no values`);
    grid = grid.flatMap((point) => values.map((v) => ({ ...point, [name]: v })));
  }
  return grid as Record<Key, number>[];
}

export interface GridSearchResult<Candidate> {
  best: Candidate;
  value: number;
  /** Every candidate's objective, in the order tried. */
  tried: { candidate: Candidate; value: number }[];
}

/** The candidate with the highest objective; a tie keeps the earlier candidate. */
export function bestOnGrid<Candidate>(candidates: readonly Candidate[], objective: (candidate: Candidate) => number): GridSearchResult<Candidate> {
  if (!candidates.length) throw new RangeError('grid search needs at least one candidate');
  const tried = candidates.map((candidate) => ({ candidate, value: objective(candidate) }));
  let best = tried[0]!;
  for (const entry of tried) if (entry.value > best.value) best = entry;
  return { best: best.candidate, value: best.value, tried };
}
