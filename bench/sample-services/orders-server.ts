// One arm of the benchmark, run as its own process:
//   ARM=kit   the real orders service (kit: metrics, identity headers, faults check, probes)
//   ARM=bare  the same orders router on a bare Koa app with only the JSON error handler
// Both print a JSON line {"msg":"listening","port":N} on stdout.
import {
  createOrdersService,
  ordersApp,
  readKitConfig,
  tokenVerifierFromEnv,
} from '../../sample-services/src/index.ts';

const arm = process.env['ARM'];
if (arm === 'kit') {
  const service = await createOrdersService(process.env);
  await service.listen();
} else if (arm === 'bare') {
  const app = ordersApp(process.env, 'bare', tokenVerifierFromEnv(process.env));
  const kit = readKitConfig(process.env, 'orders');
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
