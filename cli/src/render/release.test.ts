import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { canaryRelease, CANARY_NOW } from '../../testing/canary.ts';
import { expectGolden } from '../../testing/golden.ts';
import { recordedRelease } from '../../testing/recorded.ts';
import { renderRelease } from './release.ts';
import { ansi, plain } from './style.ts';
import { visibleLength } from './tree-lines.ts';

const golden = (name: string) => path.join(import.meta.dirname, 'golden', name);
// eslint-disable-next-line no-control-regex
const stripAnsi = (s: string) => s.replaceAll(/\u001b\[[0-9;]*m/g, '');

describe('get NAME: the tree, from recorded statuses and Events of a real release (colour off)', () => {
  it.each([
    [2, 'preview deploying, its pod not ready yet', 'get-recorded-2-deploying.txt'],
    [5, 'pre-promotion analysis, one round passed', 'get-recorded-5-analysing.txt'],
    [8, 'promoted: green serves, blue kept for rollback', 'get-recorded-8-promoted.txt'],
    [11, 'rolled back by hand: blue pinned, green previewed again', 'get-recorded-11-rolled-back.txt'],
  ])('snapshot %i: %s', (index, _what, file) => {
    const { snapshot, now } = recordedRelease(index);
    expectGolden(renderRelease(snapshot, now, plain), golden(file));
  });

  it('a canary step: shares, the pause left, each round of a two-metric step analysis against its bounds', () => {
    expectGolden(renderRelease(canaryRelease(), CANARY_NOW, plain), golden('get-canary-step.txt'));
  });

  it('the pause counts down with the clock, from the same objects', () => {
    const later = renderRelease(canaryRelease(), CANARY_NOW + 61_000, plain);
    expect(later).toContain('pause 19s left');
    expect(renderRelease(canaryRelease(), CANARY_NOW + 500_000, plain)).toContain('pause 0s left');
  });

  it('with colour on, the same words, aligned the same', () => {
    const { snapshot, now } = recordedRelease(5);
    const coloured = renderRelease(snapshot, now, ansi);
    expect(coloured).not.toBe(renderRelease(snapshot, now, plain));
    expect(stripAnsi(coloured)).toBe(renderRelease(snapshot, now, plain));
    expect(visibleLength(ansi.good('ready'))).toBe(5);
  });
});
