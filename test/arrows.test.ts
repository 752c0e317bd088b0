// The arrows of .dependency-cruiser.cjs are enforced by `npm test`; this proves
// each "never" arrow really fails, on a throwaway tree, so a rule that stopped
// matching (a typo in a path, a moved folder) cannot pass silently.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '..');
const run = promisify(execFile);
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** depcruise with our rules over a throwaway tree where each `from` imports its `to`. */
async function cruise(pairs: readonly (readonly [string, string, boolean?])[]): Promise<{ code: number; out: string }> {
  const d = mkdtempSync(join(tmpdir(), 'tr-arrows-'));
  dirs.push(d);
  const sources = new Map<string, string[]>();
  for (const [from, to, typeOnly] of pairs) {
    const spec = relativeImport(from, to);
    const n = (sources.get(from) ?? []).length;
    const line = typeOnly
      ? `import type { T as T${n} } from '${spec}';\nexport type U${n} = T${n};`
      : `import { x as x${n} } from '${spec}';\nexport const y${n} = x${n};`;
    sources.set(from, [...(sources.get(from) ?? []), line]);
    if (!sources.has(to)) sources.set(to, []);
  }
  for (const [f, lines] of sources) {
    mkdirSync(dirname(join(d, f)), { recursive: true });
    writeFileSync(join(d, f), [...lines, 'export const x = 1;', 'export type T = number;', ''].join('\n'));
  }
  writeFileSync(
    join(d, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }),
  );
  try {
    const r = await run(
      join(repo, 'node_modules', '.bin', 'depcruise'),
      ['src', '--config', join(repo, '.dependency-cruiser.cjs')],
      { cwd: d },
    );
    return { code: 0, out: r.stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string };
    return { code: e.code, out: e.stdout };
  }
}

/** The import path from one file to another, both relative to the tree's root. */
function relativeImport(from: string, to: string): string {
  const r = relative(dirname(from), to).replace(/\.tsx?$/, '.js');
  return r.startsWith('.') ? r : `./${r}`;
}

const NEVER = [
  ['screens-do-no-io', 'src/screens/v.ts', 'src/remote/host.ts'],
  ['screens-do-no-io', 'src/screens/w.ts', 'src/steps/restore.ts'],
  ['state-is-pure', 'src/state/p.ts', 'src/steps/restore.ts'],
  ['state-is-pure', 'src/state/q.ts', 'src/screens/App.ts'],
  ['state-calls-no-client', 'src/state/r.ts', 'src/remote/triton/vmadm.ts'],
  ['remote-knows-no-ui-and-no-restore', 'src/remote/triton/vmadm.ts', 'src/steps/restore.ts'],
  ['clients-know-no-domain', 'src/remote/triton/imgadm.ts', 'src/state/plan.ts'],
  ['the-restore-cannot-see-the-simulator', 'src/steps/plan.ts', 'src/remote/sim/world.ts'],
  ['the-simulator-does-not-share-our-beliefs', 'src/remote/sim/world.ts', 'src/catalogue.ts'],
  ['leaves-stay-leaves', 'src/catalogue.ts', 'src/state/lost.ts'],
] as const;

describe('the arrows that must never be', () => {
  it('each one fails the check, named by its rule', async () => {
    const r = await cruise(NEVER.map(([, from, to]) => [from, to] as const));
    expect(r.code).not.toBe(0);
    for (const [rule, from, to] of NEVER) expect(r.out, rule).toContain(`error ${rule}: ${from} → ${to}`);
  });

  it('allowed: steps -> state, app -> sim, and a type-only import of a Triton record into state', async () => {
    const r = await cruise([
      ['src/steps/a.ts', 'src/state/b.ts'],
      ['src/app/a.ts', 'src/remote/sim/b.ts'],
      ['src/state/c.ts', 'src/remote/triton/d.ts', true],
    ]);
    expect(r.out).toContain('no dependency violations');
  });

  it('the project itself holds to them', async () => {
    const r = await run(
      join(repo, 'node_modules', '.bin', 'depcruise'),
      ['src', '--config', join(repo, '.dependency-cruiser.cjs')],
      { cwd: repo },
    );
    expect(r.stdout).toContain('no dependency violations');
  });
});
