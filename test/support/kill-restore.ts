// A restore of the contract scenario run as a real process and killed with -9
// at a chosen point: after so many journal lines, after so many ms, or while a
// zone is prepared ahead of its turn. Shared by the kill sweeps and the tests
// of what such a kill leaves in effect.
import { execa, type ResultPromise } from 'execa';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const bin = resolve(import.meta.dirname, '..', '..', 'bin', 'triton-recover');
export const contract = resolve(import.meta.dirname, '..', 'fixtures', 'contract', 'scenario.example.json');
const SPEED = '400';

/** The simulated DC of `dir` (its state, journal and restore-data beside s.json). */
export function simArgs(dir: string, speed = SPEED): string[] {
  return ['--sim', contract, '--sim-state', join(dir, 's.json'), '--sim-speed', speed];
}

/** `restore --yes --fenced headnode0` on that DC. */
export function restoreArgs(dir: string, speed = SPEED): string[] {
  return ['restore', '--yes', '--fenced', 'headnode0', ...simArgs(dir, speed)];
}

export const journalFile = (dir: string): string => join(dir, 's.journal', 'journal.jsonl');

export function journalLines(dir: string): number {
  const f = journalFile(dir);
  if (!existsSync(f)) return 0;
  return readFileSync(f, 'utf8').split('\n').filter(Boolean).length;
}

const zoneOf = (id: string): string => id.split('/').slice(0, 2).join('/');

/**
 * The zones (service/alias) a kind of action (create-vm, receive-dataset) has
 * begun for and that are not started yet, while another zone has been started
 * and is not finished (it boots): zones prepared ahead (`ended`: that action
 * ended ok, so the zone exists). Torn lines are ignored.
 */
export function aheadZones(dir: string, kind: string, ended = false): string[] {
  const f = journalFile(dir);
  if (!existsSync(f)) return [];
  const started = new Set<string>();
  const finished = new Set<string>();
  const begun: string[] = [];
  for (const l of readFileSync(f, 'utf8').split('\n')) {
    let e: { t?: string; id?: string; service?: string; ok?: boolean };
    try {
      e = JSON.parse(l) as typeof e;
    } catch {
      continue;
    }
    if (e.t === 'service' && e.service) finished.add(e.service);
    if (e.t === 'start' && e.id?.endsWith('/start-vm')) started.add(zoneOf(e.id));
    if (e.t === (ended ? 'end' : 'start') && e.id?.endsWith(`/${kind}`) && (!ended || e.ok)) begun.push(zoneOf(e.id));
  }
  const booting = [...started].some((z) => !finished.has(z));
  return booting ? begun.filter((z) => !started.has(z)) : [];
}

export interface KillPoint {
  lines?: number;
  ms?: number;
  ahead?: string;
  /** As `ahead`, once that action has ended ok for the zone prepared ahead. */
  aheadDone?: string;
}

/** Run until the journal has `lines` entries (or `ms` passed, or a zone is being prepared ahead), then SIGKILL. */
export async function killAt(dir: string, at: KillPoint): Promise<boolean> {
  return (await killSeeing(dir, at)).killed;
}

/**
 * As killAt, and which zones were prepared ahead when it decided to kill (for
 * `ahead`/`aheadDone`): the journal read after the kill may already have moved
 * on (the zone started, the one before it healthy) in the moment the signal took.
 */
export async function killSeeing(dir: string, at: KillPoint): Promise<{ killed: boolean; ahead: string[] }> {
  const p: ResultPromise = execa(bin, restoreArgs(dir), { reject: false, stdin: 'ignore' });
  const start = Date.now();
  let killed = false;
  let ahead: string[] = [];
  while (p.exitCode === null && !killed) {
    ahead =
      at.ahead !== undefined
        ? aheadZones(dir, at.ahead)
        : at.aheadDone !== undefined
          ? aheadZones(dir, at.aheadDone, true)
          : [];
    if (
      (at.lines !== undefined && journalLines(dir) >= at.lines) ||
      (at.ms !== undefined && Date.now() - start >= at.ms) ||
      ahead.length > 0
    ) {
      p.kill('SIGKILL');
      killed = true;
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  await p;
  return { killed, ahead };
}
