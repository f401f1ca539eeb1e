/** The UTC day of an epoch ms as `YYYY-MM-DD`: the exposure's day, like every daily table's. */
export function exposureDay(nowMs: number): string {
  return new Date(nowMs).toISOString().slice(0, 10);
}
