// The linear console (--plain, and TERM=dumb): the same reducer, the same
// views, but printed as lines for serial logs and screen readers. Each state
// change prints only what is new (a screen's content once, a line that changed
// once more, log lines as they come, a question as a numbered line) and never
// moves the cursor; answers are typed lines (a number or a word). Pure: state
// in, lines and inputs out; the I/O is src/app/console/run-plain.ts's.
import {
  CONVERT_CHOICES,
  FAILURE_CHOICES,
  FENCE_CHOICES,
  STEP_CHOICES,
  YES_NO,
  type Choice,
} from '../state/choices.js';
import type { ConsoleState, Input, Prompt } from '../state/console/index.js';
import { sanitizeForDisplay } from '../state/display-text.js';
import { SCREENS } from './screens.js';
import type { Theme } from './theme.js';
import { bannerView } from './views/banner.js';
import { helpView } from './views/help.js';
import { promptView } from './views/prompt.js';
import type { Line, ViewCtx } from './views/line.js';

/** Tall enough that no view cuts or pages: the scrollback is the pager. */
const ALL = 100_000;

/** A question's lines are laid out this wide: nothing of a failed command is cut off. */
const PROMPT_WIDTH = 1_000;

export const PLAIN_THEME: Theme = { color: false, ascii: true, serial: true, tickMs: 5_000 };

const CHOICES: Partial<Record<Prompt['kind'], readonly Choice[]>> = {
  step: STEP_CHOICES,
  all: YES_NO,
  failure: FAILURE_CHOICES,
  'convert-step': CONVERT_CHOICES,
  quit: YES_NO,
  'fence-method': FENCE_CHOICES,
};

export const lineText = (l: Line): string =>
  sanitizeForDisplay(
    l
      .filter((x) => !x.spinner)
      .map((x) => x.text)
      .join(''),
  ).trimEnd();

/** "1) go  2) skip (asks why)  3) all the rest  4) pause" */
export function numbered(list: readonly Choice[]): string {
  return list.map((c, i) => `${i + 1}) ${c.hint}`).join('  ');
}

/** The body as the linear console shows it: the run screen as its log, every other screen whole. */
function body(s: ConsoleState, width: number): string[] {
  const ctx: ViewCtx = { theme: PLAIN_THEME, width, height: ALL };
  if (s.help) return helpView(s, ctx).map(lineText);
  if (s.screen === 'run') {
    const r = s.run;
    const done = r.services.filter((x) => x.status === 'done').length;
    return [`${done}/${r.services.length} zones done`, ...r.log.map((l) => sanitizeForDisplay(l.text))];
  }
  return SCREENS[s.screen].body(s, ctx).lines.map(lineText);
}

/** A question as lines: its text, then its numbered choices or what to type. */
export function promptLines(p: Prompt, s: ConsoleState, width: number): string[] {
  const view = promptView(p, s, { theme: PLAIN_THEME, width, height: ALL });
  const list = CHOICES[p.kind];
  if (list) {
    // The question's words without the highlighted-choice buttons and the key hints, then the numbers.
    const ids = new Set(list.flatMap((c) => [c.id, `[${c.id}]`]));
    const words = view
      .filter((l) => !l.every((seg) => seg.tone === 'dim'))
      .map((l) => (l.some((seg) => ids.has(seg.text.trim())) ? lineText(l.slice(0, 1)) : lineText(l)));
    return [...words.filter((l) => l !== ''), `${numbered(list)}: `];
  }
  // A typed field: its words, without the cursor and what is typed so far.
  const lines = view.map((l) => lineText(l.filter((seg) => !seg.text.endsWith('_') || seg.bold)));
  return [
    ...lines.filter((l) => !l.startsWith('Enter: check it')),
    '(type it, then Enter; an empty line for Esc is "esc")',
  ];
}

