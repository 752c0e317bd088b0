// `vmadm get|lookup|list|create|start|stop`: argv and stdin in, vmadm's answers out;
// what a create or a start does to the DC is the world's (world.ts).
import { Uuid } from '../../../values/schemas.js';
import { err, ok, type CmdResult } from '../cmd-result.js';
import { vmadmObject } from '../formats/vm.js';
import type { ScenarioInstance, ScenarioServer } from '../scenario.js';
import type { SimWorld } from '../world.js';

export function vmadm(world: SimWorld, srv: ScenarioServer, args: string[], stdin: Buffer): CmdResult {
  const [sub, ...rest] = args;
  const find = (uuid: string | undefined): ScenarioInstance | undefined =>
    uuid ? world.instanceOn(srv.hostname, uuid) : undefined;
  switch (sub) {
    case 'get': {
      const inst = find(rest[0]);
      if (!inst) return err(1, `Could not load VM ${rest[0] ?? ''}: No such zone configured`);
      return ok(JSON.stringify(vmadmObject(world, inst), null, 2) + '\n');
    }
    case 'lookup': {
      const json = rest.includes('-j');
      const filters = rest.filter((a) => a.includes('='));
      const match = world.instancesOn(srv.hostname).filter((inst) => {
        const o = vmadmObject(world, inst);
        return filters.every((f) => {
          const [k, v] = f.split('=', 2) as [string, string];
          return String(getPath(o, k)) === v;
        });
      });
      if (json)
        return ok(
          JSON.stringify(
            match.map((i) => vmadmObject(world, i)),
            null,
            2,
          ) + '\n',
        );
      return ok(match.map((i) => `${i.uuid}\n`).join(''));
    }
    case 'list': {
      const rows = world
        .instancesOn(srv.hostname)
        .map((i) => `${i.uuid}:${i.state === 'setup_failed' ? 'running' : i.state}:${i.alias}`);
      return ok(rows.map((r) => `${r}\n`).join(''));
    }
    case 'create':
      return vmadmCreate(world, srv, stdin);
    case 'start': {
      const inst = find(rest[0]);
      if (!inst) return err(1, `Could not load VM ${rest[0] ?? ''}: No such zone configured`);
      // Real vmadm treats starting a running VM as done (exit 0).
      if (world.startZone(inst) === 'already-running') return ok('', `VM ${inst.uuid} is already running\n`);
      return ok('', `Successfully started VM ${inst.uuid}\n`);
    }
    case 'stop': {
      const inst = find(rest.find((a) => Uuid.safeParse(a).success));
      if (!inst) return err(1, `Could not load VM ${rest[0] ?? ''}: No such zone configured`);
      if (world.stopZone(inst) === 'already-stopped')
        return ok('', `VM ${inst.uuid} is already not 'running' (currently: stopped)\n`);
      return ok('', `Successfully completed stop for VM ${inst.uuid}\n`);
    }
    default:
      return err(
        2,
        `vmadm: unknown command '${sub ?? ''}' (the simulator knows get, lookup, list, create, start, stop)`,
      );
  }
}

function getPath(o: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((acc, k) => (acc && typeof acc === 'object' ? (acc as Record<string, unknown>)[k] : undefined), o);
}

function vmadmCreate(world: SimWorld, srv: ScenarioServer, stdin: Buffer): CmdResult {
  let raw: unknown;
  try {
    raw = JSON.parse(stdin.toString('utf8'));
  } catch {
    return err(1, 'Invalid JSON payload on stdin');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return err(1, 'Invalid payload: not an object');
  const uuid = String((raw as Record<string, unknown>)['uuid'] ?? '');
  if (!Uuid.safeParse(uuid).success)
    return err(1, 'vmadm: ERROR: payload needs a valid "uuid" (the simulator does not generate one)');
  const made = world.createZone(srv, raw as Record<string, unknown>);
  if (made.kind === 'refused') return err(1, made.error);
  if (made.kind === 'image-missing')
    return err(1, `vmadm: ERROR: image ${made.image} does not exist in zpool zones (install it with imgadm first)`);
  return ok('', [...made.warnings, `Successfully created VM ${uuid}`].join('\n') + '\n');
}
