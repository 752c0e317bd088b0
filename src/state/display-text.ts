// Text from restore-data, a journal or a scenario reaches a terminal and the
// report: an alias holding "\n\x1b[2KDONE" must not forge a line. Escape
// sequences go, other control characters become a space (a newline too,
// unless the caller keeps it between lines it built itself).
const ESCAPES =
  /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)?|\x1b[PX^_][^\x1b]*(\x1b\\)?|\x1b[@-Z\\-_]?|\x9b[0-?]*[ -/]*[@-~]/g;
// C0 (but \n), DEL, C1, and the Unicode line separators and bidi overrides that reorder what is shown.
const CONTROLS = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function sanitizeForDisplay(text: string, opts: { keepNewlines?: boolean } = {}): string {
  const s = text.replace(ESCAPES, '').replace(CONTROLS, ' ');
  return opts.keepNewlines ? s : s.replace(/\n/g, ' ');
}

/** Lines built by a formatter: each line cleaned on its own, then joined. */
export function displayLines(lines: readonly string[]): string {
  return lines.map((l) => sanitizeForDisplay(l)).join('\n');
}
