// The Given/When/Then step layer shared by integration and e2e tests, after Argo Rollouts'
// test/fixtures (given.go, when.go, then.go): a test reads as steps on one namespace, and every
// wait has a deadline and says on timeout what it last saw.
//
//   const steps = new Steps(kube, ns);
//   await steps.given.bgs(kwokBgs(ns, 'cycle', 'app:v1'));                    // Given
//   await steps.when.setActiveColor('cycle', 'green');                         // When
//   await steps.then.status('cycle', 'Healthy on green', (s) => s.activeColor === 'green');  // Then
//   await steps.then.selector('cycle', 'green');
//
// One argument order everywhere: the object, what we wait for in words, the condition, options.
// It talks to the API server through clusterkit's TestKube (the operator's own request helper),
// so the same steps serve a kwok-only control plane and the real node.
import type { BlueGreenService, BlueGreenServiceSpec, BlueGreenServiceStatus } from '../../operator/src/api/types.ts';
import type { TestKube } from '../../clusterkit/kube.ts';
import { waitFor } from '../../clusterkit/wait.ts';

export interface StatusWaitOptions {
  /** Default 180 s: on a 2-core machine shared with benchmarks Deployment status can lag tens of seconds. */
  timeoutMs?: number;
  intervalMs?: number;
  /** Phases reported as an error while seen (e.g. Degraded, Invalid): a timeout then quotes the message. */
  failOn?: readonly string[];
}

/** Each group of steps acts on one namespace through one client. */
abstract class Step {
  protected readonly kube: TestKube;
  protected readonly ns: string;
  constructor(kube: TestKube, ns: string) {
    this.kube = kube;
    this.ns = ns;
  }
}

export class Steps {
  readonly given: Given;
  readonly when: When;
  readonly then: Then;
  constructor(kube: TestKube, ns: string) {
    this.given = new Given(kube, ns);
    this.when = new When(kube, ns);
    this.then = new Then(kube, ns);
  }
}

export class Given extends Step {
  /** A BlueGreenService created in the namespace (its metadata.namespace is overridden). */
  bgs(bgs: BlueGreenService): Promise<BlueGreenService> {
    return this.kube.createBgs({ ...bgs, metadata: { ...bgs.metadata, namespace: this.ns } });
  }
}

export class When extends Step {
  /** A merge patch of spec, as `kubectl patch --type merge` would send. */
  patchSpec(name: string, spec: Partial<BlueGreenServiceSpec> | Record<string, unknown>): Promise<BlueGreenService> {
    return this.kube.patchBgsSpec(this.ns, name, spec);
  }

  /** Promote or roll back: the one field a user edits. */
  setActiveColor(name: string, color: 'blue' | 'green'): Promise<BlueGreenService> {
    return this.patchSpec(name, { activeColor: color });
  }
}

export class Then extends Step {
  async statusOf(name: string): Promise<BlueGreenServiceStatus> {
    return (await this.kube.getBgs(this.ns, name)).status ?? {};
  }

  /** Waits until ok(status) holds; on timeout the error shows the last status seen. */
  status(
    name: string,
    what: string,
    ok: (s: BlueGreenServiceStatus) => boolean,
    opts: StatusWaitOptions = {},
  ): Promise<BlueGreenServiceStatus> {
    return waitFor(
      async () => {
        const s = await this.statusOf(name);
        if (s.phase !== undefined && opts.failOn?.includes(s.phase))
          throw new Error(`${this.ns}/${name} is ${s.phase}: ${s.message ?? ''}`);
        return { done: ok(s), seen: s };
      },
      {
        what: `${this.ns}/${name}: ${what}`,
        timeoutMs: opts.timeoutMs ?? 180_000,
        ...(opts.intervalMs === undefined ? {} : { intervalMs: opts.intervalMs }),
        summarize: summarizeStatus,
      },
    );
  }

  /** The colour a Service selects (undefined when it has no colour or does not exist yet). */
  selectorColor(service: string): Promise<string | undefined> {
    return this.kube.serviceColor(this.ns, service);
  }

  /** Waits until the Service selects color. */
  selector(service: string, color: string, opts: { timeoutMs?: number; intervalMs?: number } = {}): Promise<unknown> {
    return waitFor(
      async () => {
        const seen = await this.selectorColor(service);
        return { done: seen === color, seen };
      },
      {
        what: `Service ${this.ns}/${service} to select ${color}`,
        timeoutMs: opts.timeoutMs ?? 120_000,
        ...(opts.intervalMs === undefined ? {} : { intervalMs: opts.intervalMs }),
      },
    );
  }

  async clusterIp(service: string): Promise<string> {
    const ip = (await this.kube.getService(this.ns, service)).spec?.clusterIP;
    if (!ip) throw new Error(`Service ${this.ns}/${service} has no clusterIP`);
    return ip;
  }
}

/** What a status wait prints on timeout: the fields that say where a release is stuck. */
function summarizeStatus(s: BlueGreenServiceStatus): unknown {
  return {
    phase: s.phase,
    active: s.activeColor,
    preview: s.previewColor,
    message: s.message,
    colors: s.colors,
    analysis: s.analysis && { stage: s.analysis.stage, phase: s.analysis.phase, message: s.analysis.message },
  };
}

/** stdout of a kubectl/helm run, or an error naming the step and quoting stderr. */
export async function must(
  what: string,
  p: Promise<{ code: number; stdout: string; stderr: string }>,
): Promise<string> {
  const r = await p;
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}): ${r.stderr || r.stdout}`);
  return r.stdout;
}
