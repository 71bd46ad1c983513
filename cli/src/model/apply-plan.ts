// The body of one server-side apply by the plugin's field manager: what it owns now plus this
// command's change, with the object's resourceVersion as a precondition (the safety checks ran
// on that version: if the object changed since, the API server answers 409 and the command reads
// and decides again). PURE.
import { API_VERSION, KIND } from '../../../operator/src/api/constants.ts';
import { CliError, EXIT } from '../exit.ts';
import { mergeObjects, otherOwners, ownedByApply, project, type FieldOwner } from './managed-fields.ts';
import { plainMeta, type BlueGreenService } from './objects.ts';

/**
 * The field manager of every write the plugin makes. Tell a GitOps agent to ignore the fields it
 * owns (docs/cli.md), e.g. Argo CD's `ignoreDifferences.managedFieldsManagers: [kubectl-bluegreen]`.
 */
export const CLI_FIELD_MANAGER = 'kubectl-bluegreen';

/** One field the command sets: its path from the object's root, and the object fragment holding the new value. */
export interface FieldChange {
  path: string[];
  fragment: Record<string, unknown>;
}

export interface ApplyPlan {
  body: Record<string, unknown>;
  /** Managers whose ownership of a changed field the apply takes over (force). */
  takesOverFrom: FieldOwner[];
}

/**
 * A field owned by another manager through an Update (kubectl edit/patch/set, a client-side
 * kubectl apply) is taken over, as those commands themselves would overwrite it. A field owned
 * through server-side Apply is declared by someone's configuration (a GitOps agent's): taking it
 * would start a tug of war, so the plugin refuses unless --force-conflicts.
 */
export function planApply(bgs: BlueGreenService, changes: readonly FieldChange[], forceConflicts: boolean): ApplyPlan {
  const takesOverFrom: FieldOwner[] = [];
  for (const change of changes) {
    const owners = otherOwners(plainMeta(bgs), change.path, CLI_FIELD_MANAGER);
    const appliers = owners.filter((o) => o.operation === 'Apply');
    if (appliers.length > 0 && !forceConflicts) {
      const who = appliers.map((o) => `"${o.manager}"`).join(', ');
      throw new CliError(
        EXIT.conflict,
        `.${change.path.join('.')} is managed by ${who} through server-side apply (a GitOps agent or ` +
          `kubectl apply --server-side): change it in that source, or take it over with --force-conflicts`,
      );
    }
    takesOverFrom.push(...owners);
  }
  let content: unknown = {};
  for (const set of ownedByApply(plainMeta(bgs), CLI_FIELD_MANAGER)) content = mergeObjects(content, project(bgs, set));
  for (const change of changes) content = mergeObjects(content, change.fragment);
  const { metadata: _ignored, apiVersion: _a, kind: _k, ...rest } = content as Record<string, unknown>;
  return {
    body: {
      apiVersion: API_VERSION,
      kind: KIND,
      metadata: {
        name: bgs.metadata.name,
        namespace: bgs.metadata.namespace,
        resourceVersion: bgs.metadata.resourceVersion,
      },
      ...rest,
    },
    takesOverFrom,
  };
}
