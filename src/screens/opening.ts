// The console's first words, written before ink and the DC are loaded (the
// first paint goal of issue 15: something useful within 0.5 s). They say the
// program runs, what it opens, and that nothing changes yet; the home screen
// replaces them. Pure: the caller writes them.

export interface OpeningFacts {
  version: string;
  /** What is being opened: the built-in drill, a scenario file, or this headnode's DC. */
  dc: { kind: 'demo' } | { kind: 'sim'; file: string } | { kind: 'real'; restoreDataDir?: string };
  cols: number;
}

// Printable ASCII only, so a character is a column and erasing counts right; a
// path's control characters (a newline, an ESC) never reach the terminal.
const ascii = (text: string): string => text.replace(/[^\x20-\x7e]/g, '?');
const cut = (line: string, cols: number): string => (line.length > cols - 1 ? line.slice(0, cols - 1) : line);

/** Short lines (never wider than the terminal, so erasing them moves up exactly their count), ASCII only. */
export function openingLines(f: OpeningFacts): string[] {
  const what =
    f.dc.kind === 'demo'
      ? 'the simulated DC (built-in drill scenario)'
      : f.dc.kind === 'sim'
        ? `the simulated DC of ${f.dc.file}`
        : f.dc.restoreDataDir
          ? `this DC (restore-data in ${f.dc.restoreDataDir})`
          : "this headnode's DC and its restore-data";
  // Two lines: on a 9600-baud line every byte is a millisecond.
  return [
    `triton-recover ${f.version}: opening ${what}...`,
    'Status follows. Nothing changes until you choose a job and confirm it.',
  ].map((l) => cut(ascii(l), f.cols));
}

/** Moves back over the opening lines and erases them, so the first frame starts where they did. */
export function eraseOpening(lineCount: number): string {
  return lineCount > 0 ? `\r\x1b[${lineCount}A\x1b[J` : '';
}
