import { badInput } from "./errors";
import { quoted } from "./quoted";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export const isUuid = (value: string) => UUID.test(value);

/** Ids are UUIDs; anything else is a client mistake worth naming, not a lookup. */
export function requireId(value: string, field: string): string {
  if (!isUuid(value)) throw badInput(`${field} must be an id (UUID), got ${quoted(value)}`, field);
  return value.toLowerCase();
}

/**
 * Text between `min` and `max` characters once trimmed. Characters are Unicode code points, as
 * Postgres counts them (an emoji is one, not the two UTF-16 units of JavaScript's `length`).
 */
export function requireText(value: string, field: string, { min = 1, max = 200 } = {}): string {
  const trimmed = value.trim();
  const characters = [...trimmed].length;
  if (characters < min) throw badInput(`${field} must not be empty`, field);
  if (characters > max) throw badInput(`${field} must be at most ${max} characters`, field);
  return trimmed;
}

export function requireInt(value: number, field: string, { min, max }: { min: number; max: number }): number {
  if (!Number.isInteger(value)) throw badInput(`${field} must be a whole number, got ${value}`, field);
  if (value < min || value > max) throw badInput(`${field} must be between ${min} and ${max}, got ${value}`, field);
  return value;
}

/**
 * A decimal above `above`, at most `max`, with at most `decimals` decimal places, as the client wrote
 * it: returned as the nearest such number. Read in binary floating point, 0.57 × 10,000 is
 * 5,699.999999999999, so "at most 4 decimals" is "within a millionth of a whole number of
 * ten-thousandths" (a fifth decimal moves it by a tenth at least).
 */
export function requireDecimal(value: number, field: string, { above, max, decimals }: { above: number; max: number; decimals: number }): number {
  const scale = 10 ** decimals;
  const steps = value * scale;
  const rounded = Math.round(steps) / scale;
  // The bounds hold for the number returned too: 1e-300 is above 0 but within a millionth of 0 steps,
  // so it was returned as 0, which the database's check refused (INTERNAL_SERVER_ERROR).
  if (!Number.isFinite(value) || value <= above || value > max || Math.abs(steps - Math.round(steps)) > 1e-6 || rounded <= above || rounded > max) {
    throw badInput(`${field} must be greater than ${above} and at most ${max}, with at most ${decimals} decimals`, field);
  }
  return rounded;
}

/** Page sizes: `first` between 1 and max. */
export function pageSize(first: number, max = 100): number {
  return requireInt(first, "first", { min: 1, max });
}
