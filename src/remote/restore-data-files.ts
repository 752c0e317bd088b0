// Writing restore-data files so that a reader never sees half a file: write to
// a temporary name in the same directory, fsync, rename.
import { mkdir, open, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export async function writeFileAtomic(root: string, rel: string, data: string | Uint8Array): Promise<void> {
  const file = join(root, rel);
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
  const fh = await open(tmp, 'w', 0o644);
  try {
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
