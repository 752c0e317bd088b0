// Line-mode confirmations for `restore` on a terminal without the full-screen
// console: one question per service, answers as words or their first letter.
import { createInterface } from 'node:readline/promises';
import type { PlanStep } from '../../state/plan.js';
import { describeAction } from '../../state/plan.js';
import type { Answer } from '../../steps/restore.js';
import type { ConvertAnswer } from '../../steps/convert-run.js';
import type { ConvertStepPlan } from '../../state/convert-plan.js';
import { describeConvertAction } from '../../state/convert-describe.js';

export function linePrompter(input: NodeJS.ReadableStream, output: NodeJS.WritableStream) {
  const rl = createInterface({ input, output, terminal: false });
  const ask = async (q: string): Promise<string> => (await rl.question(q)).trim().toLowerCase();
  return {
    async confirm(step: PlanStep, i: number, n: number): Promise<Answer> {
      output.write(`\n[${i + 1}/${n}] ${step.service}: ${step.alias} ${step.uuid} ${step.adminIp}\n`);
      for (const note of step.notes) output.write(`  note: ${note}\n`);
      for (const a of step.actions) output.write(`  ${a.host}$ ${describeAction(a)}\n`);
      for (;;) {
        const a = await ask('go, skip, all (no more questions), pause? [go] ');
        if (a === '' || a === 'g' || a === 'go') return 'go';
        if (a === 's' || a === 'skip') return 'skip';
        if (a === 'p' || a === 'pause') return 'pause';
        if (a === 'a' || a === 'all') {
          const sure = await ask(`run the remaining ${n - i} service(s) without asking again? type "all" to confirm: `);
          if (sure === 'all') return 'all';
        }
      }
    },
    async skipReason(step: PlanStep): Promise<string> {
      const why = await ask(`why skip ${step.alias}? (for the journal) `);
      return why || 'skipped by the operator';
    },
    close(): void {
      rl.close();
    },
  };
}

/** Line-mode confirmations for `convert`: one question per step, with its commands. */
export function convertPrompter(input: NodeJS.ReadableStream, output: NodeJS.WritableStream) {
  const rl = createInterface({ input, output, terminal: false });
  return {
    async confirm(step: ConvertStepPlan, i: number, n: number): Promise<ConvertAnswer> {
      output.write(`\n[${i + 1}/${n}] ${step.title} (on ${step.where})\n`);
      for (const note of step.notes) output.write(`  note: ${note}\n`);
      for (const a of step.actions) output.write(`  ${describeConvertAction(a)}\n`);
      for (;;) {
        const a = (await rl.question('go or stop? [go] ')).trim().toLowerCase();
        if (a === '' || a === 'g' || a === 'go') return 'go';
        if (a === 's' || a === 'stop') return 'stop';
      }
    },
    close(): void {
      rl.close();
    },
  };
}
