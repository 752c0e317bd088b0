// Temporary files a killed sync left behind. Every file is written under a
// temporary name and renamed, so one of these is never a complete file.
import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/** Removes every `*.tmp-<pid>-<n>` under root (a missing root is nothing to remove). */
export async function removeTemporaries(root: string): Promise<void> {
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (/\.tmp-\d+-\d+$/.test(e.name)) await unlink(p).catch(() => undefined);
    }
  };
  await walk(root);
}
