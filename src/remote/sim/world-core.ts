// The simulated DC's state and its plumbing: clock and latencies, lookups,
// the scenario's faults, events and atomic persistence. Every change is
// persisted before the command that made it returns, so a console killed at
// any moment finds the DC exactly as it left it. The physics, what the DC
// does, is SimWorld's (world.ts), which extends this.
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Scenario, ScenarioInstance, ScenarioServer } from './scenario.js';
import { initialState, type SimState } from './initial-state.js';

export interface WorldOptions {
  /** Divides every latency. */
  speed?: number;
  /** Live state is written here after every change. */
  statePath?: string;
  now?: () => number;
}

export type FaultEffect = 'fail' | 'hang' | 'disconnect';

export class WorldCore {
  readonly state: SimState;
  readonly speed: number;
  readonly statePath: string | undefined;
  private readonly clock: () => number;

  constructor(scenario: Scenario, opts: WorldOptions = {}) {
    this.speed = opts.speed && opts.speed > 0 ? opts.speed : 1;
    this.statePath = opts.statePath;
    this.clock = opts.now ?? Date.now;
    this.state = scenario.sim ? (scenario as SimState) : initialState(scenario, this.clock());
  }

  now(): number {
    return this.clock();
  }

  /** A scenario latency, scaled by --sim-speed. */
  latency(key: string): number {
    const l = this.state.latencyMs;
    const ms = l[key] ?? l[key.split(' ')[0]!] ?? l['default'] ?? 0;
    return ms / this.speed;
  }

  scaled(ms: number): number {
    return ms / this.speed;
  }

  // ---- lookups ---------------------------------------------------------

  server(hostname: string): ScenarioServer | undefined {
    return this.state.servers.find((s) => s.hostname === hostname);
  }

  serverByUuid(uuid: string): ScenarioServer | undefined {
    return this.state.servers.find((s) => s.uuid === uuid);
  }

  serverByIp(ip: string): ScenarioServer | undefined {
    return this.state.servers.find((s) => s.adminIp === ip);
  }

  /** A scenario latency with a default of its own (not the scenario's "default"). */
  latencyOr(key: string, fallbackMs: number): number {
    return (this.state.latencyMs[key] ?? fallbackMs) / this.speed;
  }

  instancesOn(hostname: string): ScenarioInstance[] {
    return this.state.instances.filter((i) => i.server === hostname && i.state !== 'destroyed');
  }

  instanceOn(hostname: string, uuid: string): ScenarioInstance | undefined {
    return this.instancesOn(hostname).find((i) => i.uuid === uuid);
  }

  imagesOn(server: ScenarioServer): string[] {
    return server.images ?? this.state.images.map((i) => i.uuid);
  }

  event(what: string): void {
    this.state.sim.events.push({ at: this.now(), what });
  }

  // ---- faults ------------------------------------------------------------

  /**
   * The fault that applies to this command or HTTP call, if any; consumes one
   * of its `times`. `what` is "vmadm create ..." or "GET /vms?..."; `payload`
   * what was fed on stdin, which `match` also sees.
   */
  takeFault(tool: string, sub: string | undefined, what: string, payload?: string): FaultEffect | undefined {
    for (const f of this.state.faults) {
      if (!('command' in f)) continue;
      const [ft, fs] = f.command.split(/\s+/, 2);
      if (ft !== tool) continue;
      if (fs !== undefined && !(sub ?? '').startsWith(fs)) continue;
      if (f.match !== undefined && !what.includes(f.match) && !(payload ?? '').includes(f.match)) continue;
      const fired = f.fired ?? 0;
      if (f.times !== undefined && fired >= f.times) continue;
      f.fired = fired + 1;
      this.commit();
      return f.effect;
    }
    return undefined;
  }

  /** Make every delegated-dataset snapshot older by this much simulated time (a drill's "5 minutes later"). */
  backdateSnapshots(simulatedMs: number): void {
    for (const i of this.state.instances) for (const s of i.snapshots ?? []) s.at -= simulatedMs / this.speed;
    this.commit();
  }

  // ---- persistence ---------------------------------------------------------

  /** Write the live state: temp file, fsync, rename (atomic on one filesystem). */
  commit(): void {
    if (!this.statePath) return;
    mkdirSync(dirname(this.statePath), { recursive: true });
    const tmp = `${this.statePath}.tmp-${process.pid}`;
    const fd = openSync(tmp, 'w', 0o644);
    try {
      writeSync(fd, JSON.stringify(this.state, null, 2) + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.statePath);
  }
}
