import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile, parseScenario, ScenarioError } from '../../src/remote/sim/scenario.js';
import { builtinPath, contractScenarioPath, rawScenario, tempDir } from '../support/sim-dc.js';

describe('scenario files', () => {
  it('accepts the contract reference scenario exactly as it is', async () => {
    const s = await loadScenarioFile(contractScenarioPath);
    expect(s.name).toBe('primary-dead');
    expect(s.localServer).toBe('headnode1');
    expect(s.servers.find((x) => x.hostname === 'headnode0')?.alive).toBe(false);
    expect(s.instances).toHaveLength(32);
    expect(s.restoreData.services['cmon']?.syncedSecondsAgo).toBe(93600);
    expect(s.latencyMs['zone first boot']).toBe(8000);
  });

  it('ships the contract scenario unchanged as the built-in demo', () => {
    expect(JSON.parse(readFileSync(builtinPath, 'utf8'))).toEqual(
      JSON.parse(readFileSync(contractScenarioPath, 'utf8')),
    );
  });

  const bad: [string, (s: Record<string, any>) => void, RegExp][] = [
    [
      'a bad admin IP',
      (s) => (s.instances[3].adminIp = '10.99.999.16'),
      /field instances\[3\]\.adminIp: not an IPv4 address/,
    ],
    ['a missing server uuid', (s) => delete s.servers[1].uuid, /field servers\[1\]\.uuid/],
    [
      'an unknown local server',
      (s) => (s.localServer = 'headnode9'),
      /field localServer: "headnode9" is not one of servers/,
    ],
    ['an instance on an unknown server', (s) => (s.instances[0].server = 'nowhere'), /field instances\[0\]\.server/],
    [
      'an image that is not listed',
      (s) => (s.instances[2].image = '00000000-0000-0000-0000-000000000000'),
      /field instances\[2\]\.image/,
    ],
    [
      'a fault with an unknown effect',
      (s) => (s.faults = [{ command: 'vmadm create', effect: 'explode' }]),
      /field faults\[0\]/,
    ],
    ['a manatee role naming no instance', (s) => (s.manatee.sync = 'manatee7'), /field manatee: "manatee7"/],
    [
      'a partition naming an unknown server',
      (s) => (s.partitions = [{ from: 'headnode1', to: 'headnode9' }]),
      /field partitions\[0\]\.to: "headnode9" is not one of servers/,
    ],
    [
      'a partition of a server from itself',
      (s) => (s.partitions = [{ from: 'cn0', to: 'cn0' }]),
      /field partitions\[0\]: a partition cuts two different servers apart/,
    ],
    ['a wrong format version', (s) => (s.scenario = 2), /field scenario/],
  ];
  for (const [what, edit, msg] of bad) {
    it(`names the field for ${what}`, () => {
      const s = rawScenario() as Record<string, any>;
      edit(s);
      expect(() => parseScenario(s, 'x.json')).toThrow(msg);
      expect(() => parseScenario(s, 'x.json')).toThrow(ScenarioError);
    });
  }

  it('says so when the file is not JSON', async () => {
    const f = join(tempDir(), 'broken.json');
    writeFileSync(f, '{"scenario": 1,');
    await expect(loadScenarioFile(f)).rejects.toThrow(/broken\.json: not valid JSON/);
  });
});
