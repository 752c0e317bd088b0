// Writing restore-data files so that a reader never sees half a file: write to
// a temporary name in the same directory, fsync, rename. Root only (0600 files,
// 0700 directories): the `vmadm get` dumps hold usbkey_config and UFDS passwords,
// kept raw because the restore re-creates zones from them (fidelity audit 17).
import { open, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { FILE_MODE, privateDir } from './private-files.js';

export async function writeFileAtomic(root: string, rel: string, data: string | Uint8Array): Promise<void> {
  const file = join(root, rel);
  // Also tightens a directory an older version made 0755.
  await privateDir(dirname(file));
  const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
  const fh = await open(tmp, 'w', FILE_MODE);
  try {
    await fh.chmod(FILE_MODE);
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, file);
}

export async function writeJsonAtomic(root: string, rel: string, value: unknown): Promise<void> {
  await writeFileAtomic(root, rel, JSON.stringify(value, null, 2) + '\n');
}
