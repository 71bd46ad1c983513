// Summarises a V8 .heapsnapshot: self size by (node type, constructor/name), biggest first.
// Where the operator's heap goes at scale, without a browser:
//
//   npx node bench/operator/heap-summary.ts <file.heapsnapshot> [--top=40]
//
// Take the snapshot with NODE_OPTIONS=--heapsnapshot-signal=SIGUSR2 and `kill -USR2 <pid>`.
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

const file = process.argv[2];
if (!file) throw new Error('usage: heap-summary.ts <file.heapsnapshot> [--top=N]');
const top = Number(process.argv.find((a) => a.startsWith('--top='))?.slice(6) ?? 40);
const snap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
const fields = snap.snapshot.meta.node_fields;
const types = snap.snapshot.meta.node_types[0];
const stride = fields.length;
const at = (f: string) => fields.indexOf(f);
const [typeAt, nameAt, sizeAt] = [at('type'), at('name'), at('self_size')];

const groups = new Map<string, { count: number; bytes: number }>();
let total = 0;
for (let i = 0; i < snap.nodes.length; i += stride) {
  const type = types[snap.nodes[i + typeAt]!]!;
  const raw = snap.strings[snap.nodes[i + nameAt]!]!;
  // Strings are grouped by kind, not by content; everything else by constructor or name.
  const name = type === 'string' || type === 'concatenated string' || type === 'sliced string' ? '' : raw.slice(0, 60);
  const key = `${type} ${name}`;
  const size = snap.nodes[i + sizeAt]!;
  total += size;
  const g = groups.get(key) ?? { count: 0, bytes: 0 };
  g.count += 1;
  g.bytes += size;
  groups.set(key, g);
}
const mib = (b: number) => (b / 1048576).toFixed(1);
console.log(`total self size ${mib(total)} MiB in ${snap.nodes.length / stride} nodes`);
for (const [key, g] of [...groups].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, top)) {
  console.log(`${mib(g.bytes).padStart(7)} MiB ${String(g.count).padStart(9)}  ${key}`);
}
