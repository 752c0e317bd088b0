// Running a conversion: pre-checks, the plan (or the journaled one on a rerun),
// then each step as prepare -> confirm -> execute, journaled before and after
// every action, like the restore. Killed at any point, a rerun finishes it.
// This file holds the gates and the resume; the step loop is convert-steps.ts.
import { randomUUID } from 'node:crypto';
import { renameSync } from 'node:fs';
import { join } from 'node:path';
import type { ConvertPlan } from '../state/convert-plan.js';
import { EXIT } from '../state/exit-codes.js';
import type { JournalState } from '../state/journal.js';
import { checkConvert, type ConvertCheck } from './convert.js';
import type { ConvertOptions, ConvertOutcome } from './convert-options.js';
import { runSteps } from './convert-steps.js';
import type { Place } from './dc-lock.js';
import { Journal, readJournal } from './journal.js';
import { acquireLock, releaseLock, type LockInfo } from './lock.js';
import { JobJournal, operatorName } from './procedure/job-journal.js';
import { takeRecoveryLock, withLockLoss } from './recovery-lock.js';

// The run's contract lives in convert-options.ts; callers import it from here, with runConvert.
export type { ConvertAnswer, ConvertEvents, ConvertOptions, ConvertOutcome } from './convert-options.js';

/** Where the conversion of one server is journaled, apart from any restore's journal. */
export const convertJournalDir = (journalDir: string, serverUuid: string): string =>
  join(journalDir, `convert-${serverUuid}`);

/** A conversion begun and not finished: its journal holds a plan with steps not done. */
export function convertUnderWay(journalDir: string, serverUuid: string): boolean {
  return underWay(readJournal(convertJournalDir(journalDir, serverUuid)));
}

function underWay(st: JournalState): boolean {
  const plan = st.plan as ConvertPlan | undefined;
  return plan !== undefined && !plan.steps.every((x) => st.finished.has(x.id));
}

export async function runConvert(o: ConvertOptions): Promise<ConvertOutcome> {
  // The same lock as the restore: a conversion and a restore never run together.
  const lock = acquireLock(o.journalDir, o.command);
  if (!lock.ok) {
    const h = lock.holder;
    return {
      exitCode: EXIT.blocked,
      message: `another recovery holds the lock: ${h.who} on ${h.host} (pid ${h.pid}) since ${h.since}, running "${h.command}"`,
      next: `talk to ${h.who} first`,
      problems: [],
    };
  }
  try {
    return await locked(o, lock.info);
  } finally {
    releaseLock(o.journalDir);
  }
}

async function locked(o: ConvertOptions, lockInfo: LockInfo): Promise<ConvertOutcome> {
  const check = await checkConvert(o.dc, o.server, o.probeTimeoutMs);
  const t = check.facts.target;
  if (!t)
    return {
      exitCode: EXIT.blocked,
      message: check.problems[0]?.message ?? `no server ${o.server}`,
      problems: check.problems,
      check,
    };
  // The lock on every headnode too: a restore started from another headnode's console sees this conversion.
  const places: Place[] = check.facts.headnodes.map((h) => ({
    hostname: h,
    host: h === o.dc.local.name ? o.dc.local : o.dc.peer(h, check.serverIps.get(h) ?? ''),
  }));
  const dcLock = await takeRecoveryLock({
    dc: o.dc,
    binders: check.binders,
    info: lockInfo,
    places,
    command: o.command,
    timeoutMs: o.probeTimeoutMs,
    ...(o.confirmNoQuorum ? { confirmNoQuorum: o.confirmNoQuorum } : {}),
  });
  if (!dcLock.ok)
    return {
      exitCode: EXIT.blocked,
      message: dcLock.message,
      ...(dcLock.next ? { next: dcLock.next } : {}),
      problems: [],
      check,
    };
  try {
    // Losing binder's session stops the conversion before its next step, like a signal.
    const signal = withLockLoss(o.signal, dcLock.lost);
    return await journaledRun({ ...o, ...(signal ? { signal } : {}) }, check, t, dcLock.notes);
  } finally {
    await dcLock.release();
  }
}

