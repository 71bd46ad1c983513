// One arm of the benchmark, run as its own process:
//   ARM=kit   the real orders service (kit: metrics, identity headers, faults check, probes)
//   ARM=bare  the same orders router on a bare Koa app with only the JSON error handler
// Both print a JSON line {"msg":"listening","port":N} on stdout.
import Koa from 'koa';
import { errorHandler } from '../../sample-services/src/kit/errors.ts';
import { readKitConfig } from '../../sample-services/src/kit/kit-config.ts';
import { createLogger } from '../../sample-services/src/kit/log.ts';
import { tokenVerifierFromEnv } from '../../sample-services/src/kit/verifier-config.ts';
import { readOrdersConfig } from '../../sample-services/src/orders/config.ts';
import { createOrdersService, ordersDepsFromConfig, ordersRouter } from '../../sample-services/src/orders/service.ts';

const arm = process.env['ARM'];
if (arm === 'kit') {
  const service = await createOrdersService(process.env);
  await service.listen();
} else if (arm === 'bare') {
  const kit = readKitConfig(process.env, 'orders');
  const config = readOrdersConfig(process.env);
  const router = ordersRouter(
    config,
    ordersDepsFromConfig(config, tokenVerifierFromEnv(process.env)),
    kit.bodyLimitBytes,
  );
  const app = new Koa();
  app.use(errorHandler(createLogger({}, 'error')));
  app.use(router.routes());
  app.use(router.allowedMethods());
  const server = app.listen(kit.port, kit.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    process.stdout.write(JSON.stringify({ msg: 'listening', port }) + '\n');
  });
} else {
  process.stderr.write('ARM must be kit or bare\n');
  process.exit(1);
}

// Exit normally on a signal (lets --cpu-prof write its profile when profiling an arm).
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(0));
