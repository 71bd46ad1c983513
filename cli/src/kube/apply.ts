// Read, decide, apply: the write path of promote, rollback, abort and set image. The decision
// is made on the object as read and sent with its resourceVersion; when the object changed in
// between (the operator writes status every few seconds during a release) the API server
// answers 409 and the whole read-decide-apply runs again on the new version, a few times.
import { ApiError } from '../../../operator/src/runtime/apirequest.ts';
import { paths } from '../../../operator/src/k8s/paths.ts';
import { CliError, EXIT } from '../exit.ts';
import { CLI_FIELD_MANAGER, planApply } from '../model/apply-plan.ts';
import type { Decision } from '../model/levers.ts';
import type { BlueGreenService } from '../model/objects.ts';
import { call, type Kube } from './client.ts';
import { getBgs } from './reads.ts';

const APPLY = 'application/apply-patch+yaml';
export const MAX_ATTEMPTS = 5;

export interface WriteOptions {
  forceConflicts: boolean;
  /** Print the apply request instead of sending it. */
  dryRun: boolean;
  out: (line: string) => void;
}

export async function readDecideApply(
  kube: Kube,
  namespace: string,
  name: string,
  decide: (bgs: BlueGreenService) => Decision,
  options: WriteOptions,
): Promise<void> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const bgs = await getBgs(kube, namespace, name);
    const decision = decide(bgs);
    if (decision.kind === 'noop') return options.out(`bgs/${name}: nothing to do: ${decision.message}`);
    const plan = planApply(bgs, decision.changes, options.forceConflicts);
    if (options.dryRun) {
      options.out(`# dry run: ${decision.summary}`);
      options.out(`# PATCH ${paths.bgs(namespace, name)}?fieldManager=${CLI_FIELD_MANAGER}&force=true (${APPLY})`);
      return options.out(JSON.stringify(plan.body, null, 2));
    }
    try {
      await call(kube, 'PATCH', paths.bgs(namespace, name), {
        body: plan.body,
        contentType: APPLY,
        // force: conflicts with Apply owners were refused above (planApply); Update owners are
        // taken over, as kubectl edit/patch would overwrite them.
        query: { fieldManager: CLI_FIELD_MANAGER, force: 'true' },
      });
    } catch (err) {
      if (err instanceof ApiError && err.statusCode === 409 && isStale(err)) continue;
      if (err instanceof ApiError && err.statusCode === 409) throw new CliError(EXIT.conflict, err.message);
      throw err;
    }
    options.out(`bgs/${name}: ${decision.summary}`);
    const takenFrom = [...new Set(plan.takesOverFrom.map((o) => o.manager))];
    if (takenFrom.length > 0) options.out(`  took the field over from ${takenFrom.map((m) => `"${m}"`).join(', ')}`);
    for (const note of decision.notes) options.out(`  ${note}`);
    return;
  }
  throw new CliError(EXIT.failed, `bgs/${name} changed under every one of ${MAX_ATTEMPTS} attempts; try again`);
}

/** The resourceVersion precondition failed (as opposed to a field manager conflict). */
function isStale(err: ApiError): boolean {
  return /the object has been modified/i.test(err.message);
}
