// Graceful shutdown: the sequence that lets a pod stop under load with zero failed requests.
//
//   SIGTERM
//   1. draining = true: /readyz answers 503 and every response carries `Connection: close`,
//      so clients holding keep-alive connections reconnect (to another pod) after their
//      current request instead of reusing a socket we are about to close.
//   2. wait SHUTDOWN_DELAY_SECONDS while STILL accepting and serving. Why: in Kubernetes the
//      kubelet sends SIGTERM at the same moment the endpoints controller starts removing the
//      pod from EndpointSlices; kube-proxy on every node then needs a moment (its sync period,
//      1 s minimum by default) to stop sending NEW connections here. Closing the listener
//      before that would turn those connections into "connection refused" errors.
//   3. server.close(): stop accepting; idle keep-alive sockets are closed
//      (closeIdleConnections), in-flight requests run to completion and their sockets close
//      after the response because of step 1.
//   4. when every socket is gone — or after SHUTDOWN_TIMEOUT_SECONDS, whichever is first —
//      resolve, and main.ts exits. terminationGracePeriodSeconds must exceed delay + timeout.
import type { Server } from 'node:http';
import type { Logger } from './log.ts';
import type { ReadinessRefusals } from './readiness-refusals.ts';

export interface DrainState {
  draining: boolean;
  /** /readyz 503s answered while draining (the crash drill waits for the kubelet to see them). */
  refusals: ReadinessRefusals;
}

export interface ShutdownOptions {
  delayMs: number;
  timeoutMs: number;
}

export function createShutdown(server: Server, state: DrainState, log: Logger, opts: ShutdownOptions) {
  let done: Promise<void> | undefined;
  return function shutdown(reason: string): Promise<void> {
    done ??= (async () => {
      state.draining = true;
      log.info('draining', { reason, delayMs: opts.delayMs, timeoutMs: opts.timeoutMs });
      await sleep(opts.delayMs);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timedOut = await Promise.race([closed.then(() => false), sleep(opts.timeoutMs).then(() => true)]);
      if (timedOut) {
        log.warn('shutdown timeout reached; closing remaining connections', { timeoutMs: opts.timeoutMs });
        server.closeAllConnections();
        await closed;
      }
      log.info('stopped', { reason });
    })();
    return done;
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
