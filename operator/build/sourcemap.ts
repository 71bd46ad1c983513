// Narrows a source map to the sources we want stack traces to name (operator/src), so that
// --enable-source-maps costs what our own code needs and not what the whole bundle would.
//
// Why: Node decodes the whole map into one JavaScript array per mapping the first time any
// stack trace is formatted, and undici formats one every time a kept-alive socket idles out.
// With every bundled dependency mapped that is ~25 MiB of heap for good (measured with
// bench/operator/startup.ts); with operator/src only, about a twentieth of it. Frames in
// dependencies then show their main.mjs line and function name, which is enough to find them.

export interface SourceMapV3 {
  version: 3;
  sources: string[];
  sourcesContent?: (string | null)[];
  names: string[];
  mappings: string;
  [key: string]: unknown;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map([...BASE64].map((c, i) => [c, i]));

/** Decodes one segment's base64 VLQ fields. */
export function decodeVlq(segment: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const c of segment) {
    const digit = DIGIT.get(c);
    if (digit === undefined) throw new Error(`source map: invalid base64 VLQ character "${c}"`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      out.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  if (shift !== 0) throw new Error(`source map: truncated VLQ segment "${segment}"`);
  return out;
}

export function encodeVlq(values: readonly number[]): string {
  let out = '';
  for (const v of values) {
    let rest = v < 0 ? (-v << 1) | 1 : v << 1;
    do {
      let digit = rest & 31;
      rest >>>= 5;
      if (rest > 0) digit |= 32;
      out += BASE64[digit]!;
    } while (rest > 0);
  }
  return out;
}

/**
 * Keeps the mappings into sources for which `keep(source)` holds. The first dropped segment
 * after a kept one becomes a column-only segment ("unmapped from here"), so the kept mapping
 * does not stretch over dependency code; sources and sourcesContent are re-indexed, names are
 * kept as they are.
 */
export function keepSources(map: SourceMapV3, keep: (source: string) => boolean): SourceMapV3 {
  const newIndex = new Map<number, number>();
  const sources: string[] = [];
  const contents: (string | null)[] = [];
  map.sources.forEach((source, i) => {
    if (!keep(source)) return;
    newIndex.set(i, sources.length);
    sources.push(source);
    contents.push(map.sourcesContent?.[i] ?? null);
  });
  // Absolute state while reading (fields 2..5 are relative across lines) and while writing.
  const read = { source: 0, line: 0, column: 0, name: 0 };
  const written = { source: 0, line: 0, column: 0, name: 0 };
  // Node's lookup returns the nearest mapping at or before a position, even from an earlier
  // line, so "unmapped" has to be said again after every kept mapping, across lines too.
  let lastWasUnmapped = true;
  const lines = map.mappings.split(';').map((line) => {
    let readColumn = 0;
    let writtenColumn = 0;
    const segments: string[] = [];
    for (const segment of line.split(',')) {
      if (segment === '') continue;
      const f = decodeVlq(segment);
      readColumn += f[0]!;
      let mapped: number[] | undefined;
      if (f.length >= 4) {
        read.source += f[1]!;
        read.line += f[2]!;
        read.column += f[3]!;
        if (f.length >= 5) read.name += f[4]!;
        const source = newIndex.get(read.source);
        if (source !== undefined) {
          mapped = [source - written.source, read.line - written.line, read.column - written.column];
          written.source = source;
          written.line = read.line;
          written.column = read.column;
          if (f.length >= 5) {
            mapped.push(read.name - written.name);
            written.name = read.name;
          }
        }
      }
      if (!mapped && lastWasUnmapped) continue; // nothing to terminate
      segments.push(encodeVlq([readColumn - writtenColumn, ...(mapped ?? [])]));
      writtenColumn = readColumn;
      lastWasUnmapped = !mapped;
    }
    return segments.join(',');
  });
  const out: SourceMapV3 = { ...map, sources, names: map.names, mappings: lines.join(';') };
  if (map.sourcesContent) out.sourcesContent = contents;
  else delete out.sourcesContent;
  return out;
}
