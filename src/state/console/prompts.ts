// The questions at the bottom of the screen: while one is open, every key is
// its answer. Choices are picked by the letters of src/state/choices.ts, by
// number, or by arrows and Enter; typed fields take characters.
import {
  CONVERT_CHOICES,
  FAILURE_CHOICES,
  FENCE_CHOICES,
  STEP_CHOICES,
  YES_NO,
  choiceByKey,
  type Choice,
} from '../choices.js';
import { fenceText } from '../fence.js';
import { only, type Input, type Result } from './events.js';
import { back } from './navigation.js';
import { CONVERT_IDLE, type ConsoleState, type Prompt } from './state.js';

/** Moving the highlighted choice: arrows, or k/j (which arrive as letters inside a question). */
function choose(choice: number, n: number, i: Input): number {
  // Nothing highlighted yet (-1): down goes to the first, up to the last.
  if (i.t === 'up' || (i.t === 'char' && i.c === 'k')) return choice < 0 ? n - 1 : (choice + n - 1) % n;
  if (i.t === 'down' || (i.t === 'char' && i.c === 'j')) return (choice + 1) % n;
  return choice;
}

/** A choice picked by Enter (the highlighted one), its number, or one of its letters. */
function picked(i: Input, choice: number, list: readonly Choice[]): number {
  if (i.t === 'enter') return choice;
  if (i.t === 'digit') return i.n - 1;
  if (i.t === 'char') return choiceByKey(list, i.c);
  return -1;
}

/** y/n questions: y/Enter-on-yes confirm; n, Esc, Enter-on-no decline. */
function yesNo(i: Input, choice: number): 'yes' | 'no' | undefined {
  const letter = i.t === 'char' ? YES_NO[choiceByKey(YES_NO, i.c)]?.id : undefined;
  if (letter === 'yes' || (i.t === 'enter' && YES_NO[choice]?.id === 'yes')) return 'yes';
  if (letter === 'no' || (i.t === 'enter' && YES_NO[choice]?.id === 'no') || i.t === 'back' || i.t === 'quit')
    return 'no';
  return undefined;
}

/** A typed field: characters and digits add, Backspace removes; undefined for any other key. */
function typing<P extends { typed: string }>(p: P, i: Input): P | undefined {
  if (i.t === 'char' || i.t === 'digit') return { ...p, typed: p.typed + (i.t === 'char' ? i.c : String(i.n)) };
  if (i.t === 'backspace') return { ...p, typed: p.typed.slice(0, -1) };
  return undefined;
}

const TEXT_FIELDS: readonly Prompt['kind'][] = ['hostname', 'skip-reason', 'server', 'no-quorum', 'accept-change'];

