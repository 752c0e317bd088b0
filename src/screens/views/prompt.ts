// The question at the bottom of the screen, when the run needs the operator.
import {
  CONVERT_CHOICES,
  FAILURE_CHOICES,
  FENCE_CHOICES,
  STEP_CHOICES,
  YES_NO,
  choiceHints,
  type Choice,
} from '../../state/choices.js';
import type { ConsoleState, Prompt } from '../../state/console/index.js';
import { spec } from '../../catalogue.js';
import { fit } from '../theme.js';
import { L, wrap, type Line, type Seg, type ViewCtx } from './line.js';

function choices(list: readonly Choice[], at: number): Seg[] {
  return list.flatMap((c, i) => [
    { text: ' ' },
    { text: i === at ? `[${c.id}]` : ` ${c.id} `, inverse: i === at, bold: i === at },
  ]);
}

/** "y yes, n or Esc no": Esc declines every yes/no question. */
const [NO, YES] = YES_NO;
const yesNoHint = (yes: string, no: string): string => `${YES.keys[0]} ${yes}, ${NO.keys[0]} or Esc ${no}`;

export function promptView(p: Prompt, s: ConsoleState, c: ViewCtx): Line[] {
  switch (p.kind) {
    case 'step':
      return [
        [
          { text: `[${p.index + 1}/${p.total}] Restore ${p.alias} (${p.service})?`, bold: true },
          ...choices(STEP_CHOICES, p.choice),
        ],
        L(`${choiceHints(STEP_CHOICES)}   or 1-${STEP_CHOICES.length}, arrows+Enter`, 'dim'),
      ];
    case 'all':
      return [
        [
          { text: `Run the remaining ${p.remaining} zone(s) without asking again?`, bold: true },
          ...choices(YES_NO, p.choice),
        ],
        L(yesNoHint('yes', 'no'), 'dim'),
      ];
    case 'hostname':
      return [
        ...wrap(p.why, c.width - 1).map((w) => L(w, 'warn')),
        ...(p.error ? [L(p.error, 'fail')] : []),
        [{ text: `Type the dead primary's hostname to confirm: `, bold: true }, { text: `${p.typed}_` }],
      ];
    case 'fence-method':
      return [
        ...(p.error ? [L(p.error, 'fail')] : []),
        [{ text: `How was ${fit(p.hostname, 20)} fenced?`, bold: true }, ...choices(FENCE_CHOICES, p.choice)],
        ...wrap(`${choiceHints(FENCE_CHOICES, ', ')}   or 1-${FENCE_CHOICES.length}; Esc back`, c.width - 1).map((w) =>
          L(w, 'dim'),
        ),
      ];
    case 'skip-reason': {
      const warn = p.from.kind === 'step' ? spec(p.from.service)?.skipWarning : undefined;
      return [
        ...(warn ? wrap(`WARNING: ${warn}`, c.width - 1).map((w) => L(w, 'warn')) : []),
        [
          { text: `Why skip ${fit(p.alias, 30)}? (for the journal, Enter to skip, Esc back) `, bold: true },
          { text: `${p.typed}_` },
        ],
      ];
    }
    case 'failure': {
      const f = s.run.failure;
      const out: Line[] = [];
      if (f) {
        out.push([{ text: 'FAILED ', tone: 'fail', bold: true }, { text: fit(`${f.what}`, c.width - 8) }]);
        out.push(L(fit(`  on ${f.host}: ${f.command}`, c.width)));
        for (const l of f.output.split('\n').slice(0, 3)) out.push(L(fit(`  | ${l}`, c.width), 'dim'));
        for (const w of wrap(`next: ${f.hint}`, c.width - 1, '  ').slice(0, 2)) out.push(L(w, 'warn'));
      }
      out.push([
        { text: 'What now?', bold: true },
        ...choices(FAILURE_CHOICES, p.choice),
        { text: `  ${choiceHints(FAILURE_CHOICES, ', ')}`, tone: 'dim' },
      ]);
      return out;
    }
    case 'no-quorum':
      return [
        ...wrap(p.risk, c.width - 1).map((w) => L(w, 'warn')),
        ...(p.error ? [L(p.error, 'fail')] : []),
        [
          { text: `Type ${p.word} to restore under the per-headnode lock (Esc: do not): `, bold: true },
          { text: `${p.typed}_` },
        ],
      ];
    case 'accept-change':
      return [
        L('Accepting leaves the change as it is and stops listing it (journaled with your name).', 'warn'),
        ...(p.error ? [L(p.error, 'fail')] : []),
        [
          { text: 'Type the word in [brackets] of the change to accept (Esc: none): ', bold: true },
          { text: `${p.typed}_` },
        ],
      ];
    case 'server':
      return [
        [{ text: 'Compute node to convert (hostname or UUID): ', bold: true }, { text: `${p.typed}_` }],
        L('Enter: check it (nothing changes yet)   Esc: back', 'dim'),
      ];
    case 'convert-step':
      return [
        [
          { text: fit(`[${p.index + 1}/${p.total}] ${p.title}?`, c.width - 18), bold: true },
          ...choices(CONVERT_CHOICES, p.choice),
        ],
        L(choiceHints(CONVERT_CHOICES), 'dim'),
      ];
    case 'quit':
      return [
        [{ text: 'Quit now? The journal keeps it all; reopen to resume.', bold: true }, ...choices(YES_NO, p.choice)],
        L(yesNoHint('quit', 'stay'), 'dim'),
      ];
  }
}
