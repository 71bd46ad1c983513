// The operator and the sample services log through two thin wrappers around pino (each image
// ships only its own package). This holds them to one shape: the same keys in the same order,
// the same redaction, the same protection of time/level/msg. README and docs/operator.md
// document the shape; log pipelines and tests (`"msg":"reconciled"`) rely on it.
import { describe, expect, it } from 'vitest';
import { createLogger as operatorLogger, REDACTED_PATHS as operatorPaths } from '../../operator/src/runtime/logger.ts';
import { createLogger as kitLogger, REDACTED_PATHS as kitPaths } from '../../sample-services/src/kit/log.ts';

const SECRET = 'hunter2-s3cr3t';

function lines(): { operator: string[]; kit: string[] } {
  const operator: string[] = [];
  const kit: string[] = [];
  const fields = { headers: { authorization: `Bearer ${SECRET}` }, msg: 'caller', n: 1, err: new Error('boom') };
  operatorLogger({ bgs: 'ns/orders' }, { level: 'debug', write: (l) => operator.push(l) }).info('hello', fields);
  kitLogger({ bgs: 'ns/orders' }, 'debug', (l) => kit.push(l)).info('hello', fields);
  return { operator, kit };
}

describe('Given the same call on the operator logger and the sample-services logger', () => {
  it('Then both write one JSON line with the same keys in the same order', () => {
    const { operator, kit } = lines();
    expect(operator).toHaveLength(1);
    expect(kit).toHaveLength(1);
    const o = JSON.parse(operator[0]!) as Record<string, unknown>;
    const k = JSON.parse(kit[0]!) as Record<string, unknown>;
    expect(Object.keys(o)).toEqual(['level', 'time', 'bgs', 'headers', '_msg', 'n', 'err', 'msg']);
    expect(Object.keys(k)).toEqual(Object.keys(o));
    for (const line of [o, k]) {
      expect(line).toMatchObject({ level: 'info', msg: 'hello', _msg: 'caller', headers: '[redacted]' });
      expect(line['time']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(line['err']).toMatchObject({ name: 'Error', message: 'boom' });
    }
  });

  it('Then neither writes the secret, and both redact the same paths', () => {
    const { operator, kit } = lines();
    for (const line of [...operator, ...kit]) expect(line).not.toContain(SECRET);
    expect(kitPaths).toEqual(operatorPaths);
  });
});
