// A readable timeline for the demo: every step and every observed state change with the time
// since the demo started, so a user sees progress instead of silence.
const start = Date.now();

function stamp(): string {
  const s = (Date.now() - start) / 1000;
  const m = Math.floor(s / 60);
  return `${String(m).padStart(2, '0')}:${(s - m * 60).toFixed(1).padStart(4, '0')}`;
}

export function step(title: string): void {
  console.log(`\n[${stamp()}] ▶ ${title}`);
}

export function note(text: string): void {
  console.log(`[${stamp()}]   ${text}`);
}

export function elapsedSince(t: number): string {
  return `${((Date.now() - t) / 1000).toFixed(1)} s`;
}
