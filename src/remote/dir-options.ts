// --journal-dir and --restore-data name directories. One that is a file (or a
// device, or sits under a file) is the operator's argument to fix, said with
// the path and what to do, before anything opens it: not "internal error: EISDIR".
import { statSync } from 'node:fs';
import { dirname } from 'node:path';

export class UsageError extends Error {}

/** Throws a UsageError when `path` exists and is not a directory, or a parent of it is a file. */
export function checkDirOption(what: string, path: string): void {
  let st;
  try {
    st = statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') {
      throw new UsageError(
        `${what} ${path}: a part of ${dirname(path)} is a file, not a directory; give a path under a directory (it is created if absent)`,
      );
    }
    return; // absent: created when needed; other errors are reported where it is used
  }
  if (!st.isDirectory()) {
    throw new UsageError(
      `${what} ${path} is ${st.isFile() ? 'a file' : 'not a directory'}: give a directory (it is created if absent), or move ${path} aside`,
    );
  }
}
