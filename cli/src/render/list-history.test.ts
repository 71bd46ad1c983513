import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { canaryRelease, CANARY_NOW } from '../../testing/canary.ts';
import { expectGolden } from '../../testing/golden.ts';
import { recordedRelease } from '../../testing/recorded.ts';
import { buildHistory } from '../model/history.ts';
import type { ControllerRevisionLike } from '../model/objects.ts';
import { renderHistory } from './history.ts';
import { renderList } from './list.ts';
import { plain } from './style.ts';
import { shortDuration } from './time.ts';

const golden = (name: string) => path.join(import.meta.dirname, 'golden', name);

describe('list', () => {
  it('one line per object, sorted by namespace and name; -A adds the NAMESPACE column', () => {
    const { snapshot, now } = recordedRelease(11);
    const canary = {
      ...canaryRelease().bgs,
      metadata: {
        ...canaryRelease().bgs.metadata,
        creationTimestamp: new Date(now - 3_600_000).toISOString() as never,
      },
    };
    expectGolden(renderList([canary, snapshot.bgs], true, now, plain), golden('list-all-namespaces.txt'));
    expect(renderList([snapshot.bgs], false, now, plain).split('\n')[0]).toMatch(/^NAME\s+ACTIVE/);
  });

  it('says so when there is none', () => {
    expect(renderList([], false, 0, plain)).toBe('No BlueGreenServices found.\n');
  });
});

describe('history', () => {
  const kept = (revision: string, image: string): ControllerRevisionLike => ({
    metadata: { name: `auth-template-${revision}`, labels: { 'bluegreen.dev/revision': revision } },
    data: { template: { spec: { containers: [{ name: 'auth', image }] } } },
  });

  it('the recorded release: released, promoted, rolled back by hand, previewed again', () => {
    const { snapshot, now } = recordedRelease(11);
    const copies = [
      kept('bba0cbe673', 'bluegreen/sample-services:e2e'),
      kept('22e77c3ff9', 'bluegreen/sample-services:e2e'),
    ];
    const history = buildHistory(snapshot.bgs, snapshot.events, copies);
    expect(history.revisions.map((r) => [r.revision, r.outcomes])).toEqual([
      ['bba0cbe673', ['serves (InitialDeploy)', 'serves again (ManualRollback)']],
      ['22e77c3ff9', ['released to green', 'serves (AutoPromotion)', 'rolled back (ManualRollback)']],
    ]);
    expectGolden(renderHistory('auth', history, now, plain), golden('history-recorded.txt'));
  });

  it('a canary abort and a failed analysis are told against the revision released last', () => {
    const snap = canaryRelease();
    const events = [
      ...snap.events,
      {
        metadata: { name: 'x' },
        type: 'Warning',
        reason: 'AnalysisFailed',
        message: 'p99',
        lastTimestamp: new Date(CANARY_NOW - 5000).toISOString(),
      },
      {
        metadata: { name: 'y' },
        type: 'Normal',
        reason: 'CanaryAborted',
        message: 'aborted',
        lastTimestamp: new Date(CANARY_NOW - 4000).toISOString(),
      },
    ];
    const row = buildHistory(snap.bgs, events, []).revisions.find((r) => r.revision === 'f6e5d4c3b2')!;
    expect(row.outcomes).toEqual(['released to green', 'AnalysisFailed', 'canary aborted']);
  });
});

describe('durations as kubectl prints them', () => {
  it.each([
    [-5_000, '0s'],
    [45_000, '45s'],
    [119_000, '119s'],
    [192_000, '3m12s'],
    [600_000, '10m'],
    [7_500_000, '125m'],
    [11_100_000, '3h5m'],
    [36_000_000, '10h'],
    [259_200_000, '3d'],
  ])('%i ms -> %s', (ms, text) => {
    expect(shortDuration(ms)).toBe(text);
  });
});
