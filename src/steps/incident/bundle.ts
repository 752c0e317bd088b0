// The incident bundle: one .tar.gz in the journal directory with everything a
// review needs (the journal, the transcript of every confirmation, the check,
// the plan, the report, the timings against the one-hour goal) and the status
// text, secrets redacted: the bundle is the file copied off the headnode and
// passed around, so nothing in it may carry /usbkey/config's passwords.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { privateDirSync, writePrivateFileSync } from '../../remote/private-files.js';
import {
  confirmationsText,
  statusText,
  summarizeIncident,
  timingsText,
  type IncidentSummary,
} from '../../state/incident.js';
import { parseJournal } from '../../state/journal.js';
import { redact, redactText } from '../../state/redact.js';
import { tarGz, type TarFile } from './tar.js';

export interface IncidentBundle {
  path: string;
  status: [string, string, string];
  summary: IncidentSummary;
  files: string[];
}

/** The newest file in `dir` named prefix...suffix (their names carry an ISO stamp). */
function newest(dir: string, prefix: string, suffix: string): string | undefined {
  const names = readdirSync(dir)
    .filter((n) => n.startsWith(prefix) && n.endsWith(suffix))
    .sort();
  return names.length ? join(dir, names.at(-1)!) : undefined;
}

/** A JSON file, every secret value replaced; a file that does not parse is redacted as text. */
function redactedJson(text: string): string {
  try {
    return `${JSON.stringify(redact(JSON.parse(text) as unknown), null, 2)}\n`;
  } catch {
    return redactText(text);
  }
}

/** Every line redacted, the plan's payloads included (the journal on disk keeps them for a rerun; the bundle must not). */
function redactedJournal(text: string): string {
  return text
    .split('\n')
    .map((l) => {
      if (l.trim() === '') return l;
      try {
        return JSON.stringify(redact(JSON.parse(l) as unknown));
      } catch {
        return redactText(l);
      }
    })
    .join('\n');
}

const README = (s: IncidentSummary, names: string[]): string =>
  [
    `Incident bundle of triton-recover: ${s.job} ${s.subject ?? ''} ${s.dc ? `in ${s.dc}` : ''}`
      .replace(/ +/g, ' ')
      .trim(),
    '',
    'status.txt          the three lines for a status page',
    'timings.txt         per step and in total, against the 1 h goal (RFD 67); summary.json the same as data',
    'confirmations.txt   every run and every operator decision, in order',
    "journal.jsonl       the journal, every line redacted (the plan's payloads too)",
    'plan.json           the plan the run executed, redacted',
    'check.json          what the check found before anything changed (when the run got that far)',
    "report.md/.json     the run's report (when it wrote one)",
    '',
    'Secrets (/usbkey/config passwords and hashes, UFDS passwords, private keys) are replaced by <redacted>.',
    `Files here: ${names.join(', ')}`,
    '',
  ].join('\n');

/** Make the bundle of the journal in `dir` (a restore's journal dir, or a conversion's). */
export function makeIncidentBundle(dir: string, now: Date = new Date(), check?: unknown): IncidentBundle {
  const journalPath = existsSync(join(dir, 'journal.jsonl'))
    ? join(dir, 'journal.jsonl')
    : existsSync(dir)
      ? newest(dir, 'journal-', '.jsonl')
      : undefined;
  const journalText = journalPath ? readFileSync(journalPath, 'utf8') : '';
  const entries = parseJournal(journalText).entries;
  const summary = summarizeIncident(entries);
  const status = statusText(summary).map(redactText) as [string, string, string];
  const files: TarFile[] = [
    { name: 'status.txt', content: `${status.join('\n')}\n` },
    { name: 'timings.txt', content: timingsText(summary) },
    { name: 'summary.json', content: `${JSON.stringify(summary, null, 2)}\n` },
    { name: 'confirmations.txt', content: redactText(confirmationsText(entries)) },
    { name: 'journal.jsonl', content: redactedJournal(journalText) },
  ];
  const plan = entries.find((e) => e.t === 'plan');
  if (plan?.t === 'plan') files.push({ name: 'plan.json', content: `${JSON.stringify(redact(plan.plan), null, 2)}\n` });
  if (existsSync(dir)) {
    const checked = newest(dir, 'check-', '.json');
    if (check !== undefined) files.push({ name: 'check.json', content: `${JSON.stringify(redact(check), null, 2)}\n` });
    else if (checked) files.push({ name: 'check.json', content: redactedJson(readFileSync(checked, 'utf8')) });
    const md = newest(dir, 'report-', '.md');
    const json = newest(dir, 'report-', '.json');
    if (md) files.push({ name: 'report.md', content: redactText(readFileSync(md, 'utf8')) });
    if (json) files.push({ name: 'report.json', content: redactedJson(readFileSync(json, 'utf8')) });
  }
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const top = `incident-${stamp}`;
  files.unshift({ name: 'README.txt', content: README(summary, ['README.txt', ...files.map((f) => f.name)]) });
  privateDirSync(dir);
  const path = join(dir, `${top}.tar.gz`);
  writePrivateFileSync(path, tarGz(top, files, now));
  return { path, status, summary, files: files.map((f) => f.name) };
}

/** At the end of a run: the bundle of its journal, if it journaled anything (a run refused at its gates did not). */
export function bundleAfterRun(dir: string, check?: unknown): IncidentBundle | undefined {
  if (!existsSync(join(dir, 'journal.jsonl'))) return undefined;
  return makeIncidentBundle(dir, new Date(), check);
}

/** What a run prints at its end: where the bundle is, and the status text. */
export function bundleLines(b: IncidentBundle): string[] {
  return [
    `incident bundle: ${b.path}`,
    `  (copy it off this headnode: scp root@<this headnode>:${b.path} .)`,
    'status (for a status page):',
    ...b.status.map((l) => `  ${l}`),
  ];
}
