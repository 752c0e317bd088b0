// `sync`: pull restore-data from every headnode, printed as cron and SMF log it.
import type { Command } from 'commander';
import { journalDirOf, type GlobalOptions } from '../open-dc.js';
import { formatServiceLine, formatSyncText, type ServiceSyncResult } from '../../state/sync-report.js';
import { runSync } from '../../steps/sync/run.js';
import { syncTimingFor } from '../../steps/sync/timing.js';
import { globals, openDc } from './shared.js';

export async function sync(cmd: Command): Promise<number> {
  const o = cmd.optsWithGlobals<
    GlobalOptions & { reserveIps?: boolean; minFreeMb?: number; json?: boolean; sapiUrl?: string }
  >();
  const dc = await openDc(globals(cmd));
  try {
    const r = await runSync({
      dc,
      journalDir: journalDirOf(o, dc),
      ...(o.reserveIps ? { reserveIps: true } : {}),
      ...(o.minFreeMb !== undefined ? { minFreeMb: o.minFreeMb } : {}),
      ...(o.sapiUrl ? { sapiUrl: o.sapiUrl } : {}),
      timing: syncTimingFor(dc.simulated ? (o.simSpeed ?? 1) : 1),
      command: ['triton-recover', ...process.argv.slice(2)].join(' '),
      // Each service's line as it finishes: a cron log shows how far a long sync got.
      ...(o.json
        ? {}
        : { events: { serviceEnd: (s: ServiceSyncResult) => void process.stdout.write(`${formatServiceLine(s)}\n`) } }),
    });
    process.stdout.write(o.json ? JSON.stringify(r, null, 2) + '\n' : formatSyncText(r, { services: false }));
    return r.exitCode;
  } finally {
    await dc.close();
  }
}
