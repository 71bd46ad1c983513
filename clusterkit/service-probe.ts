// Waiting for a fresh ClusterIP to answer, without poisoning the load that follows.
//
// Until kube-proxy has programmed a new Service, a SYN to its ClusterIP is neither DNATed nor
// rejected: it is routed as is, the neighbour lookup fails and connect() ends with
// EHOSTUNREACH after ~3 s. Worse, that attempt leaves an un-NATed conntrack entry (SYN_SENT,
// 120 s). Kube-proxy flushes stale UDP entries, not TCP ones, so a LATER connection that the
// kernel happens to give the same source port inherits the entry and fails the same way even
// though the Service now works. One CI run lost exactly one request of a promotion that way.
// So every probe binds a source port BELOW the kernel's ephemeral range: load connections
// (ephemeral ports) can never share a tuple with a probe, and each attempt uses a new port so
// a probe cannot inherit its own earlier failure either.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { waitFor } from './wait.ts';

export interface ProbeResponse {
  status: number;
  headers: Headers;
  body: string;
}

const PROBE_PORTS = 4096;
const ephemeralLow = (() => {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
  } catch {
    return 32768; // Linux default
  }
})();
// A random start keeps two test processes (or one after a restart) off each other's ports.
let nextPort = Math.floor(Math.random() * PROBE_PORTS);

function probePort(): number {
  nextPort = (nextPort + 1) % PROBE_PORTS;
  return ephemeralLow - PROBE_PORTS + nextPort;
}

/** One GET from a non-ephemeral source port; errors reject. */
export function probeOnce(
  url: string,
  opts: { timeoutMs?: number; headers?: Record<string, string> } = {},
): Promise<ProbeResponse> {
  const timeoutMs = opts.timeoutMs ?? 3_000;
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { agent: false, localPort: probePort(), timeout: timeoutMs, headers: { ...opts.headers, connection: 'close' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const headers = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers.set(k, v);
          resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('utf8') });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** Retries `url` until `ok(response)`; use it before starting load on a ClusterIP. */
export async function waitForServiceAnswer(
  url: string,
  opts: {
    what?: string;
    timeoutMs?: number;
    ok?: (r: ProbeResponse) => boolean;
    headers?: Record<string, string>;
  } = {},
): Promise<ProbeResponse> {
  const ok = opts.ok ?? ((r) => r.status === 200);
  return waitFor(
    async () => {
      const res = await probeOnce(url, { headers: opts.headers });
      return { done: ok(res), seen: res };
    },
    { what: opts.what ?? `${url} to answer`, timeoutMs: opts.timeoutMs ?? 120_000, intervalMs: 250 },
  );
}
