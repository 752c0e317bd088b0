// The README's promise: a clone in an empty folder passes `npm test`. A test
// that reads a sibling folder of the repository (the team's ../shared, say)
// passes here and fails for everyone else; this catches the path before it lands.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const repoRoot = resolve(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'fixtures' ? [] : sourceFiles(p);
    return /\.(ts|tsx|mjs)$/.test(name) ? [p] : [];
  });
}

// Path spellings that leave the repository: a 'shared' sibling, an absolute
// path into the team's workspace, or more '..' than the file is deep.
const OUTSIDE = [/['"]\.\.\/shared\b/, /['"]shared['"]\s*,\s*['"](contract|reference)['"]/, /['"]\/work\//];

describe('the tests are self-contained', () => {
  it('no test or source file names a path outside the repository', () => {
    const offenders: string[] = [];
    for (const f of [...sourceFiles(join(repoRoot, 'test')), ...sourceFiles(join(repoRoot, 'src'))]) {
      const text = readFileSync(f, 'utf8');
      for (const re of OUTSIDE) if (re.test(text)) offenders.push(`${relative(repoRoot, f)}: ${re}`);
      // A resolve from the file's own folder never climbs more levels than the file is deep.
      const depth = relative(repoRoot, f).split('/').length - 1;
      for (const m of text.matchAll(/resolve\(\s*import\.meta\.dirname((?:\s*,\s*'\.\.')+)/g)) {
        const ups = (m[1]!.match(/'\.\.'/g) ?? []).length;
        if (ups > depth) offenders.push(`${relative(repoRoot, f)}: ${ups} x '..' from depth ${depth}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('carries the reference scenario and the samples with their sources', () => {
    expect(statSync(join(repoRoot, 'test', 'fixtures', 'contract', 'scenario.example.json')).isFile()).toBe(true);
    const sources = readFileSync(join(repoRoot, 'test', 'fixtures', 'samples', 'SOURCES.md'), 'utf8');
    const samples = readdirSync(join(repoRoot, 'test', 'fixtures', 'samples')).filter((n) => n !== 'SOURCES.md');
    // Every sample says where it came from.
    expect(samples.filter((n) => !sources.includes(n))).toEqual([]);
  });
});