/** What a typed line means to the reducer, given what is on screen. */
export function plainInputs(s: ConsoleState, typed: string): Input[] {
  const line = typed.replace(/[\r\n]+$/, '');
  const word = line.trim().toLowerCase();
  const p = s.help ? undefined : s.prompt;
  if (s.help) return [{ t: 'back' }];
  if (word === 'esc' || word === 'back') return [{ t: 'back' }];
  if (p) {
    const list = CHOICES[p.kind];
    if (list) {
      // An empty line where nothing is preselected (the fence): Enter, which the reducer answers with "pick one".
      if (word === '' && 'choice' in p && p.choice < 0) return [{ t: 'enter' }];
      // A number or a word picks the choice; it reaches the reducer as the choice's letter,
      // which every question takes (a yes/no question takes no digits).
      const n = Number(word);
      const i = /^\d+$/.test(word)
        ? n - 1
        : list.findIndex(
            (c) =>
              word !== '' &&
              (c.id === word || c.hint.toLowerCase().startsWith(word) || (word.length === 1 && c.keys.includes(word))),
          );
      const c = list[i];
      return c ? [{ t: 'char', c: c.keys[0]! }] : [];
    }
    // A typed field takes the line as it is, then Enter.
    return [
      ...[...line].map((c): Input => (/[0-9]/.test(c) ? { t: 'digit', n: Number(c) } : { t: 'char', c })),
      { t: 'enter' },
    ];
  }
  if (word === '') return [{ t: 'enter' }];
  if (word === 'quit' || word === 'q') return [{ t: 'quit' }];
  if (word === 'help' || word === '?') return [{ t: 'help' }];
  if (/^\d$/.test(word)) return [{ t: 'digit', n: Number(word) }];
  return [...word].map((c): Input => ({ t: 'char', c }));
}

/** Remembers what was printed; each call returns only the lines that are new. */
export class PlainPrinter {
  private screen = '';
  private seen = new Map<string, number>();
  private prompt = '';
  private banner = '';

  constructor(private readonly width = 79) {}

  next(s: ConsoleState): string[] {
    const out: string[] = [];
    // The banner (a primary back, the run's fence) once each time it changes, before anything else.
    const banner = s.help ? [] : bannerView(s, { theme: PLAIN_THEME, width: this.width, height: ALL }).map(lineText);
    if (banner.join('\n') !== this.banner) {
      this.banner = banner.join('\n');
      out.push(...banner);
    }
    const key = s.help ? 'help' : s.screen;
    const lines = body(s, this.width);
    while (lines.length && lines.at(-1) === '') lines.pop();
    if (key !== this.screen) {
      this.screen = key;
      this.seen = new Map();
      out.push('', `== ${s.help ? 'HELP' : SCREENS[s.screen].title} ==`);
      for (const l of lines) {
        out.push(l);
        this.count(l);
      }
      if (!s.help && !s.prompt)
        out.push(
          `(${SCREENS[s.screen]
            .footer(s)
            .replace(/\?:help/, '?: help')
            .trim()}; type a number or a word, then Enter)`,
        );
    } else {
      // Only what was not printed on this screen before: new log lines, a changed line once.
      const now = new Map<string, number>();
      for (const l of lines) {
        const n = (now.get(l) ?? 0) + 1;
        now.set(l, n);
        if (l !== '' && n > (this.seen.get(l) ?? 0)) {
          out.push(l);
          this.count(l);
        }
      }
    }
    const p = s.prompt && !s.help ? s.prompt : undefined;
    const pk = p ? JSON.stringify({ ...p, typed: undefined, choice: undefined }) : '';
    if (pk !== this.prompt) {
      this.prompt = pk;
      // Wide: a question's lines (the failure's command) are never cut; the terminal wraps them.
      if (p) out.push(...promptLines(p, s, PROMPT_WIDTH));
    }
    return out;
  }

  private count(l: string): void {
    this.seen.set(l, (this.seen.get(l) ?? 0) + 1);
  }
}
