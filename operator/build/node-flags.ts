// The Node flags the operator runs with: in the image (Dockerfile ENTRYPOINT, kept equal by
// test/unit/operator-node-flags.test.ts) and wherever tests and benchmarks start it
// (clusterkit/operator-process.ts), so both run the same thing.
//   --enable-source-maps  stack traces name operator/src/*.ts lines (ADR 0005)
//   --optimize-for-size   V8 grows and keeps far less heap while the informers parse their
//                         initial lists: +25 instead of +90 MiB RSS for 1,000 BlueGreenServices
//                         (bench/results/operator-list-memory-1000-optimize-for-size-2026-12-02.md);
//                         the whole operator at N = 1,000 idles at 130 / 148 MiB with 1,000 /
//                         2,000 Deployments cached (compare-1000-2026-12-02-optimize-for-size.md).
//                         Refused in NODE_OPTIONS: it must be on the command line.
export const OPERATOR_NODE_FLAGS = ['--enable-source-maps', '--optimize-for-size'] as const;