export function onPrompt(s: ConsoleState, p: Prompt, i: Input): Result {
  const set = (prompt: Prompt | undefined): ConsoleState => ({ ...s, prompt });
  if (!TEXT_FIELDS.includes(p.kind) && ((i.t === 'char' && i.c === '?') || i.t === 'help'))
    return only({ ...s, help: true });
  switch (p.kind) {
    case 'step': {
      const pick = picked(i, p.choice, STEP_CHOICES);
      if (pick < 0 || pick >= STEP_CHOICES.length)
        return only(set({ ...p, choice: choose(p.choice, STEP_CHOICES.length, i) }));
      const a = STEP_CHOICES[pick]!.id;
      if (a === 'all') return only(set({ kind: 'all', remaining: p.total - p.index, choice: 0, from: p }));
      if (a === 'skip') return only(set({ kind: 'skip-reason', alias: p.alias, typed: '', from: p }));
      return only(set(undefined), { t: 'answer', answer: a });
    }
    case 'all': {
      const yn = yesNo(i, p.choice);
      if (yn === 'yes') return only(set(undefined), { t: 'answer', answer: 'all' });
      if (yn === 'no') return only(set(p.from));
      return only(set({ ...p, choice: choose(p.choice, 2, i) }));
    }
    case 'no-quorum': {
      // Esc declines: the run refuses and nothing changes.
      if (i.t === 'back') return only(set(undefined), { t: 'noQuorumAnswer', yes: false });
      const typed = typing(p, i);
      if (typed) return only(set(typed));
      if (i.t !== 'enter') return only(s);
      if (p.typed.trim() !== p.word)
        return only(set({ ...p, typed: '', error: `"${p.typed.trim()}" is not ${p.word} (Esc: do not restore)` }));
      return only(set(undefined), { t: 'noQuorumAnswer', yes: true });
    }
    case 'accept-change': {
      // Esc: nothing is accepted. Only a word shown on home accepts its change.
      if (i.t === 'back') return only(set(undefined));
      const typed = typing(p, i);
      if (typed) return only(set(typed));
      if (i.t !== 'enter') return only(s);
      const word = p.typed.trim();
      if (!p.words.includes(word))
        return only(
          set({
            ...p,
            typed: '',
            error: `"${word}" is none of the words shown (${p.words.join(', ')}); Esc: accept nothing`,
          }),
        );
      return only(set(undefined), { t: 'acceptChange', word });
    }
    case 'hostname':
    case 'skip-reason': {
      if (i.t === 'back') return only(set(p.kind === 'skip-reason' ? p.from : undefined));
      const typed = typing(p, i);
      if (typed) return only(set(typed));
      if (i.t !== 'enter') return only(s);
      if (p.kind === 'skip-reason') {
        const reason = p.typed.trim() || 'skipped by the operator';
        return only(
          set(undefined),
          p.from.kind === 'failure'
            ? { t: 'failureChoice', choice: 'skip', reason }
            : { t: 'answer', answer: 'skip', reason },
        );
      }
      if (p.typed.trim() !== p.expected)
        return only(set({ ...p, typed: '', error: `"${p.typed.trim()}" is not ${p.expected}` }));
      return only(
        set({
          kind: 'fence-method',
          hostname: p.expected,
          // Nothing preselected: a bare Enter must not record a fence the operator never chose.
          choice: -1,
          from: { kind: 'hostname', expected: p.expected, typed: '', why: p.why },
        }),
      );
    }
    case 'fence-method': {
      // Esc: back to the hostname; nothing runs until a method is picked.
      if (i.t === 'back') return only(set(p.from));
      const pick = picked(i, p.choice, FENCE_CHOICES);
      if (i.t === 'enter' && pick < 0)
        return only(
          set({
            ...p,
            error: `pick one: ${FENCE_CHOICES.map((c) => c.keys[0]).join(', ')} or 1-${FENCE_CHOICES.length} (or an arrow, then Enter)`,
          }),
        );
      if (pick < 0 || pick >= FENCE_CHOICES.length) {
        const { error: _said, ...rest } = p;
        return only(set({ ...rest, choice: choose(p.choice, FENCE_CHOICES.length, i) }));
      }
      const method = FENCE_CHOICES[pick]!.id;
      return only(
        { ...set(undefined), run: { ...s.run, fence: fenceText(p.hostname, method) } },
        { t: 'startRun', fenced: p.hostname, fenceMethod: method },
      );
    }
    case 'failure': {
      const pick = picked(i, p.choice, FAILURE_CHOICES);
      if (pick < 0 || pick >= FAILURE_CHOICES.length)
        return only(set({ ...p, choice: choose(p.choice, FAILURE_CHOICES.length, i) }));
      const c = FAILURE_CHOICES[pick]!.id;
      if (c === 'skip') return only(set({ kind: 'skip-reason', alias: s.run.failure?.what ?? '', typed: '', from: p }));
      return only({ ...set(undefined), run: { ...s.run, phase: 'running' } }, { t: 'failureChoice', choice: c });
    }
    case 'server': {
      if (i.t === 'back') return only({ ...back(s), prompt: undefined });
      const typed = typing(p, i);
      if (typed) return only(set(typed));
      if (i.t !== 'enter' || p.typed.trim() === '') return only(s);
      const server = p.typed.trim();
      return only(
        { ...set(undefined), scroll: 0, convert: { ...CONVERT_IDLE, phase: 'checking', server } },
        { t: 'convertCheck', server },
      );
    }
    case 'convert-step': {
      const pick = picked(i, p.choice, CONVERT_CHOICES);
      if (pick < 0 || pick >= CONVERT_CHOICES.length)
        return only(set({ ...p, choice: choose(p.choice, CONVERT_CHOICES.length, i) }));
      return only(set(undefined), { t: 'convertAnswer', answer: CONVERT_CHOICES[pick]!.id });
    }
    case 'quit': {
      const yn = yesNo(i, p.choice);
      if (yn === 'yes') return only(set(undefined), { t: 'exit' });
      if (yn === 'no') return only(set(undefined));
      return only(set({ ...p, choice: choose(p.choice, 2, i) }));
    }
  }
}
