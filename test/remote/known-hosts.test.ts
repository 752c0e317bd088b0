import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  checkHostKey,
  fingerprintOf,
  keyTypeOfBlob,
  loadKnownHosts,
  parseKnownHosts,
  type KnownHosts,
} from '../../src/remote/known-hosts.js';
import { generateKeyPair } from '../../src/remote/sim/keys.js';

const dir = mkdtempSync(join(tmpdir(), 'known-hosts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A fresh key: its known_hosts form ("type base64") and raw blob. */
function newKey(type: 'ed25519' | 'ecdsa' = 'ed25519'): { line: string; type: string; blob: Buffer } {
  const pair = type === 'ecdsa' ? generateKeyPair('ecdsa') : generateKeyPair();
  const [t, b64] = pair.public.split(' ');
  return { line: `${t} ${b64}`, type: t!, blob: Buffer.from(b64!, 'base64') };
}

const A = newKey();
const B = newKey();
const E = newKey('ecdsa');

function status(kh: KnownHosts, host: string, key: { type: string; blob: Buffer }, port?: number): string {
  return checkHostKey(kh, { host, port, keyType: key.type, key: key.blob }).status;
}

describe('known_hosts', () => {
  it('matches plain names, lists and [host]:port, case-insensitively', () => {
    const kh = parseKnownHosts(
      [`headnode1 ${A.line} root@hn1`, `cn1,cn2,10.99.99.7 ${A.line}`, `[10.99.99.8]:2222 ${A.line}`].join('\n'),
    );
    expect(status(kh, 'headnode1', A)).toBe('ok');
    expect(status(kh, 'HEADNODE1', A)).toBe('ok');
    expect(status(kh, 'cn2', A)).toBe('ok');
    expect(status(kh, '10.99.99.7', A)).toBe('ok');
    expect(status(kh, 'cn3', A)).toBe('unknown');
    expect(status(kh, '10.99.99.8', A, 2222)).toBe('ok');
    // The port is part of the identity: the same address on 22 is not known.
    expect(status(kh, '10.99.99.8', A, 22)).toBe('unknown');
    expect(status(kh, 'headnode1', A, 2222)).toBe('unknown');
  });

  it('reports a different key of the same or another type as changed, never ok', () => {
    const kh = parseKnownHosts(`headnode1 ${A.line}\n`);
    expect(status(kh, 'headnode1', B)).toBe('changed');
    expect(status(kh, 'headnode1', E)).toBe('changed');
    // Both keys listed: the one presented is accepted.
    const both = parseKnownHosts(`headnode1 ${A.line}\nheadnode1 ${E.line}\n`);
    expect(status(both, 'headnode1', E)).toBe('ok');
    expect(status(both, 'headnode1', B)).toBe('changed');
  });

  it('applies wildcards and negations', () => {
    const kh = parseKnownHosts(`*.dc.example,!bad.dc.example ${A.line}\nnode? ${B.line}\n`);
    expect(status(kh, 'hn1.dc.example', A)).toBe('ok');
    expect(status(kh, 'bad.dc.example', A)).toBe('unknown');
    expect(status(kh, 'node1', B)).toBe('ok');
    expect(status(kh, 'node10', B)).toBe('unknown');
    expect(status(kh, 'xnode1', B)).toBe('unknown');
  });

  it('refuses a @revoked key even where another line trusts it', () => {
    const kh = parseKnownHosts(`headnode1 ${A.line}\n@revoked * ${A.line}\n`);
    expect(status(kh, 'headnode1', A)).toBe('revoked');
    expect(status(kh, 'other', A)).toBe('revoked');
    expect(status(parseKnownHosts(`@revoked * ${B.line}\nheadnode1 ${A.line}`), 'headnode1', A)).toBe('ok');
  });

  it('skips comments, blanks, @cert-authority and broken lines without crashing', () => {
    const kh = parseKnownHosts(
      [
        '# a comment',
        '',
        '   ',
        `@cert-authority *.dc.example ${B.line}`,
        'garbage',
        `hostx ssh-ed25519 not*base64`,
        `@bogus hosty ${A.line}`,
        `|1|bad|hash ${A.line}`,
        `headnode1 ${A.line}`,
      ].join('\r\n'),
    );
    expect(kh.skipped).toEqual([5, 6, 7, 8]);
    expect(kh.entries.map((e) => e.line)).toEqual([4, 9]);
    // A CA line alone neither trusts nor refuses.
    expect(status(kh, 'hn1.dc.example', B)).toBe('unknown');
    expect(status(kh, 'headnode1', A)).toBe('ok');
  });

  it('matches entries hashed by the real ssh-keygen -H, including [host]:port', async () => {
    const file = join(dir, 'hashed');
    writeFileSync(file, `headnode1 ${A.line}\n[127.0.0.1]:2222 ${B.line}\n`);
    execFileSync('/usr/bin/ssh-keygen', ['-H', '-f', file], { stdio: 'pipe' });
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('headnode1');
    expect(text).not.toContain('127.0.0.1');
    expect(text.match(/^\|1\|/gm)).toHaveLength(2);
    const kh = await loadKnownHosts(file);
    expect(kh.entries.every((e) => e.patterns[0]?.kind === 'hashed')).toBe(true);
    expect(status(kh, 'headnode1', A)).toBe('ok');
    expect(status(kh, 'headnode1', B)).toBe('changed');
    expect(status(kh, 'headnode2', A)).toBe('unknown');
    expect(status(kh, '127.0.0.1', B, 2222)).toBe('ok');
    expect(status(kh, '127.0.0.1', B, 22)).toBe('unknown');
  });

  it('fingerprints exactly as ssh-keygen -lf does', () => {
    for (const k of [A, E]) {
      const pub = join(dir, `k-${k.type}.pub`);
      writeFileSync(pub, `${k.line} test\n`);
      const printed = execFileSync('/usr/bin/ssh-keygen', ['-lf', pub], { encoding: 'utf8' }).split(' ')[1];
      expect(printed).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
      expect(fingerprintOf(k.blob)).toBe(printed);
      expect(checkHostKey(parseKnownHosts(''), { host: 'h', keyType: k.type, key: k.blob }).fingerprint).toBe(printed);
    }
  });

  it('reads the key type from a blob', () => {
    expect(keyTypeOfBlob(A.blob)).toBe('ssh-ed25519');
    expect(keyTypeOfBlob(E.blob)).toBe('ecdsa-sha2-nistp256');
    expect(keyTypeOfBlob(Buffer.from([0, 0, 0]))).toBe('unknown');
  });

  it('treats a missing file as empty: everything unknown', async () => {
    const kh = await loadKnownHosts(join(dir, 'does-not-exist'));
    expect(kh.entries).toEqual([]);
    expect(status(kh, 'headnode1', A)).toBe('unknown');
  });
});
