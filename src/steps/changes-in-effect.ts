// Gathers what the list of changes still in effect is judged from: the
// restore journals of the journal directory (set-aside ones too, oldest
// first), the conversions' journals, the recovery locks left on the live
// headnodes by a process that is gone, and whether each listed zone is still
// there. Accepting a change appends a decision to the journal it came from.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Dc } from '../remote/dc.js';
import type { Host } from '../remote/host.js';
import { vmadmGet } from '../remote/triton/vmadm.js';
import {
  ACCEPT_DECISION,
  changesInEffect,
  type ChangeFacts,
  type ChangeInEffect,
  type JournalSource,
  type LeftLock,
} from '../state/changes-in-effect.js';
import { parseJournal } from '../state/journal.js';
import { DC_LOCK_DIR, dcLockHolder } from './dc-lock.js';
import { Journal } from './journal.js';
import { isOwnOrStale, readLock } from './lock.js';
import { randomUUID } from 'node:crypto';

/** A headnode as detection saw it: where its left locks and zones are asked. */
export interface LiveHeadnode {
  hostname: string;
  local: boolean;
  adminIp?: string | undefined;
}

function source(path: string): JournalSource {
  return { path, parsed: parseJournal(readFileSync(path, 'utf8')) };
}

/** journal-<time>.jsonl (set aside, by time) then journal.jsonl: oldest first. */
function restoreJournals(dir: string): JournalSource[] {
  if (!existsSync(dir)) return [];
  const names = readdirSync(dir).filter((n) => /^journal-.+\.jsonl$/.test(n));
  names.sort();
  if (existsSync(join(dir, 'journal.jsonl'))) names.push('journal.jsonl');
  return names.map((n) => source(join(dir, n)));
}

function convertJournals(dir: string): JournalSource[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => n.startsWith('convert-') && existsSync(join(dir, n, 'journal.jsonl')))
    .sort()
    .map((n) => source(join(dir, n, 'journal.jsonl')));
}

function hostOf(dc: Dc, h: LiveHeadnode): Host {
  return h.local ? dc.local : dc.peer(h.hostname, h.adminIp ?? '');
}

/** Locks on each live headnode whose process is gone (this host's; another host's cannot be told). */
async function leftLocks(dc: Dc, headnodes: readonly LiveHeadnode[], timeoutMs: number): Promise<LeftLock[]> {
  const found = await Promise.all(
    headnodes.map(async (h): Promise<LeftLock[]> => {
      const holder = await dcLockHolder(hostOf(dc, h), undefined, timeoutMs);
      if (!holder || holder.pid === process.pid || !isOwnOrStale(holder)) return [];
      return [{ on: h.hostname, local: h.local, where: DC_LOCK_DIR, holder }];
    }),
  );
  return found.flat();
}

/** Is each listed zone still on its host? Unreachable hosts and errors say nothing. */
async function zonesOf(
  dc: Dc,
  changes: readonly ChangeInEffect[],
  headnodes: readonly LiveHeadnode[],
  timeoutMs: number,
): Promise<Map<string, 'present' | 'absent'>> {
  const out = new Map<string, 'present' | 'absent'>();
  await Promise.all(
    changes.map(async (c) => {
      const h = headnodes.find((x) => x.hostname === c.host);
      if (!c.zone?.uuid || !h) return;
      try {
        const vm = await vmadmGet(hostOf(dc, h), c.zone.uuid, { timeoutMs });
        out.set(c.zone.uuid, vm ? 'present' : 'absent');
      } catch {
        /* cannot tell: it stays listed */
      }
    }),
  );
  return out;
}

/** The run holding the journal directory's lock, when its process is alive (this one's included). */
function liveHolder(journalDir: string): { host: string; pid: number } | undefined {
  const l = readLock(journalDir);
  return l && (l.pid === process.pid || !isOwnOrStale(l)) ? { host: l.host, pid: l.pid } : undefined;
}

export interface ChangesOptions {
  journalDir: string;
  /** The live headnodes (detection's). */
  headnodes: readonly LiveHeadnode[];
  timeoutMs: number;
}

export async function readChanges(dc: Dc, o: ChangesOptions): Promise<ChangeInEffect[]> {
  const facts: ChangeFacts = {
    restore: restoreJournals(o.journalDir),
    convert: convertJournals(o.journalDir),
    leftLocks: await leftLocks(dc, o.headnodes, o.timeoutMs),
    live: liveHolder(o.journalDir),
  };
  const first = changesInEffect(facts);
  if (!first.some((c) => c.kind === 'zone')) return first;
  return changesInEffect({ ...facts, zones: await zonesOf(dc, first, o.headnodes, o.timeoutMs) });
}

/**
 * Accepts the change whose word was typed: a decision appended to the journal
 * it came from (a lock's goes to the restore journal). Returns where it went.
 */
export function acceptChange(journalDir: string, change: ChangeInEffect, who: string): string {
  const dir = change.journal ? dirname(change.journal) : journalDir;
  const file = change.journal ? basename(change.journal) : 'journal.jsonl';
  const j = new Journal(dir, randomUUID(), file);
  try {
    j.append({
      t: 'decision',
      service: change.id,
      decision: ACCEPT_DECISION,
      detail: `${who} accepted, typing "${change.word}": ${change.what}`,
    });
  } finally {
    j.close();
  }
  return join(dir, file);
}
