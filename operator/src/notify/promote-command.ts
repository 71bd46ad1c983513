// The one command that promotes a release: the spec.activeColor lever (docs/api.md), spelled out
// with the namespace so it works from any kubectl context. PURE.
import type { Color } from '../api/constants.ts';
import type { BlueGreenService } from '../api/types.ts';

export function promoteCommand(bgs: BlueGreenService, color: Color): string {
  const patch = JSON.stringify({ spec: { activeColor: color } });
  return `kubectl patch bgs ${bgs.metadata.name ?? ''} -n ${bgs.metadata.namespace ?? 'default'} --type merge -p '${patch}'`;
}
