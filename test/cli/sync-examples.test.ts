// The shipped examples for running sync every 5 minutes stay runnable.
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..', '..');
const read = (p: string): string => readFileSync(resolve(root, p), 'utf8');

describe('sync scheduling examples (share/)', () => {
  it('are shipped in the package', () => {
    expect(JSON.parse(read('package.json')).files).toContain('share');
  });

  it('the SMF manifest runs the loop script as a child every config/interval (300 s), with no Solaris-only periodic_method', () => {
    const xml = read('share/smf/triton-recover-sync.xml');
    expect(xml).not.toMatch(/<periodic_method/);
    expect(xml).toContain('<propval name="duration" type="astring" value="child"/>');
    expect(xml).toContain('<propval name="interval" type="count" value="300"/>');
    expect(xml).toMatch(/exec="\/opt\/triton-recover\/share\/smf\/triton-recover-sync\.sh %\{config\/interval\}"/);
    // No "--" inside XML comments (not well-formed).
    for (const c of xml.match(/<!--[\s\S]*?-->/g) ?? []) expect(c.slice(4, -3)).not.toContain('--');
    expect(statSync(resolve(root, 'share/smf/triton-recover-sync.sh')).mode & 0o111).toBeTruthy();
  });

  it('the loop script is valid sh and refuses a bad interval', async () => {
    const sh = resolve(root, 'share/smf/triton-recover-sync.sh');
    expect((await execa('sh', ['-n', sh], { reject: false })).exitCode).toBe(0);
    const bad = await execa('sh', [sh, '5m'], { reject: false });
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain('interval must be a number of seconds');
  });

  it('the cron line runs sync every 5 minutes (listed: illumos cron has no */5) into a log', () => {
    const lines = read('share/cron/triton-recover-sync.cron')
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('#'));
    expect(lines).toHaveLength(1);
    const f = lines[0]!.split(/\s+/);
    expect(f.slice(0, 5)).toEqual(['0,5,10,15,20,25,30,35,40,45,50,55', '*', '*', '*', '*']);
    expect(lines[0]).toMatch(/\/bin\/triton-recover sync >> \/var\/log\/triton-recover-sync\.log 2>&1$/);
  });

  it('rely on the persistent SSH defaults (no agent, nothing in /root: a ramdisk on SmartOS)', () => {
    for (const f of ['share/smf/triton-recover-sync.xml', 'share/cron/triton-recover-sync.cron']) {
      const text = read(f);
      expect(text, f).toContain('/var/sdcadm/triton-recover/ssh/');
      expect(text, f).toContain('triton-recover ssh-setup');
      expect(text, f).not.toMatch(/SSH_AUTH_SOCK|\/root\/\.ssh/);
    }
  });
});
