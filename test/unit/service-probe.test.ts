// The probe's whole point is its source port: it must never be one the kernel hands out to
// ordinary (load) connections, and consecutive probes must not share one.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeOnce, waitForServiceAnswer } from '../../clusterkit/service-probe.ts';

const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
const seenPorts: number[] = [];
let hits = 0;
const server = http.createServer((req, res) => {
  seenPorts.push(req.socket.remotePort!);
  hits += 1;
  res.writeHead(hits < 3 ? 503 : 200, { 'x-color': 'blue' }).end('ok');
});
let base = '';

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('service probe', () => {
  it('retries until the answer is accepted, each attempt from a new port below the ephemeral range', async () => {
    const res = await waitForServiceAnswer(`${base}/healthz`, { timeoutMs: 10_000 });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-color')).toBe('blue');
    expect(res.body).toBe('ok');
    expect(seenPorts).toHaveLength(3);
    expect(new Set(seenPorts).size).toBe(3);
    for (const port of seenPorts) expect(port).toBeLessThan(low!);
  });

  it('rejects with the connection error when nothing listens', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await expect(probeOnce(`http://127.0.0.1:${port}/`)).rejects.toThrow(/ECONNREFUSED/);
  });
});