async function journaledRun(
  o: ConvertOptions,
  check: ConvertCheck,
  t: NonNullable<ConvertCheck['facts']['target']>,
  lockNotes: string[],
): Promise<ConvertOutcome> {
  const dir = convertJournalDir(o.journalDir, t.uuid);
  let state = readJournal(dir);
  let journaled = state.plan as ConvertPlan | undefined;
  if (journaled && !underWay(state) && !t.headnode) {
    // Converted once, and no headnode now (reinstalled as a compute node?): that
    // journal describes another conversion. It is kept aside, this one starts over.
    renameSync(join(dir, 'journal.jsonl'), join(dir, `journal-${new Date().toISOString().replace(/[:.]/g, '')}.jsonl`));
    state = readJournal(dir);
    journaled = undefined;
  }
  // Once begun, a conversion is finished from its journal: the pre-checks gate
  // the start (after the reboots the server IS a headnode, and may be down).
  const resuming = underWay(state);
  const allDone = journaled !== undefined && !resuming;
  // Stopped before anything touched the server (only files on the assets
  // headnode were written): the pre-checks still gate the rest.
  const touched = [...state.open.map((x) => x.id), ...state.ends.keys()].some((id) => !id.startsWith('usbkey-data/'));
  o.events?.checked?.(check, resuming && touched);
  if (resuming && !touched) {
    const critical = check.problems.filter((p) => p.severity === 'critical');
    if (critical.length > 0)
      return {
        exitCode: EXIT.blocked,
        message: `${t.hostname} cannot be converted now (${critical.length} critical problem(s)); nothing more was changed`,
        next: 'fix the problems listed, then run again: the conversion resumes',
        problems: critical,
        check,
      };
  }
  if (!resuming) {
    if (allDone && t.headnode) {
      // Every step ended, but the run that did them was cut (kill -9, a lost
      // console) before it could say so: the conversion is done, and this run says it.
      const lastRun = state.runs.at(-1);
      const saidSo = lastRun !== undefined && state.lastStop?.run === lastRun.run;
      if (!saidSo) {
        const journal = new Journal(dir, randomUUID());
        const jj = new JobJournal(journal);
        const message = `${t.hostname} is a secondary headnode: every step of its conversion had finished (the run that did them was cut short before saying so)`;
        try {
          jj.started({ command: o.command, who: operatorName(), job: 'convert' });
          jj.stopped(message, EXIT.ok);
        } finally {
          journal.close();
        }
        return { exitCode: EXIT.ok, message, problems: [], check };
      }
      return {
        exitCode: EXIT.blocked,
        message: `${t.hostname} is already a headnode: its conversion finished (journal ${join(dir, 'journal.jsonl')})`,
        problems: check.problems,
        check,
      };
    }
    const critical = check.problems.filter((p) => p.severity === 'critical');
    if (critical.length > 0)
      return {
        exitCode: EXIT.blocked,
        message: `${t.hostname} cannot be converted (${critical.length} critical problem(s)); nothing was changed`,
        next: 'fix the problems listed, then run again',
        problems: critical,
        check,
      };
    if (!check.plan)
      return {
        exitCode: EXIT.blocked,
        message: `no plan for ${t.hostname}: ${check.planError ?? 'unknown reason'}; nothing was changed`,
        problems: check.problems,
        check,
      };
  }
  const plan: ConvertPlan = resuming && journaled ? journaled : check.plan!;
  const done = plan.steps.flatMap((x, i) => (state.finished.has(x.id) ? [i] : []));
  o.events?.planned?.(plan, done);
  const journal = new Journal(dir, randomUUID());
  const jj = new JobJournal(journal);
  try {
    const who = operatorName();
    jj.started({ command: o.command, who, job: 'convert' });
    for (const n of lockNotes) jj.decided('lock', n);
    if (!resuming) jj.planned(plan);
    else
      jj.decided(
        'resume',
        `resuming the journaled conversion of ${t.hostname}; ${state.open.length} action(s) without an end are re-checked by prepare, not repeated`,
      );
    const journaledIds = {
      started: new Set([...state.open.map((x) => x.id), ...state.ends.keys()]),
      endedOk: new Set([...state.ends.values()].filter((x) => x.ok && !x.skipped).map((x) => x.id)),
    };
    return await runSteps(o, plan, jj, state.finished, check, journaledIds);
  } finally {
    journal.close();
  }
}
