// Golden text: the expected output lives in a .txt file next to the test and is compared whole.
// A missing or different file fails the test; UPDATE_GOLDEN=1 rewrites the files instead (then
// review the diff as you would any change of what users see).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'vitest';

export function expectGolden(actual: string, file: string): void {
  if (process.env['UPDATE_GOLDEN'] === '1') {
    writeFileSync(file, actual);
    return;
  }
  expect(existsSync(file), `golden file ${file} (UPDATE_GOLDEN=1 writes it)`).toBe(true);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}
