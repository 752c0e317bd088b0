// Where the SSH identity and known_hosts come from: option, config file, persistent default.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RemoteError } from '../../src/remote/errors.js';
import { DEFAULT_IDENTITY, DEFAULT_KNOWN_HOSTS, resolveSshSettings } from '../../src/remote/ssh-config.js';
import { SshHost } from '../../src/remote/ssh.js';
import { UsageError } from '../../src/remote/dir-options.js';
import { tempDir } from '../support/sim-dc.js';

describe('SSH settings', () => {
  it('default to files under /var (persistent on SmartOS), not ~/.ssh', () => {
    const s = resolveSshSettings({ config: writeConfig({}) });
    expect(s).toEqual({ identity: DEFAULT_IDENTITY, knownHosts: DEFAULT_KNOWN_HOSTS, identityExplicit: false });
    expect(DEFAULT_IDENTITY).toBe('/var/sdcadm/triton-recover/ssh/id_ed25519');
    expect(DEFAULT_KNOWN_HOSTS).toBe('/var/sdcadm/triton-recover/ssh/known_hosts');
  });

  it('an option beats the config file, which beats the default', () => {
    const config = writeConfig({ identity: '/cfg/id', knownHosts: '/cfg/kh' });
    expect(resolveSshSettings({ config })).toEqual({
      identity: '/cfg/id',
      knownHosts: '/cfg/kh',
      identityExplicit: true,
    });
    expect(resolveSshSettings({ config, identity: '/opt/id' })).toMatchObject({
      identity: '/opt/id',
      knownHosts: '/cfg/kh',
    });
  });

  it('refuses a config file with an unknown key, bad JSON, or that is missing when named', () => {
    expect(() => resolveSshSettings({ config: writeConfig({ identityFile: '/x' }) })).toThrow(UsageError);
    expect(() => resolveSshSettings({ config: writeConfig({ identityFile: '/x' }) })).toThrow(
      /allowed keys: identity, knownHosts/,
    );
    const bad = join(tempDir(), 'c.json');
    writeFileSync(bad, '{');
    expect(() => resolveSshSettings({ config: bad })).toThrow(/is not JSON/);
    expect(() => resolveSshSettings({ config: '/nonexistent/c.json' })).toThrow(/cannot read the config file/);
  });

  it('SshHost with neither a key file nor an agent fails before connecting, naming what to configure', async () => {
    const h = new SshHost({
      name: 'headnode2',
      address: '127.0.0.1',
      port: 1,
      privateKeyPath: '/nonexistent/id',
      privateKeyRequired: false,
      agent: '',
    });
    const e = await h.run(['true'], { timeoutMs: 5000 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RemoteError);
    expect((e as RemoteError).kind).toBe('auth-failed');
    expect((e as RemoteError).mayHaveRun).toBe(false);
    expect((e as RemoteError).message).toContain(
      'no SSH key to log in to headnode2 as root: /nonexistent/id does not exist and SSH_AUTH_SOCK is not set',
    );
    expect((e as RemoteError).hint).toContain('triton-recover ssh-setup');
    // Named by the operator: a missing file is an error of its own.
    const named = new SshHost({
      name: 'headnode2',
      address: '127.0.0.1',
      port: 1,
      privateKeyPath: '/nonexistent/id',
      agent: '/tmp/agent.sock',
    });
    const e2 = await named.run(['true'], { timeoutMs: 5000 }).catch((x: unknown) => x);
    expect((e2 as RemoteError).message).toContain('cannot read private key /nonexistent/id');
  });
});

function writeConfig(obj: unknown): string {
  const p = join(tempDir(), 'config.json');
  writeFileSync(p, JSON.stringify(obj));
  return p;
}
