// `convert SERVER`: the pre-checks and the steps, for the operator to read.
// (Running the steps is the next increment; this one changes nothing.)
import type { Dc } from '../remote/dc.js';
import { convertProblems, type ConvertFacts, type ConvertProblem } from '../state/convert-checks.js';
import { convertSteps, type ConvertStep } from '../state/convert-plan.js';
import { gatherConvertFacts } from './convert-facts.js';
import { inventoryFromRestoreData, readRestoreData } from './restore-data.js';

export interface ConvertCheck {
  facts: ConvertFacts;
  problems: ConvertProblem[];
  steps: ConvertStep[];
}

export async function checkConvert(dc: Dc, query: string, timeoutMs?: number): Promise<ConvertCheck> {
  const inv = inventoryFromRestoreData(await readRestoreData(dc.restoreDataDir));
  const facts = await gatherConvertFacts(dc, inv, query, timeoutMs);
  const problems = convertProblems(facts);
  const t = facts.target;
  const count = (svc: string): number => inv.instances.filter((i) => i.service === svc).length;
  const steps = t && !t.headnode
    ? convertSteps({
        local: dc.local.name,
        target: { hostname: t.hostname, uuid: t.uuid },
        binders: count('binder'),
        manatees: count('manatee'),
        morays: count('moray'),
        dhcpdOnTarget: inv.instances.some((i) => i.service === 'dhcpd' && i.serverUuid === t.uuid),
      })
    : [];
  return { facts, problems, steps };
}

export function formatConvertText(c: ConvertCheck): string {
  const out: string[] = [];
  const t = c.facts.target;
  out.push(`Convert ${t ? `${t.hostname} (${t.uuid})` : c.facts.query} into a secondary headnode`);
  out.push('');
  if (c.problems.length === 0) out.push('Pre-checks: all passed');
  else {
    out.push('Pre-checks:');
    for (const p of c.problems) out.push(`  ${p.severity === 'critical' ? 'CRIT' : 'WARN'} ${p.code}: ${p.message}${p.fix ? `\n       fix: ${p.fix}` : ''}`);
  }
  if (c.steps.length > 0) {
    out.push('', 'Steps (each asks first; the server reboots twice):');
    c.steps.forEach((s, i) => {
      out.push(`  ${i + 1}. ${s.title}  [on ${s.where}]`);
      for (const w of s.what) out.push(`       - ${w}`);
    });
  }
  return out.join('\n') + '\n';
}
