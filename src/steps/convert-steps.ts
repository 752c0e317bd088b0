// A conversion's step loop: each step confirmed (unless --yes), then its
// actions through the shared journaled runner (procedure/run-action.ts) with
// the conversion's handlers (convert/); a failure ends the run with what to do.
import { readFileSync } from 'node:fs';
import type { Host } from '../remote/host.js';
import type { ConvertAction } from '../state/convert-action.js';
import { describeConvertAction } from '../state/convert-describe.js';
import type { ConvertPlan } from '../state/convert-plan.js';
import { EXIT } from '../state/exit-codes.js';
import { redactText } from '../state/redact.js';
import {
  ActionFailed,
  DEFAULT_CONVERT_TIMING,
  executeConvert,
  prepareConvert,
  type ConvertContext,
  type ConvertTiming,
} from './convert/index.js';
import type { ConvertCheck } from './convert.js';
import type { ConvertOptions, ConvertOutcome } from './convert-options.js';
import type { JobJournal } from './procedure/job-journal.js';
import { runJournaledAction, type ActionHandler } from './procedure/run-action.js';
import { stopWhy } from './stop-request.js';

const SCRIPT = new URL('../../share/headnode-prepare.sh', import.meta.url);

/** Runs each step not yet finished, in order; the journal `jj` is open, `journaled` is what earlier runs left. */
export async function runSteps(
  o: ConvertOptions,
  plan: ConvertPlan,
  jj: JobJournal,
  finished: ReadonlyMap<string, unknown>,
  check: ConvertCheck,
  journaled: ConvertContext['journaled'],
): Promise<ConvertOutcome> {
  const ev = o.events ?? {};
  const timing: ConvertTiming = { ...DEFAULT_CONVERT_TIMING, ...o.timing };
  const t = plan.target;
  const ips = new Map<string, string>();
  const hosts = new Map<string, Host>();
  const ctx: ConvertContext = {
    dc: o.dc,
    timing,
    target: { hostname: t.hostname, uuid: t.uuid },
    cnapiUrl: check.cnapiUrl,
    vmapiUrl: check.vmapiUrl,
    sapiUrl: check.sapiUrl,
    journaled,
    prepareScript: readFileSync(SCRIPT, 'utf8'),
    host: (h: string): Host => {
      if (h === o.dc.local.name) return o.dc.local;
      let x = hosts.get(h);
      if (!x) hosts.set(h, (x = o.dc.peer(h, ips.get(h) ?? check.serverIps.get(h) ?? '')));
      return x;
    },
    onOutput: (a, raw) => {
      const text = redactText(raw);
      jj.output(a.id, text, '');
      ev.output?.(a, text);
    },
    ...(o.signal ? { signal: o.signal } : {}),
  };
  const handler = convertHandler(ctx);
  const actionEvents = {
    ...(ev.actionStart ? { onStart: ev.actionStart } : {}),
    ...(ev.actionEnd ? { onEnd: ev.actionEnd } : {}),
  };
  const steps = plan.steps;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    if (finished.has(step.id)) continue;
    if (o.confirm) {
      const ans = await o.confirm(step, i, steps.length);
      jj.decided(ans, `before: ${step.title}`, step.id);
      if (ans === 'stop') {
        jj.stopped(`stopped before "${step.title}"`, EXIT.blocked);
        return {
          exitCode: EXIT.blocked,
          message: `stopped before "${step.title}"`,
          next: `${o.command} to continue where it stopped`,
          problems: [],
          check,
          plan,
        };
      }
    }
    if (o.signal?.aborted)
      return {
        exitCode: EXIT.blocked,
        message: `${stopWhy(o.signal)}: stopped before "${step.title}"`,
        next: `${o.command} to continue`,
        problems: [],
        check,
        plan,
      };
    ev.stepStart?.(step, i, steps.length);
    try {
      // Every action is checked before it runs: cheap, and never wrong after a crash.
      for (const a of step.actions)
        await runJournaledAction(handler, a, { journal: jj.journal, step: step.id, ...actionEvents });
    } catch (err) {
      const f =
        err instanceof ActionFailed
          ? err
          : new ActionFailed(
              step.actions[0]!,
              o.dc.local.name,
              step.title,
              (err as Error).message,
              'check the host and API named above, then rerun: finished steps are not repeated',
            );
      jj.stepEnded(step.id, 'failed', f.output.split('\n')[0] ?? '');
      ev.stepEnd?.(step, i, 'failed', f.output);
      jj.stopped(f.message, EXIT.failed);
      return {
        exitCode: EXIT.failed,
        message: `"${step.title}" failed on ${f.host}: ${f.action.summary}`,
        next: f.hint,
        problems: [],
        check,
        plan,
        failure: f,
      };
    }
    jj.stepEnded(step.id, 'done', step.title);
    ev.stepEnd?.(step, i, 'done', step.title);
  }
  const message = `${t.hostname} is a headnode${plan.steps.find((s) => s.id === 'ha')?.actions.length ? ' with the HA layout' : ''}`;
  jj.stopped(message, EXIT.ok);
  return { exitCode: EXIT.ok, message, problems: [], check, plan };
}

/** How the conversion's actions go through the shared runner (procedure/run-action.ts). */
function convertHandler(ctx: ConvertContext): ActionHandler<ConvertAction> {
  return {
    prepare: (x) => prepareConvert(ctx, x),
    execute: (x) => executeConvert(ctx, x),
    failure: (x, when, err) => asFailed(ctx, x, when, err),
    failureDetail: (err) => {
      const f = err as ActionFailed;
      return { journal: `${f.command}: ${f.output}`, shown: f.output };
    },
  };
}

function asFailed(ctx: ConvertContext, a: ConvertAction, when: string, err: unknown): ActionFailed {
  if (err instanceof ActionFailed) return err;
  const hint = (err as { hint?: unknown }).hint;
  return new ActionFailed(
    a,
    a.host,
    describeConvertAction(a),
    `${when}: ${(err as Error).message}`,
    typeof hint === 'string' ? hint : 'check the host and API named above, then rerun: finished steps are not repeated',
  );
}
