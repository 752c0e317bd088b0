// A failed conversion action, said the way an operator needs it: what, where,
// the command, its output, and what to do next.
import type { ConvertAction } from '../../state/convert-action.js';

export class ConvertFailed extends Error {
  constructor(
    readonly action: ConvertAction,
    readonly host: string,
    readonly command: string,
    readonly output: string,
    readonly hint: string,
  ) {
    super(`${action.summary} failed on ${host}: ${output.split('\n')[0] ?? ''}`);
    this.name = 'ConvertFailed';
  }
}
