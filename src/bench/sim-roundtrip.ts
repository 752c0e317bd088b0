// Simulator command round-trip: in-process and over a real SSH connection on
// 127.0.0.1, with the scenario's latencies switched off so only our machinery counts.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSim } from '../remote/sim/index.js';
import { loadScenarioFile } from '../remote/sim/scenario.js';
import { builtinScenarioPath } from '../remote/sim/index.js';
import { serveSimOverSshWithFreshKeys } from '../remote/sim/serve-ssh.js';
import { ms, timeMany } from './stats.js';

export async function benchSimRoundTrip(n = 300): Promise<string[]> {
  const s = await loadScenarioFile(builtinScenarioPath());
  s.latencyMs = { default: 0 };
  const dir = mkdtempSync(join(tmpdir(), 'tr-bench-'));
  const sim = await openSim({ scenario: s, statePath: join(dir, 'state.json'), speed: 1 });
  const argv = ['vmadm', 'lookup', '-j', 'tags.smartdc_role=binder'];
  const local = await timeMany(n, () => sim.peer('headnode2', '').run(argv, { timeoutMs: 10_000 }));

  const svc = await serveSimOverSshWithFreshKeys(sim, dir);
  const peer = svc.dc.peer('headnode2', '10.99.99.42');
  const connectStart = process.hrtime.bigint();
  await peer.run(['true'], { timeoutMs: 10_000 });
  const connect = Number(process.hrtime.bigint() - connectStart) / 1e6;
  const overSsh = await timeMany(n, () => peer.run(argv, { timeoutMs: 10_000 }));
  await svc.close();
  return [
    `simulator round-trip, \`${argv.join(' ')}\` (latencies off, n=${n}):`,
    `  in-process   median ${ms(local.median)}  p95 ${ms(local.p95)}`,
    `  over SSH     median ${ms(overSsh.median)}  p95 ${ms(overSsh.p95)}  (first connect + command ${ms(connect)})`,
  ];
}
