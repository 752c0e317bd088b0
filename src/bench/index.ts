// npm run bench: prints numbers; goals are judged by reading them, not by timed
// tests. `npm run bench -- --json` prints one object (restore, console, node
// baseline, detection) for machines; the text stays for people.
import { benchRestore, restoreLines } from './restore-timing.js';
import { benchSimRoundTrip } from './sim-roundtrip.js';
import { benchSync } from './sync.js';
import { benchConsole, consoleLines } from './tui-output.js';

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const restore = await benchRestore();
  const consoleBench = await benchConsole();
  if (json) {
    const { detection, ...r } = restore;
    process.stdout.write(
      JSON.stringify(
        {
          node: process.version,
          at: new Date().toISOString(),
          restore: r,
          detection,
          console: { serial: consoleBench.serial, normal: consoleBench.normal },
          nodeBaselineMs: consoleBench.nodeBaselineMs,
        },
        null,
        2,
      ) + '\n',
    );
    return;
  }
  const lines: string[] = [`triton-recover bench (node ${process.version}, ${new Date().toISOString()})`, ''];
  lines.push(...(await benchSimRoundTrip()), '');
  lines.push(...restoreLines(restore), '');
  lines.push(...(await benchSync()), '');
  lines.push(...consoleLines(consoleBench));
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 70;
});
