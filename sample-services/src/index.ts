// The sample services' public entry for code elsewhere in this repository (the benchmarks in
// bench/sample-services): what they may build on, so they never reach into a service's
// internals. main.ts is the entry of the image; this one is not loaded there.
import Koa from 'koa';
import { loadSigningKey } from './auth/keys.ts';
import type { Env } from './kit/config.ts';
import { errorHandler } from './kit/errors.ts';
import { readKitConfig } from './kit/kit-config.ts';
import { createLogger } from './kit/log.ts';
import { createService } from './kit/service.ts';
import { createTokenVerifier, type TokenVerifier } from './kit/tokens.ts';
import { readOrdersConfig } from './orders/config.ts';
import { ordersOpenapi } from './orders/openapi.ts';
import { ordersDepsFromConfig, ordersRouter } from './orders/service.ts';

export { createOrdersService } from './orders/service.ts';
export { tokenVerifierFromEnv } from './kit/verifier-config.ts';
export { createTokenVerifier, loadSigningKey, readKitConfig, type TokenVerifier };

/**
 * The orders app in one of two arms, for overhead benchmarks:
 * - 'bare': the orders router on a bare Koa app with only the JSON error handler;
 * - 'kit':  the same router inside the kit (identity headers, RED metrics unless
 *           metricsEnabled is false, probes, OpenAPI docs).
 */
export function ordersApp(env: Env, arm: 'bare' | 'kit', verify: TokenVerifier, metricsEnabled = true): Koa {
  const kit = readKitConfig(env, 'orders');
  const config = readOrdersConfig(env);
  const router = ordersRouter(config, ordersDepsFromConfig(config, verify), kit.bodyLimitBytes);
  if (arm === 'kit') {
    return createService({ kit: { ...kit, metricsEnabled }, router, openapi: ordersOpenapi(config.currencies) }).app;
  }
  const app = new Koa();
  app.use(errorHandler(createLogger({}, 'error')));
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
