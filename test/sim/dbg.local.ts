import { runScenario } from './run.ts';
const [cfg, cmds] = JSON.parse(process.argv[2]!, (_k, v) => (v === null ? undefined : v));
const o = await runScenario(cfg, cmds);
console.log(JSON.stringify(o, null, 1));
