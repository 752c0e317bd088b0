// Real programs at the boundaries (sshd, ZooKeeper, promtool): a test that
// needs one runs wherever it is installed. Under CI=true a missing program is
// a failure, not a silent skip: CI installs them (.ci/run), so a missing one
// means the tests that prove the boundary did not run.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface Program {
  /** Absolute path, or undefined when not installed here. */
  path: string | undefined;
  /** True when the tests that need it should be skipped (never under CI=true). */
  skip: boolean;
}

function executable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Find `name` on PATH or at one of `extra` absolute paths (Debian puts some
 * outside PATH, e.g. /usr/sbin/sshd, /usr/share/zookeeper/bin). Throws under
 * CI=true when it is missing, naming the Debian package that provides it.
 */
export function findProgram(name: string, debianPackage: string, extra: string[] = []): Program {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  const candidates = [...dirs.map((d) => join(d, name)), ...extra];
  const path = candidates.find(executable);
  if (path) return { path, skip: false };
  if (process.env.CI === 'true') {
    throw new Error(
      `${name} is not installed, and CI=true needs it: apt-get install ${debianPackage} (.ci/run does this)`,
    );
  }
  return { path: undefined, skip: true };
}
