// The console's own key pair: made once by ssh-setup, then used by every sync and
// restore. ssh-keygen when the GZ has it (SmartOS does); else ssh2's generator,
// whose OpenSSH-format output ssh2 itself reads back (checked in keys.ts).
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { execa } from 'execa';
import ssh2 from 'ssh2';
import { generateKeyPair } from './sim/keys.js';

export interface Identity {
  path: string;
  /** One authorized_keys line: "ssh-ed25519 AAAA... comment". */
  publicLine: string;
  created: boolean;
}

const COMMENT = `triton-recover@${hostname()}`;

/** Reads the key at `path`, creating it (and its directory, mode 700) when absent. */
export async function ensureIdentity(path: string): Promise<Identity> {
  let created = false;
  if (!existsSync(path)) {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const r = await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', COMMENT, '-f', path], {
      reject: false,
      stdin: 'ignore',
    });
    if (r.exitCode !== 0) {
      // ENOENT (no ssh-keygen) or a failure: make it ourselves rather than give up.
      if (existsSync(path))
        throw new Error(
          `ssh-keygen left ${path} behind but failed: ${r.stderr || r.message}; remove it and run ssh-setup again`,
        );
      const k = generateKeyPair('ed25519');
      await writeFile(path, k.private, { mode: 0o600 });
      await writeFile(`${path}.pub`, `${k.public.trim()} ${COMMENT}\n`, { mode: 0o644 });
    }
    created = true;
  }
  await chmod(path, 0o600);
  return { path, publicLine: await publicLineOf(path), created };
}

/** The .pub beside it, else derived from the private key. */
async function publicLineOf(path: string): Promise<string> {
  const pub = await readFile(`${path}.pub`, 'utf8').catch(() => null);
  if (pub?.trim()) return pub.trim();
  const parsed = ssh2.utils.parseKey(await readFile(path));
  if (parsed instanceof Error)
    throw new Error(
      `cannot read the private key ${path}: ${parsed.message}; it must be an unencrypted OpenSSH or PEM key`,
    );
  const k = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!k) throw new Error(`no key in ${path}`);
  return `${k.type} ${k.getPublicSSH().toString('base64')} ${COMMENT}`;
}
