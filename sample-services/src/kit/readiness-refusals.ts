// Counts the 503s /readyz answered while draining, so a pod that takes itself out of service
// (the crash drill, FAULT_CRASH_AFTER_SECONDS) can wait until the kubelet has seen enough of
// them to mark it unready. Why: a pod that fails readiness stays in its Service's endpoints
// until `failureThreshold` consecutive probes failed (6 s with period 2 s, threshold 3); one
// that stopped listening before that turns the connections kube-proxy still sends it into
// "connection refused" — requests lost inside the dying pod, not a measure of the operator.
// (SIGTERM needs none of this: a terminating pod leaves the ready endpoints at once.)
export class ReadinessRefusals {
  #count = 0;
  #waiters: { atLeast: number; resolve: () => void }[] = [];

  get count(): number {
    return this.#count;
  }

  record(): void {
    this.#count += 1;
    const due = this.#waiters.filter((w) => w.atLeast <= this.#count);
    this.#waiters = this.#waiters.filter((w) => w.atLeast > this.#count);
    for (const w of due) w.resolve();
  }

  /** Resolves true once `atLeast` refusals were counted, false after timeoutMs. */
  waitFor(atLeast: number, timeoutMs: number): Promise<boolean> {
    if (this.#count >= atLeast) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMs);
      timer.unref();
      const waiter = {
        atLeast,
        resolve: () => {
          clearTimeout(timer);
          resolve(true);
        },
      };
      this.#waiters.push(waiter);
    });
  }
}
