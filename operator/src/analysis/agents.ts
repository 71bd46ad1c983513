// Connection pools for the analysis providers. Every provider request goes through node:http(s)
// with one of these agents, because a private CA or insecureSkipVerify is a per-agent TLS
// setting: fetch would need undici's Agent, which the bundle leaves out (ADR 0018).
//
// Invariants:
// - Without TLS settings a request uses Node's global agents (Node's own trust store).
// - Agents with settings are shared by every client with the same CA bundle and flag, and the
//   number kept is bounded (the oldest is destroyed): rounds build a client per round, and a
//   new kept-alive pool per round would leak idle sockets.
// - insecureSkipVerify is never implied: only `insecureSkipVerify: true` turns verification off.

import { createHash, X509Certificate } from 'node:crypto';
import { globalAgent as httpGlobalAgent, type Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent, globalAgent as httpsGlobalAgent } from 'node:https';
import { describeError } from '../runtime/errors.ts';

/** TLS settings of one provider (spec.analysis.prometheus.tls, with the CA already read). */
export interface TlsSettings {
  /** PEM bundle of the CAs to trust instead of Node's roots. */
  ca?: string;
  /** true: accept any server certificate (testing only). Default false. */
  insecureSkipVerify?: boolean;
}

/** How many agents with custom TLS settings are kept at once. */
export const MAX_TLS_AGENTS = 32;

const agents = new Map<string, HttpsAgent>();

/** The agent for a request to `url` with `tls` (see the header for sharing and bounds). */
export function agentFor(url: URL, tls: TlsSettings | undefined): HttpAgent {
  if (url.protocol === 'http:') return httpGlobalAgent;
  if (tls === undefined || (tls.ca === undefined && tls.insecureSkipVerify !== true)) return httpsGlobalAgent;
  const insecure = tls.insecureSkipVerify === true;
  const key = `${insecure}:${createHash('sha256')
    .update(tls.ca ?? '')
    .digest('hex')}`;
  let agent = agents.get(key);
  if (agent === undefined) {
    // Same idle behaviour as Node's global agent: kept alive, closed after 5 s unused.
    agent = new HttpsAgent({ keepAlive: true, timeout: 5000, ca: tls.ca, rejectUnauthorized: !insecure });
    agents.set(key, agent);
    evictOldest();
  }
  return agent;
}

function evictOldest(): void {
  while (agents.size > MAX_TLS_AGENTS) {
    const [oldest, agent] = agents.entries().next().value!;
    agents.delete(oldest);
    agent.destroy();
  }
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * Returns why `pem` is not a usable CA bundle (one or more PEM certificates), or undefined.
 * Node's TLS accepts garbage as `ca` silently and then trusts nothing: this says so up front.
 */
export function validateCaBundle(pem: string): string | undefined {
  const blocks = pem.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) return 'holds no PEM certificate (-----BEGIN CERTIFICATE-----)';
  for (const [i, block] of blocks.entries()) {
    try {
      new X509Certificate(block);
    } catch (err) {
      return `certificate ${i + 1} of ${blocks.length} does not parse: ${describeError(err)}`;
    }
  }
  return undefined;
}
