// Writing the journal: every entry is appended and fsync'd before the action it
// announces runs, so a crash at any point leaves an honest record.
import { closeSync, existsSync, fstatSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
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
    this.fd = openSync(this.path, 'a+', 0o600);
    // A run killed mid-write leaves a torn last line: end it, or the first entry
    // of this run would be glued to it and lost with it.
    const size = fstatSync(this.fd).size;
    if (size > 0) {
      const last = Buffer.alloc(1);
      readSync(this.fd, last, 0, 1, size - 1);
      if (last[0] !== 0x0a) writeSync(this.fd, '\n');
    }
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
