// npm run bench: prints numbers; goals are judged by reading them, not by timed tests.
import { benchRestore } from './restore-timing.js';
import { benchSimRoundTrip } from './sim-roundtrip.js';
import { benchSync } from './sync.js';
import { benchTuiOutput } from './tui-output.js';

async function main(): Promise<void> {
  const lines: string[] = [`triton-recover bench (node ${process.version}, ${new Date().toISOString()})`, ''];
  lines.push(...(await benchSimRoundTrip()), '');
  lines.push(...(await benchRestore()), '');
  lines.push(...(await benchSync()), '');
  lines.push(...(await benchTuiOutput()));
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 70;
});
