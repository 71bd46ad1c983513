// Maximum keep-alive connection age: why a blue-green switch needs it (docs/adr/0009-loadtest-keepalive-max-connection-age.md).
//
// kube-proxy applies a Service's new selector to NEW connections only. A client that keeps
// its connections alive (an HTTP agent pool, a service-to-service client) keeps reaching the
// previous colour over its established sockets until something closes them — without this,
// until the previous colour is scaled down. So every connection gets a deadline when we first
// see it; the first response after the deadline carries `Connection: close`, Node closes the
// socket after that response, and the client opens a new connection, which kube-proxy sends
// to the colour the Service selects now.
//
// Closing after a response (never an idle socket) is what keeps it free of failed requests:
// the client learns from the response itself that the socket is done, so it never sends a
// request on a socket we are closing. The deadline is jittered down (80-100 % of the maximum)
// so the connections of one pool, opened together, do not all reconnect in the same instant;
// it never exceeds the maximum, which is the bound the cut-over time is built on.
import type { Socket } from 'node:net';

/** Answers "should this response close its connection?" for the socket a request came on. */
export type ConnectionAgeCheck = (socket: Socket) => boolean;

export interface ConnectionAgeOptions {
  /** 0 disables the check: connections live until the client or keepAliveTimeout closes them. */
  maxAgeMs: number;
  now?: () => number;
  random?: () => number;
}

const JITTER = 0.2;

export function createConnectionAgeCheck(opts: ConnectionAgeOptions): ConnectionAgeCheck {
  if (opts.maxAgeMs <= 0) return () => false;
  const { maxAgeMs } = opts;
  const now = opts.now ?? Date.now;
  const random = opts.random ?? Math.random;
  // Keyed by socket so the entry goes away with the socket; nothing to clean up on close.
  const deadlines = new WeakMap<Socket, number>();
  return (socket) => {
    const t = now();
    let deadline = deadlines.get(socket);
    if (deadline === undefined) {
      deadline = t + maxAgeMs * (1 - JITTER * random());
      deadlines.set(socket, deadline);
    }
    return t >= deadline;
  };
}
