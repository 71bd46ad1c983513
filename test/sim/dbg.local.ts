import { runScenario } from './run.ts';
const [cfg, cmds] = JSON.parse(process.argv[2]!);
const o = await runScenario(cfg, cmds);
console.log(JSON.stringify(o, null, 1));
