// The measurement history kept in status is bounded so the object stays small however long
// an analysis runs: newest last, oldest dropped first.

import type { Measurement } from './types.ts';

/** Default number of measurements kept in status (see the API sketch). */
export const MAX_MEASUREMENT_HISTORY = 20;

/**
 * Returns a new array: `history` followed by `newOnes`, keeping only the newest `max` entries.
 * Inputs are not modified. `max` 0 keeps nothing; a negative or fractional `max` is a
 * programmer error (RangeError).
 */
export function appendMeasurements(
  history: readonly Measurement[],
  newOnes: readonly Measurement[],
  max: number = MAX_MEASUREMENT_HISTORY,
): Measurement[] {
  if (!Number.isInteger(max) || max < 0) {
    throw new RangeError(`appendMeasurements: max must be an integer >= 0, got ${max}`);
  }
  if (max === 0) return [];
  return [...history, ...newOnes].slice(-max);
}
