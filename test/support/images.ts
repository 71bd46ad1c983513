// Builds the project's images into the local cluster's containerd once per test process.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadImage, repoRoot } from '../cluster/harness.ts';

const exec = promisify(execFile);
const built = new Map<string, Promise<void>>();

/**
 * The one sample-services image (auth, orders, payments, notifications). On clusters with a
 * registry (kind in GitHub Actions) set BLUEGREEN_SAMPLE_IMAGE to a pre-loaded image instead.
 */
export const SAMPLE_IMAGE = process.env['BLUEGREEN_SAMPLE_IMAGE'] ?? 'bluegreen/sample-services:e2e';

/**
 * Builds the sample image from this checkout as `image` (default SAMPLE_IMAGE). A test that
 * needs a feature newer than what other checkouts on a shared cluster build under the default
 * tag passes its own tag, so their builds cannot replace it under its pods.
 */
export function buildSampleImage(image: string = SAMPLE_IMAGE): Promise<void> {
  if (process.env['BLUEGREEN_SAMPLE_IMAGE']) return Promise.resolve();
  let p = built.get(image);
  if (!p) {
    p = (async () => {
      const context = path.join(repoRoot, 'sample-services/.image-context');
      await exec('sh', [path.join(repoRoot, 'sample-services/scripts/image-context.sh'), context], {
        maxBuffer: 64 << 20,
      });
      await loadImage(path.join(context, 'Dockerfile'), context, image);
    })();
    built.set(image, p);
  }
  return p;
}

/** The tag such a test uses: SAMPLE_IMAGE when BLUEGREEN_SAMPLE_IMAGE names a pre-loaded image. */
export function sampleImageTagged(suffix: string): string {
  return process.env['BLUEGREEN_SAMPLE_IMAGE'] ?? `bluegreen/sample-services:e2e-${suffix}`;
}
