// Writing the journal: every entry is appended and fsync'd before the action it
// announces runs, so a crash at any point leaves an honest record.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { foldJournal, parseJournal, type JournalEntry, type JournalState } from '../state/journal.js';

type NewEntry = JournalEntry extends infer E ? (E extends JournalEntry ? Omit<E, 'ts' | 'run'> : never) : never;

export class Journal {
  readonly path: string;
  private fd: number;

  constructor(
    readonly dir: string,
    readonly run: string,
  ) {
    mkdirSync(dir, { recursive: true });
    this.path = join(dir, 'journal.jsonl');
    this.fd = openSync(this.path, 'a', 0o600);
  }

  append(e: NewEntry): void {
    const line = JSON.stringify({ ts: new Date().toISOString(), run: this.run, ...e }) + '\n';
    writeSync(this.fd, line);
    fsyncSync(this.fd);
  }

  close(): void {
    closeSync(this.fd);
  }
}

export function readJournal(dir: string): JournalState {
  const path = join(dir, 'journal.jsonl');
  if (!existsSync(path)) return foldJournal([]);
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n').filter((l) => l.trim() !== '').length;
  const entries = parseJournal(text);
  return foldJournal(entries, lines - entries.length);
}
