// The one failure of an action, for the restore and the conversion alike: what
// failed, on which host, the command, its output and what to do next. The
// runner (run-action.ts) journals it and the CLI and console show its fields.
import { redactText } from '../../state/redact.js';

/** A failed action, said the way an operator needs it: what, where, the command, output, next step. */
export class ActionFailed<A extends { summary: string } = { summary: string }> extends Error {
  /** Shown, journaled and reported: redacted (an API error may echo a payload). */
  readonly output: string;
  constructor(
    readonly action: A,
    readonly host: string,
    readonly command: string,
    output: string,
    readonly hint: string,
  ) {
    const shown = redactText(output);
    super(`${action.summary} failed on ${host}: ${shown.split('\n')[0] ?? ''}`);
    this.name = 'ActionFailed';
    this.output = shown;
  }
}
