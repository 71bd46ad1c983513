// What one write did to traffic, in a user's words: which colour started to serve alone, whether
// the active Service widened to both colours or narrowed back to one, whether the route raised
// or lowered the preview's share, and whether the preview Service moved. Judged by the
// guarantees; derived from the two views only.
import type { Color } from '../../../operator/src/api/constants.ts';
import { activeColor, activeSelectsBoth, previewColor, routeShare, servingColors, type View } from './view.ts';

export interface TrafficMove {
  /** The active Service now selects this colour alone and did not before (a switch, a narrowing, a re-creation). */
  switchedTo: Color | undefined;
  /** The active Service did not exist before this write. */
  recreated: boolean;
  /** It selected both colours before and one now. */
  narrowed: boolean;
  /** It selects both colours now and did not before. */
  widened: boolean;
  /** The route's share of the preview went up (from 0 included). */
  raised: boolean;
  /** The preview Service now selects this colour and did not before. */
  previewMovedTo: Color | undefined;
  /** Colours that served before and serve no more. */
  lost: Color[];
  /** Colours that serve now and did not before. */
  gained: Color[];
}

export function trafficMove(before: View, after: View): TrafficMove {
  const a = activeColor(after);
  const b = activeColor(before);
  const servedBefore = servingColors(before);
  const servedAfter = servingColors(after);
  const p = previewColor(after);
  return {
    switchedTo: a !== undefined && (a !== b || activeSelectsBoth(before)) ? a : undefined,
    recreated: !before.services.has(before.activeName) && after.services.has(after.activeName),
    narrowed: activeSelectsBoth(before) && a !== undefined,
    widened: activeSelectsBoth(after) && !activeSelectsBoth(before),
    raised: routeShare(after) > routeShare(before),
    previewMovedTo: p !== undefined && p !== previewColor(before) ? p : undefined,
    lost: [...servedBefore].filter((c) => !servedAfter.has(c)),
    gained: [...servedAfter].filter((c) => !servedBefore.has(c)),
  };
}

/**
 * The colour a move hands new live traffic to: a switch's target, a widening's canary (the colour
 * that is not `stable`), or the preview colour when the route starts weighing it.
 */
export function promotedColor(m: TrafficMove, after: View, stable: Color | undefined): Color | undefined {
  if (m.switchedTo) return m.switchedTo;
  if (m.widened) return m.gained.find((c) => c !== stable) ?? m.gained[0];
  if (m.raised || (m.previewMovedTo !== undefined && routeShare(after) > 0)) return previewColor(after);
  return undefined;
}
