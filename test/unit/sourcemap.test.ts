// keepSources() narrows the bundle's source map to operator/src; a wrong delta would send
// every later stack frame to the wrong line, so check it against absolute positions.
import { describe, expect, it } from 'vitest';
import { decodeVlq, encodeVlq, keepSources, type SourceMapV3 } from '../../operator/build/sourcemap.ts';

/** Absolute mappings: [generated line, generated column, source, original line, original column]. */
function absolute(map: SourceMapV3): (string | number)[][] {
  const out: (string | number)[][] = [];
  let source = 0;
  let line = 0;
  let column = 0;
  map.mappings.split(';').forEach((text, genLine) => {
    let genColumn = 0;
    for (const segment of text.split(',').filter(Boolean)) {
      const f = decodeVlq(segment);
      genColumn += f[0]!;
      if (f.length < 4) {
        out.push([genLine, genColumn, 'unmapped']);
        continue;
      }
      source += f[1]!;
      line += f[2]!;
      column += f[3]!;
      out.push([genLine, genColumn, map.sources[source]!, line, column]);
    }
  });
  return out;
}

/** Builds a map from absolute segments (the inverse of absolute()). */
function build(sources: string[], lines: [number, number, number, number][][]): SourceMapV3 {
  let s = 0;
  let l = 0;
  let c = 0;
  const mappings = lines
    .map((segments) => {
      let col = 0;
      return segments
        .map(([genColumn, source, line, column]) => {
          const text = encodeVlq([genColumn - col, source - s, line - l, column - c]);
          col = genColumn;
          s = source;
          l = line;
          c = column;
          return text;
        })
        .join(',');
    })
    .join(';');
  return { version: 3, sources, names: [], mappings };
}

describe('source map narrowing', () => {
  it('round-trips base64 VLQ values, negative and multi-digit ones included', () => {
    const values = [0, 1, -1, 15, 16, -16, 31, 32, 1000, -123_456, 2 ** 20];
    expect(decodeVlq(encodeVlq(values))).toEqual(values);
    expect(encodeVlq([0, 0, 16, 1])).toBe('AAgBC');
    expect(() => decodeVlq('g')).toThrow(/truncated/);
  });

  it('keeps mappings into kept sources at their absolute positions and ends dropped ones', () => {
    const sources = ['../src/a.ts', '../node_modules/x/index.js', '../src/b.ts'];
    const map = build(sources, [
      [
        [0, 0, 10, 2],
        [8, 1, 500, 4],
        [20, 2, 7, 0],
      ],
      [[4, 1, 501, 0]],
      [
        [0, 1, 502, 0],
        [6, 0, 11, 6],
      ],
    ]);
    const narrowed = keepSources(map, (s) => !s.includes('node_modules/'));
    expect(narrowed.sources).toEqual(['../src/a.ts', '../src/b.ts']);
    expect(absolute(narrowed)).toEqual([
      [0, 0, '../src/a.ts', 10, 2],
      [0, 8, 'unmapped'], // dependency code after a.ts on the same line no longer maps to a.ts
      [0, 20, '../src/b.ts', 7, 0],
      // Node looks up the nearest mapping at or before a position, across lines: without this
      // marker a frame in the dependency code of line 1 would be reported as b.ts:8.
      [1, 4, 'unmapped'],
      [2, 6, '../src/a.ts', 11, 6],
    ]);
  });

  it('is the identity when every source is kept', () => {
    const map = build(['a.ts', 'b.ts'], [[[0, 0, 1, 1]], [[2, 1, 5, 0]]]);
    expect(keepSources(map, () => true).mappings).toBe(map.mappings);
  });
});
