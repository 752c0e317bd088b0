import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/remote/errors.js';
import { CommandFailedError } from '../../src/remote/triton/command.js';
import {
  MANATEE_PG_STATUS_CMD,
  MANATEE_SHOW_CMD,
  manateePgStatus,
  manateeShow,
  parseManateePgStatus,
  parseManateeShow,
} from '../../src/remote/triton/manatee.js';
import { manateeCanWrite, manateeReplicationBlocked } from '../../src/state/cluster-health.js';
import { FakeHost } from '../support/fake-host.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const samplesDir = path.resolve(repoRoot, 'test', 'fixtures', 'samples');
const sample = (name: string): string => readFileSync(path.join(samplesDir, name), 'utf8');

/** Only the samples that carry one: `# manatee-adm ...` or a `[root@...]$ ...` prompt line. */
function stripCommandLine(text: string): string {
  return /^(# manatee-adm|\[root@)/.test(text) ? text.slice(text.indexOf('\n') + 1) : text;
}

const deposedTable = [
  { role: 'primary', peer: '301e2d2c', pg: 'ok', repl: 'sync', lag: null },
  { role: 'sync', peer: '30219700', pg: 'ok', repl: 'async', lag: null },
  { role: 'async', peer: '3022acc6', pg: 'ok', repl: null, lag: '5m42s' },
  { role: 'deposed', peer: '30250e3a', pg: 'fail', repl: null, lag: null },
];

describe('parseManateeShow on every show sample', () => {
  it('manatee-adm-show.txt: normal, healthy, no WRITE column', () => {
    const s = parseManateeShow(sample('manatee-adm-show.txt'));
    expect(s).toMatchObject({
      zookeeper: 'UNUSED',
      cluster: 'UNUSED',
      mode: 'normal',
      frozen: false,
      warnings: [],
      errors: [],
    });
    expect(s.peers.map((p) => [p.role, p.pg])).toEqual([
      ['primary', 'ok'],
      ['sync', 'ok'],
      ['async', 'ok'],
    ]);
    expect(manateeCanWrite(s)).toBe(true);
  });

  it('manatee-adm-show-deposed.txt', () => {
    const s = parseManateeShow(sample('manatee-adm-show-deposed.txt'));
    expect(s.generation).toBe(3);
    expect(s.peers).toEqual(deposedTable);
    expect(s.warnings).toEqual(['cluster has a deposed peer']);
    expect(s.peerNames).toBeUndefined();
    expect(manateeCanWrite(s)).toBe(true);
  });

  it('manatee-adm-show-v-deposed.txt: adds the PEERNAME/IP table', () => {
    const s = parseManateeShow(sample('manatee-adm-show-v-deposed.txt'));
    expect(s.peers).toEqual(deposedTable);
    expect(s.peerNames).toEqual([
      { role: 'primary', peername: '301e2d2c-cd09-11e4-837d-13ea7132a060', ip: '10.0.0.1' },
      { role: 'sync', peername: '30219700-cd09-11e4-a971-cf7f957afa2d', ip: '10.0.0.2' },
      { role: 'async', peername: '3022acc6-cd09-11e4-9716-1ff89e748aff', ip: '10.0.0.3' },
      { role: 'deposed', peername: '30250e3a-cd09-11e4-a9e0-cbb241418d62', ip: '10.0.0.4' },
    ]);
    expect(s.warnings).toEqual(['cluster has a deposed peer']);
  });

  it('manatee-adm-show-primary-down.txt: no writes', () => {
    const s = parseManateeShow(sample('manatee-adm-show-primary-down.txt'));
    expect(s.peers[0]).toEqual({ role: 'primary', peer: '301e2d2c', pg: 'fail', repl: null, lag: null });
    expect(s.errors).toEqual([
      'cannot query postgres on primary',
      'peer "301e2d2c": downstream replication peer not connected',
    ]);
    expect(manateeCanWrite(s)).toBe(false);
  });

  it('manatee-adm-show-sync-down.txt: no writes (the primary waits for a sync)', () => {
    const s = parseManateeShow(sample('manatee-adm-show-sync-down.txt'));
    expect(s.peers[1]).toMatchObject({ role: 'sync', pg: 'fail' });
    expect(s.errors).toEqual(['cannot query postgres on sync']);
    expect(manateeCanWrite(s)).toBe(false);
  });

  it('manatee-adm-show-singleton.txt: one-node-write, frozen, writable alone', () => {
    const s = parseManateeShow(sample('manatee-adm-show-singleton.txt'));
    expect(s.mode).toBe('singleton');
    expect(s.frozen).toBe(true);
    expect(s.frozenSince).toBe('2006-02-15T00:00:00.000Z');
    expect(s.freezeInfo).toBe('manatee setup: one node write mode');
    expect(s.peers).toEqual([{ role: 'primary', peer: '301e2d2c', pg: 'ok', repl: null, lag: null }]);
    expect(manateeCanWrite(s)).toBe(true);
    // The same lone primary in normal mode cannot write.
    expect(manateeCanWrite({ ...s, mode: 'normal' })).toBe(false);
  });

  // manatee's own test cases "normalPasync" and "normalPnorepl" (test/tst.manateeAdm.js.out):
  // the healthy sample's table with the primary's REPL changed, and the error line manatee prints.
  it('the primary replicating to its sync as async, or to nothing: error lines, no writes', () => {
    const healthy = sample('manatee-adm-show.txt');
    const primaryRow = /^primary  301e2d2c ok   sync  .*$/m;
    const asAsync =
      healthy.replace(primaryRow, (r) => r.replace('ok   sync ', 'ok   async')) +
      '\nerror: peer "301e2d2c": expected downstream replication to be "sync", but found "async"\n';
    const a = parseManateeShow(asAsync);
    expect(a.peers[0]).toMatchObject({ role: 'primary', pg: 'ok', repl: 'async' });
    expect(a.errors).toEqual(['peer "301e2d2c": expected downstream replication to be "sync", but found "async"']);
    expect(manateeCanWrite(a)).toBe(false);
    // The REPL column alone says so too (pg-status prints its issues on stderr).
    expect(manateeCanWrite({ mode: a.mode, peers: a.peers })).toBe(false);
    expect(manateeReplicationBlocked(a)).toBe(true);

    const noRepl =
      healthy.replace(primaryRow, 'primary  301e2d2c ok   -     -             -             -             -     ') +
      '\nerror: peer "301e2d2c": downstream replication peer not connected\n';
    const n = parseManateeShow(noRepl);
    expect(n.peers[0]).toMatchObject({ role: 'primary', pg: 'ok', repl: null });
    expect(n.errors).toEqual(['peer "301e2d2c": downstream replication peer not connected']);
    expect(manateeCanWrite(n)).toBe(false);
    expect(manateeReplicationBlocked(n)).toBe(true);
    expect(manateeReplicationBlocked(parseManateeShow(healthy))).toBe(false);
  });

  it('manatee-adm-show-frozen-head.txt: cut by `head -6`, so no table: a ParseError', () => {
    const text = stripCommandLine(sample('manatee-adm-show-frozen-head.txt'));
    expect(() => parseManateeShow(text)).toThrow(ParseError);
    try {
      parseManateeShow(text);
    } catch (err) {
      expect((err as ParseError).tool).toBe('manatee-adm show');
      expect((err as ParseError).field).toBe('peers');
    }
    // With a table appended, its real header values read as they should.
    const full = `${text}\n${stripCommandLine(sample('manatee-adm-pg-status-healthy.txt'))}`;
    const s = parseManateeShow(full);
    expect(s).toMatchObject({
      zookeeper: '172.27.10.142',
      cluster: '1.moray.emy-10.joyent.us',
      generation: 1,
      mode: 'normal',
      frozen: true,
      frozenSince: '2015-03-18T18:40:11.095Z',
      freezeInfo: 'by dap for CM-129',
    });
    expect(s.peers).toHaveLength(3);
  });

  it('tolerates a trailing blank line and CR-free endings', () => {
    const s = parseManateeShow(`${sample('manatee-adm-show.txt')}\n\n`);
    expect(s.peers).toHaveLength(3);
  });

  it('refuses unknown header values and unknown lines with the field named', () => {
    const text = sample('manatee-adm-show.txt');
    const cases: [string, string][] = [
      [text.replace('mode:        normal', 'mode:        turbo'), 'mode'],
      [text.replace('generation:  ', 'generation:  x'), 'generation'],
      [text.replace(/^cluster:.*\n/m, ''), 'cluster'],
      [text.replace('primary  ', 'leader   '), 'peers.0.role'],
      [text.replace(' ok ', ' meh '), 'peers.0.pg'],
      [`${text}\nnote: something new\n`, 'line 12'],
    ];
    for (const [bad, field] of cases) {
      try {
        parseManateeShow(bad);
        throw new Error(`no error for ${field}`);
      } catch (err) {
        expect(err).toBeInstanceOf(ParseError);
        expect((err as ParseError).field).toBe(field);
      }
    }
  });
});

describe('parseManateePgStatus on every pg-status sample', () => {
  it('healthy (WRITE column)', () => {
    const s = parseManateePgStatus(stripCommandLine(sample('manatee-adm-pg-status-healthy.txt')));
    expect(s.peers).toEqual([
      { role: 'primary', peer: '09957297', pg: 'ok', repl: 'sync', lag: null },
      { role: 'sync', peer: 'a376df2b', pg: 'ok', repl: 'async', lag: null },
      { role: 'async', peer: 'bb348824', pg: 'ok', repl: null, lag: '0m00s' },
    ]);
    expect(s.warnings).toEqual([]);
    expect(s.errors).toEqual([]);
  });

  it('warning', () => {
    const s = parseManateePgStatus(stripCommandLine(sample('manatee-adm-pg-status-warning.txt')));
    expect(s.peers.map((p) => p.pg)).toEqual(['ok', 'ok', 'fail']);
    expect(s.warnings).toEqual(['peer "a376df2b": downstream replication peer not connected']);
    expect(manateeCanWrite({ mode: 'normal', peers: s.peers })).toBe(true);
  });

  it('critical (primary down)', () => {
    const s = parseManateePgStatus(stripCommandLine(sample('manatee-adm-pg-status-critical.txt')));
    expect(s.peers[0]).toEqual({ role: 'primary', peer: 'bb348824', pg: 'fail', repl: null, lag: null });
    expect(s.peers[2]!.lag).toBe('0m33s');
    expect(s.errors).toEqual([
      'cannot query postgres on primary: peer "bb348824": ECONNREFUSED',
      'peer "bb348824": downstream replication peer not connected',
    ]);
    expect(manateeCanWrite({ mode: 'normal', peers: s.peers })).toBe(false);
  });

  it('deposed: fixture (no WRITE column) and user guide (WRITE column) read the same', () => {
    const fixture = parseManateePgStatus(sample('manatee-adm-pg-status-deposed-fixture.txt'));
    const guide = parseManateePgStatus(sample('manatee-adm-pg-status-deposed-userguide.txt'));
    expect(fixture.peers).toEqual(deposedTable);
    expect(guide.peers).toEqual(deposedTable);
  });

  it('a row with a missing cell is a ParseError naming the line', () => {
    const bad = 'ROLE     PEER     PG   REPL  LAG\nprimary  301e2d2c ok   sync\n';
    try {
      parseManateePgStatus(bad);
      throw new Error('no error');
    } catch (err) {
      expect(err).toBeInstanceOf(ParseError);
      expect((err as ParseError).tool).toBe('manatee-adm pg-status');
      expect((err as ParseError).field).toBe('line 2');
    }
  });
});

describe('manateeShow / manateePgStatus through zlogin', () => {
  const zone = '5fccb103-b00c-47bd-bdf0-035adb01b3be';

  it('runs manatee-adm inside the zone with ~/.bashrc sourced, as one zlogin argument', async () => {
    const host = new FakeHost({ stdout: sample('manatee-adm-show.txt') });
    const s = await manateeShow(host, zone);
    expect(s.peers).toHaveLength(3);
    expect(host.calls[0]!.argv).toEqual(['zlogin', zone, MANATEE_SHOW_CMD]);
    expect(MANATEE_SHOW_CMD).toBe('source ~/.bashrc; /opt/smartdc/manatee/node_modules/.bin/manatee-adm show');
    expect(host.calls[0]!.opts.timeoutMs).toBe(30_000);

    const pg = new FakeHost({ stdout: sample('manatee-adm-pg-status-deposed-fixture.txt') });
    expect((await manateePgStatus(pg, zone, { timeoutMs: 5000 })).peers).toEqual(deposedTable);
    expect(pg.calls[0]!.argv).toEqual(['zlogin', zone, MANATEE_PG_STATUS_CMD]);
    expect(pg.calls[0]!.opts.timeoutMs).toBe(5000);
  });

  it('a zone that is not running is a CommandFailedError', async () => {
    const host = new FakeHost({ code: 1, stderr: `zlogin: login allocation failed: zone '${zone}' is not running\n` });
    await expect(manateeShow(host, zone)).rejects.toThrow(CommandFailedError);
    await expect(manateeShow(host, zone)).rejects.toThrow(
      `headnode2: zlogin ${zone} 'source ~/.bashrc; /opt/smartdc/manatee/node_modules/.bin/manatee-adm show' exited 1: zlogin: login allocation failed`,
    );
  });

  it('refuses a zone name that could be an option', async () => {
    const host = new FakeHost({});
    await expect(manateeShow(host, '-l')).rejects.toThrow(/refusing zone name/);
    expect(host.calls).toHaveLength(0);
  });
});
