// Fault injection for "bad release" drills: the same image with FAULT_* set misbehaves on the
// business routes only, so probes and scraping keep working and the analysis sees the errors.
import type { Context, Next } from 'koa';
import { HttpError } from './errors.ts';
import type { FaultConfig } from './kit-config.ts';

export function faultInjection(faults: FaultConfig, random: () => number = Math.random) {
  return async function injectFaults(_ctx: Context, next: Next): Promise<void> {
    if (faults.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, faults.latencyMs));
    if (faults.errorRate > 0 && random() < faults.errorRate) {
      throw new HttpError(500, 'fault_injected', 'injected fault (FAULT_ERROR_RATE)');
    }
    await next();
  };
}
