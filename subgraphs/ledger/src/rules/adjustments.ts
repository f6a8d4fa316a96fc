/**
 * Customer care adjustments (adjustPoints): what an adjustment may be. Pure, so the unit tests pin it
 * with numbers written out by hand.
 */

/** Why an adjustment was made; kept with it for ever. */
export const ADJUSTMENT_REASONS = ["GOODWILL", "CORRECTION", "MIGRATION", "FRAUD"] as const;
export type AdjustmentReason = (typeof ADJUSTMENT_REASONS)[number];

/** The largest adjustment either way: a balance migrated from an old program fits, a typo of six zeros does not. */
export const MAX_ADJUSTMENT_POINTS = 10_000_000;
/** The note an adjustment must carry: why, in the words of whoever made it. */
export const MAX_ADJUSTMENT_NOTE_LENGTH = 500;

export interface AdjustmentProblem {
  field: "points" | "reason" | "note";
  message: string;
}

/** The first thing wrong with an adjustment, in the order of the input's fields; null when it may be posted. */
export function adjustmentProblem(input: { points: number; reason: string; note: string }): AdjustmentProblem | null {
  const { points, reason, note } = input;
  if (!Number.isInteger(points)) return { field: "points", message: `points must be a whole number, got ${points}` };
  if (points === 0) return { field: "points", message: "points must not be zero: send a positive number to add points, a negative one to take them" };
  if (Math.abs(points) > MAX_ADJUSTMENT_POINTS) {
    return { field: "points", message: `points must be between -${MAX_ADJUSTMENT_POINTS} and ${MAX_ADJUSTMENT_POINTS}, got ${points}` };
  }
  if (!(ADJUSTMENT_REASONS as readonly string[]).includes(reason)) {
    return { field: "reason", message: `reason must be one of ${ADJUSTMENT_REASONS.join(", ")}, got "${reason}"` };
  }
  // Characters are Unicode code points, as Postgres counts them (the column's CHECK): an emoji is one, not two UTF-16 units.
  const characters = [...note.trim()].length;
  if (characters === 0) return { field: "note", message: "note must not be empty: say why the points are adjusted" };
  if (characters > MAX_ADJUSTMENT_NOTE_LENGTH) return { field: "note", message: `note must be at most ${MAX_ADJUSTMENT_NOTE_LENGTH} characters` };
  return null;
}
