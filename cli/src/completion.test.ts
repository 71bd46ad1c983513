import { describe, expect, it } from 'vitest';
import { candidates, completionOutput, completionScript } from './completion.ts';

const names = async (ns: string | undefined) => (ns === 'shop' ? ['orders', 'payments'] : ['auth']);

describe('completion candidates', () => {
  it.each([
    [['pro'], ['promote']],
    [[''], ['get', 'list', 'promote', 'rollback', 'abort', 'set', 'history', 'completion', 'version', 'help']],
    [['get', ''], ['auth']],
    [['-n', 'shop', 'promote', 'o'], ['orders']],
    [
      ['promote', '--namespace', 'shop', ''],
      ['orders', 'payments'],
    ],
    [['set', ''], ['image']],
    [['set', 'image', ''], ['auth']],
    [['set', 'image', 'auth', ''], []],
    [
      ['get', 'auth', '--f'],
      ['--force', '--force-conflicts'],
    ],
    [['get', '-n', ''], []],
    [
      ['completion', ''],
      ['bash', 'zsh'],
    ],
  ])('%j -> %j', async (words, expected) => {
    expect(await candidates(words, names)).toEqual(expected);
  });

  it("prints cobra's __complete format: one per line, then the no-file directive", () => {
    expect(completionOutput(['a', 'b'])).toBe('a\nb\n:4\n');
  });

  it('has a script for bash and zsh that calls __complete', () => {
    for (const shell of ['bash', 'zsh']) expect(completionScript(shell)).toContain('kubectl-bluegreen __complete');
    expect(() => completionScript('fish')).toThrow('unknown shell "fish"');
  });
});
