// `get NAME -w`: draw, then redraw on every change the watches deliver until Ctrl-C.
import type { Invocation } from '../args.ts';
import { nameArg } from '../args.ts';
import type { Io } from '../io.ts';
import type { Kube } from '../kube/client.ts';
import { readRelease } from '../kube/reads.ts';
import { renderRelease } from '../render/release.ts';
import type { Style } from '../render/style.ts';

/** Home the cursor, and clear each line's rest and the screen below: a redraw without flicker. */
const HOME = '\x1b[H';
const CLEAR_LINE_REST = '\x1b[K';
const CLEAR_BELOW = '\x1b[J';
const CLEAR_SCREEN = '\x1b[2J';

export async function getWatch(inv: Invocation, kube: Kube, io: Io, style: Style): Promise<void> {
  const name = nameArg(inv);
  // One plain read first: a missing object or a forbidden list fails here with its exit code,
  // instead of an informer retrying in the background.
  const first = await readRelease(kube, kube.namespace, name);
  let last = '';
  const draw = (text: string) => {
    if (text === last) return;
    last = text;
    // A terminal gets the frame in place; a pipe or file gets each new frame after the last.
    io.out(io.isTty ? `${HOME}${text.replaceAll('\n', `${CLEAR_LINE_REST}\n`)}${CLEAR_BELOW}` : `${text}\n`);
  };
  if (io.isTty) io.out(CLEAR_SCREEN);
  draw(renderRelease(first, io.now(), style));
  const { watchRelease } = await import('../kube/watch.ts');
  const watched = await watchRelease(kube, kube.namespace, name);
  let pending = false;
  const redraw = () => {
    if (pending) return;
    pending = true;
    // Coalesce a burst (a list replay, a status and an Event of one reconcile) into one frame.
    setImmediate(() => {
      pending = false;
      const snap = watched.snapshot();
      const frame = snap
        ? renderRelease(snap, io.now(), style)
        : `bgs/${name} in ${kube.namespace} does not exist (deleted?); waiting for it\n`;
      const problem = watched.problem();
      draw(problem ? `${frame}${style.warn(`watch: ${problem} (retrying; this frame may be stale)`)}\n` : frame);
    });
  };
  watched.onChange(redraw);
  redraw();
  const ticker = setInterval(redraw, 1000);
  try {
    await io.interrupted();
  } finally {
    clearInterval(ticker);
    watched.stop();
  }
}
