// plan and restore as an operator runs them.
import { execa } from 'execa';
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/sim-dc.js';
import { REF } from '../support/reference.js';
import { restoreArgs } from '../support/kill-restore.js';

const bin = resolve(import.meta.dirname, '..', '..', 'bin', 'triton-recover');
const contract = resolve(import.meta.dirname, '..', 'fixtures', 'contract', 'scenario.example.json');
const cli = (args: string[]) => execa(bin, args, { reject: false, stdin: 'ignore' });

describe('triton-recover plan / restore', () => {
  it('plan --json: the contract shape, steps in restore order, exact argv and HTTP calls', async () => {
    const dir = tempDir();
    const r = await cli([
      'plan',
      '--json',
      '--sim',
      contract,
      '--sim-state',
      join(dir, 's.json'),
      '--sim-speed',
      '100',
    ]);
    expect(r.exitCode, r.stderr).toBe(0);
    const p = JSON.parse(r.stdout);
    expect(p.strategy).toBe('reuse');
    expect(p.blocked).toEqual([]);
    expect(p.steps.map((s: any) => s.service).slice(0, 4)).toEqual(['assets', 'sapi', 'amonredis', 'ufds']);
    const sapi = p.steps[1];
    expect(sapi).toMatchObject({ alias: 'sapi0', uuid: REF.sapi0.uuid });
    expect(sapi.actions.map((a: any) => a.kind)).toEqual(['create-vm', 'receive-dataset', 'start-vm', 'wait-healthy']);
    expect(sapi.actions[0]).toMatchObject({ host: 'headnode1', argv: ['vmadm', 'create'] });
    expect(sapi.actions[0].stdin).toMatchObject({
      uuid: sapi.uuid,
      alias: 'sapi0',
      autoboot: false,
      delegate_dataset: true,
    });
    expect(sapi.actions[0].stdin.nics[0]).toMatchObject({ ip: REF.sapi0.adminIp, mac: expect.stringMatching(/^90:/) });
    expect(sapi.actions[1].argv).toEqual(['zfs', 'recv', '-F', `zones/${REF.sapi0.uuid}/data`]);
    expect(sapi.actions[3].http).toEqual({ method: 'GET', url: `http://${REF.sapi0.adminIp}/ping` });
    // cloudapi's ping goes to its self-signed HTTPS, accepted for that call only.
    const cloudapi = p.steps.find((s: any) => s.service === 'cloudapi');
    expect(cloudapi.actions.at(-1).http).toEqual({
      method: 'GET',
      url: `https://${REF.cloudapi0.adminIp}/--ping`,
      tls: 'accept-self-signed',
    });
    const rec = p.reconcile.map((a: any) => a.http.method + ' ' + a.http.url);
    // SAPI learns where each re-created zone runs; the dead server stays in CNAPI (VMAPI then shows its HA members as unknown).
    expect(rec).toContain(`PUT http://${REF.sapi0.adminIp}/instances/${REF.sapi0.uuid}`);
    expect(rec.filter((x: string) => x.includes('/servers/'))).toEqual([]);
    expect(p.notRestored.map((n: any) => n.alias).sort()).toEqual(['binder0', 'dhcpd0', 'manatee0', 'moray0']);
  });

  it('plan (text) shows every command, with the host it runs on', async () => {
    const r = await cli(['plan', '--sim', contract, '--sim-speed', '100']);
    expect(r.stdout).toContain(`headnode1$ vmadm start ${REF.sapi0.uuid}`);
    expect(r.stdout).toMatch(
      /headnode1\$ zfs recv -F zones\/67be4635-bfdb-527a-8b91-44daa9249090\/data < \S+dataset-67be4635/,
    );
    // The health wait as it is checked: setup finished first, then SMF, then the ping (-k: cloudapi's own certificate).
    expect(r.stdout).toContain(
      `headnode1$ test -f /zones/${REF.cloudapi0.uuid}/root/var/svc/setup_complete; svcs -xz ${REF.cloudapi0.uuid}; zlogin ${REF.cloudapi0.uuid} ipadm show-addr -p -o addrobj,state,addr; curl -sS -k -X GET https://${REF.cloudapi0.adminIp}/--ping   # until healthy`,
    );
  });

  it("plan and plan --json redact sapi0's usbkey_config and the UFDS root password (fidelity audit 17)", async () => {
    const dir = tempDir();
    const state = join(dir, 's.json');
    const json = await cli(['plan', '--json', '--sim', contract, '--sim-state', state, '--sim-speed', '100']);
    const text = await cli(['plan', '--sim', contract, '--sim-state', state, '--sim-speed', '100']);
    expect(json.exitCode, json.stderr).toBe(0);
    // The raw dump in restore-data holds them (root only): the restore needs them.
    const rd = join(dir, 's.restore-data');
    const dump = JSON.parse(readFileSync(join(rd, 'svc-sapi', `vm-${REF.sapi0.uuid}.json`), 'utf8'));
    const secrets: string[] = [dump.customer_metadata.usbkey_config, dump.customer_metadata.ufds_ldap_root_pw];
    expect(secrets.every((s) => typeof s === 'string' && s.length > 8)).toBe(true);
    for (const out of [json.stdout, text.stdout]) for (const s of secrets) expect(out).not.toContain(s);
    const sapi = JSON.parse(json.stdout).steps[1].actions[0].stdin.customer_metadata;
    expect(sapi).toMatchObject({
      usbkey_config: '<redacted>',
      ufds_ldap_root_pw: '<redacted>',
      'sapi-url': expect.stringMatching(/^http:/),
    });
    expect(statSync(rd).mode & 0o777).toBe(0o700);
  });

  it('restore without --yes on a non-terminal refuses and says how to run it', async () => {
    const r = await cli(['restore', '--sim', contract]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('not a terminal');
    expect(r.stderr).toContain('triton-recover restore --yes --fenced');
  });

  it('restore --yes --fenced: done, with the report path', async () => {
    const dir = tempDir();
    const r = await cli(restoreArgs(dir));
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^DONE: 21 of 21 zone\(s\) restored and healthy/m);
    expect(r.stdout).toMatch(/^report: .*s\.journal\/report-.*\.md$/m);
    // Journal and reports: root only.
    const report = /^report: (.*)$/m.exec(r.stdout)![1]!;
    for (const f of [join(dir, 's.journal'), join(dir, 's.journal', 'journal.jsonl'), report]) {
      expect((statSync(f).mode & 0o777).toString(8), f).toBe(statSync(f).isDirectory() ? '700' : '600');
    }
    // A rerun finds everything done and repeats nothing.
    const again = await cli(restoreArgs(dir));
    expect(again.exitCode).toBe(0);
    expect(again.stderr).not.toMatch(/OK {3}create/);
  });
});
