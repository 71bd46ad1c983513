// The commands that write: promote, rollback, abort (spec.activeColor) and set image
// (spec.template), each one server-side apply under the kubectl-bluegreen field manager.
import type { Invocation } from '../args.ts';
import { nameArg } from '../args.ts';
import { CliError, EXIT } from '../exit.ts';
import type { Io } from '../io.ts';
import { readDecideApply } from '../kube/apply.ts';
import type { Kube } from '../kube/client.ts';
import { decideAbort, decidePromote, decideRollback, type Decision } from '../model/levers.ts';
import type { BlueGreenService } from '../model/objects.ts';
import { decideSetImage, parseAssignments } from '../model/set-image.ts';

export async function write(inv: Invocation, kube: Kube, io: Io): Promise<void> {
  const { force, forceConflicts, dryRun } = inv.flags;
  let name: string;
  let decide: (bgs: BlueGreenService) => Decision;
  if (inv.command === 'set') {
    if (inv.args[0] !== 'image')
      throw new CliError(EXIT.usage, 'set supports "set image NAME CONTAINER=IMAGE ..." only');
    name = nameArg(inv, 1);
    const assignments = parseAssignments(inv.args.slice(2));
    decide = (bgs) => decideSetImage(bgs, assignments);
  } else {
    name = nameArg(inv);
    if (inv.args.length > 1) throw new CliError(EXIT.usage, `${inv.command} takes one NAME`);
    const lever = { promote: decidePromote, rollback: decideRollback, abort: decideAbort }[
      inv.command as 'promote' | 'rollback' | 'abort'
    ];
    decide = (bgs) => lever(bgs, force);
  }
  await readDecideApply(kube, kube.namespace, name, decide, {
    forceConflicts,
    dryRun,
    out: (line) => io.out(`${line}\n`),
  });
}
