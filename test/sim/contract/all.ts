// Every promise the contract oracle checks on a write, by id (guarantees.test.ts plants a
// violation of each and fails if one has no row).
import { automaticMovesEarned, canaryOnlyWhenAsked, ownServicesOnly, pinObeyed } from './guarantees-release.ts';
import {
  type Guarantee,
  liveRecreatedAtItsRevision,
  readyBeforeTraffic,
  rollbackKeptWhileLiveShort,
  servingCapacityKept,
  servingTemplateKept,
} from './guarantees.ts';

export const ALL_GUARANTEES: readonly Guarantee[] = [
  readyBeforeTraffic,
  servingTemplateKept,
  servingCapacityKept,
  rollbackKeptWhileLiveShort,
  liveRecreatedAtItsRevision,
  automaticMovesEarned,
  pinObeyed,
  ownServicesOnly,
  canaryOnlyWhenAsked,
];

/** Ids of every promise, write guarantees and the oracle's own (flaps, state). */
export const ALL_PROMISE_IDS: readonly string[] = [
  ...ALL_GUARANTEES.map((g) => g.id),
  'no-flap',
  'abort-takes-traffic-back',
  'step-completes-while-serving',
];
