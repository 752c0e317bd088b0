// Which SAPI services a sync pulls, and in which order: the vm services of the
// sdc application that have instances, in restore order, so a sync cut short
// has the services a restore needs first.
import { restoreRank } from '../../catalogue.js';
import { ServiceName } from '../../values/schemas.js';
import type { DcFacts } from './dc-facts.js';

export interface ServiceWork {
  service: DcFacts['services'][number];
  instances: DcFacts['instances'];
}

/** SAPI's vm services of the sdc application with their instances, in restore order; a name restore-data cannot hold is a warning. */
export function servicesToSync(facts: DcFacts, warnings: string[]): ServiceWork[] {
  const out: ServiceWork[] = [];
  for (const s of facts.services) {
    if ((s.type ?? 'vm') !== 'vm') continue;
    if (!ServiceName.safeParse(s.name).success) {
      warnings.push(`SAPI service "${s.name}" has a name restore-data cannot hold: skipped`);
      continue;
    }
    const instances = facts.instances.filter((i) => i.service_uuid === s.uuid && (i.type ?? 'vm') === 'vm');
    if (instances.length > 0) out.push({ service: s, instances });
  }
  return out.sort(
    (a, b) => restoreRank(a.service.name) - restoreRank(b.service.name) || a.service.name.localeCompare(b.service.name),
  );
}
