import { describe, expect, it } from 'vitest';
import { canaryRelease } from '../../testing/canary.ts';
import { recordedRelease } from '../../testing/recorded.ts';
import { CliError, EXIT } from '../exit.ts';
import { decideAbort, decidePromote, decideRollback, type Decision } from './levers.ts';
import type { BlueGreenService } from './objects.ts';

const recorded = (i: number) => recordedRelease(i).snapshot.bgs;
const target = (d: Decision) =>
  d.kind === 'set' ? (d.changes[0]!.fragment as { spec: { activeColor: string } }).spec.activeColor : d.kind;

function refusal(fn: () => unknown): CliError {
  try {
    fn();
  } catch (err) {
    if (err instanceof CliError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

function withAnalysisPhase(bgs: BlueGreenService, phase: 'Failed' | 'Inconclusive'): BlueGreenService {
  const analysis = { ...bgs.status!.analysis!, phase, message: '1 failed measurement(s) exceed failureLimit 0' };
  return { ...bgs, status: { ...bgs.status, analysis } };
}

describe('promote (recorded statuses of a real release)', () => {
  it('sets spec.activeColor to the preview colour once it is ready; a running analysis is skipped, and said so', () => {
    const d = decidePromote(recorded(5), false);
    expect(target(d)).toBe('green');
    expect(d.kind === 'set' && d.notes.join('\n')).toContain('skips the rest of the PrePromotion analysis');
  });

  it('refuses while the preview is not ready (exit 4), and --force does it anyway, saying what it forced past', () => {
    const err = refusal(() => decidePromote(recorded(2), false));
    expect(err.code).toBe(EXIT.refused);
    expect(err.message).toBe('preview green is not ready yet (0 ready endpoints of 1) (--force does it anyway)');
    const forced = decidePromote(recorded(2), true);
    expect(target(forced)).toBe('green');
    expect(forced.kind === 'set' && forced.notes[0]).toBe(
      'forced past: preview green is not ready yet (0 ready endpoints of 1)',
    );
  });

  it.each(['Failed', 'Inconclusive'] as const)(
    'refuses when the analysis of the preview is %s, unless --force',
    (phase) => {
      const bgs = withAnalysisPhase(recorded(6), phase);
      const err = refusal(() => decidePromote(bgs, false));
      expect(err.code).toBe(EXIT.refused);
      expect(err.message).toContain(`PrePromotion analysis of revision 22e77c3ff9 is ${phase}`);
      const forced = decidePromote(bgs, true);
      expect(target(forced)).toBe('green');
      expect(forced.kind === 'set' && forced.notes[0]).toMatch(/^forced past: the PrePromotion analysis/);
    },
  );

  it('refuses an aborted revision unless --force', () => {
    const bgs = recorded(5);
    const aborted = { ...bgs, status: { ...bgs.status, abortedRevision: '22e77c3ff9' } };
    expect(refusal(() => decidePromote(aborted, false)).message).toContain('was aborted');
    expect(target(decidePromote(aborted, true))).toBe('green');
  });

  it('has nothing to promote between releases: refused, not forced (exit 4)', () => {
    const err = refusal(() => decidePromote(recorded(8), true));
    expect([err.code, err.message]).toEqual([
      EXIT.refused,
      'nothing to promote: no release in flight (green is active and previewed)',
    ]);
  });

  it('is a no-op when spec.activeColor already names the preview (a re-run of the same script)', () => {
    const bgs = recorded(6);
    expect(decidePromote({ ...bgs, spec: { ...bgs.spec, activeColor: 'green' } }, false).kind).toBe('noop');
  });

  it('mid-canary promotes the canary colour and says the steps left are skipped', () => {
    const d = decidePromote(canaryRelease().bgs, false);
    expect(target(d)).toBe('green');
    expect(d.kind === 'set' && d.notes.join('\n')).toContain('skips the canary steps left (at step 1 of 2)');
  });

  it('refuses an object the operator never reconciled', () => {
    const bgs = recorded(5);
    expect(refusal(() => decidePromote({ ...bgs, status: {} }, true)).message).toContain('has no status yet');
  });
});

describe('rollback', () => {
  it('after a promotion, goes back to the previous colour, still running', () => {
    const d = decideRollback(recorded(8), false);
    expect(target(d)).toBe('blue');
    expect(d.kind === 'set' && d.notes[0]).toBe('blue still runs: the switch back is one selector patch');
  });

  it('never "rolls back" to a colour that runs the release in flight: that would promote it unchecked', () => {
    const err = refusal(() => decideRollback(recorded(11), true));
    expect(err.code).toBe(EXIT.refused);
    expect(err.message).toContain('green runs the release in flight (revision 22e77c3ff9)');
  });

  it('with no previous colour has nothing to roll back to', () => {
    expect(refusal(() => decideRollback(recorded(5), true)).message).toBe(
      'nothing to roll back to: status records no previous colour',
    );
  });

  it('warns that a previous colour scaled to 0 is scaled up before the switch', () => {
    const bgs = recorded(8);
    const colors = { ...bgs.status!.colors, blue: { ...bgs.status!.colors!.blue!, replicas: 0, readyEndpoints: 0 } };
    const d = decideRollback({ ...bgs, status: { ...bgs.status, colors } }, false);
    expect(d.kind === 'set' && d.notes[0]).toContain('blue runs no pods');
  });
});

describe('abort', () => {
  it('mid-analysis pins the active colour', () => {
    expect(target(decideAbort(recorded(5), false))).toBe('blue');
  });

  it('mid-canary pins the stable colour and says the canary goes back first', () => {
    const d = decideAbort(canaryRelease().bgs, false);
    expect(target(d)).toBe('blue');
    expect(d.kind === 'set' && d.notes[0]).toContain("moves the canary's traffic back to blue first");
  });

  it('is a no-op when the stable colour is already pinned mid-release', () => {
    expect(decideAbort(recorded(11), false)).toEqual({
      kind: 'noop',
      message: 'spec.activeColor already pins blue, the stable colour',
    });
  });

  it('between releases has nothing to abort (exit 4)', () => {
    expect(refusal(() => decideAbort(recorded(8), true)).message).toBe(
      'nothing to abort: no release or canary in flight (phase Healthy)',
    );
  });
});
