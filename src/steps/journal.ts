// Writing the journal: every entry is appended and fsync'd before the action it
// announces runs, so a crash at any point leaves an honest record.
import { closeSync, existsSync, fstatSync, fsyncSync, readFileSync, readSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { openPrivateSync, privateDirSync } from '../remote/private-files.js';
import { redact } from '../state/redact.js';
import { foldJournal, parseJournal, type JournalEntry, type JournalState } from '../state/journal.js';

type NewEntry = JournalEntry extends infer E ? (E extends JournalEntry ? Omit<E, 'ts' | 'run'> : never) : never;

export class Journal {
  readonly path: string;
  private fd: number;

  constructor(
    readonly dir: string,
    readonly run: string,
    /** A set-aside journal (journal-<time>.jsonl) takes an acceptance of its changes too. */
    file = 'journal.jsonl',
  ) {
    // Root only: the plan entry keeps the create payloads (usbkey_config included).
    privateDirSync(dir);
    this.path = join(dir, file);
    this.fd = openPrivateSync(this.path, 'a+');
    // A run killed mid-write leaves a torn last line: end it, or the first entry
    // of this run would be glued to it and lost with it.
    const size = fstatSync(this.fd).size;
    if (size > 0) {
      const last = Buffer.alloc(1);
      readSync(this.fd, last, 0, 1, size - 1);
      if (last[0] !== 0x0a) writeSync(this.fd, '\n');
    }
  }

  /**
   * The plan is kept whole: a rerun executes the journaled plan (its UUIDs, IPs
   * and payloads), not one rebuilt from restore-data, which a sync between runs
   * may have changed, and with the new strategy would pick other UUIDs and IPs.
   * So the journal is protected by its mode, and only the transcript (commands,
   * HTTP bodies, outputs, details) is redacted: nothing resumes from it.
   */
  append(e: NewEntry): void {
    const entry = e.t === 'plan' ? e : redact(e);
    const line = JSON.stringify({ ts: new Date().toISOString(), run: this.run, ...entry }) + '\n';
    writeSync(this.fd, line);
    fsyncSync(this.fd);
  }

  close(): void {
    closeSync(this.fd);
  }
}

export function readJournal(dir: string): JournalState {
  const path = join(dir, 'journal.jsonl');
  if (!existsSync(path)) return foldJournal();
  return foldJournal(parseJournal(readFileSync(path, 'utf8')));
}

/**
 * Move a journal out of the way, kept whole beside the new one
 * (journal.jsonl -> journal-<time>.jsonl); returns where it went.
 */
export function setJournalAside(dir: string): string {
  const to = join(dir, `journal-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`);
  renameSync(join(dir, 'journal.jsonl'), to);
  return to;
}
