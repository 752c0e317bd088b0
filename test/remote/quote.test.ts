import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { formatCommand, quoteArg, quoteArgv, splitCommand } from '../../src/values/shell-quote.js';

const NASTY: string[] = [
  '',
  ' ',
  'plain',
  "it's",
  "'",
  "''''",
  '"double"',
  'a b  c',
  'line1\nline2\n',
  'tab\there',
  '$(rm -rf /)',
  '${HOME}',
  '$HOME',
  '`id`',
  '*',
  '?',
  '[a-z]',
  '~',
  '~root',
  '#not a comment',
  'a#b',
  '\\',
  '\\n',
  'back\\slash\'quote"mix',
  ';|&<>(){}!',
  '-n',
  '-e',
  '--',
  '%s%d',
  'ünïcødé 日本語 🚀',
  'a=b',
  'zones/7e5f-1234@snap:1',
];

/** What /bin/sh makes of a command line: each word printed NUL-terminated. */
function shWords(cmdline: string): string[] {
  const out = execFileSync('/bin/sh', ['-c', `printf '%s\\0' ${cmdline}`]);
  const words = out.toString('utf8').split('\0');
  expect(words.pop()).toBe('');
  return words;
}

describe('quoteArgv / splitCommand', () => {
  it('round-trips every nasty string through splitCommand', () => {
    for (const s of NASTY) {
      expect(splitCommand(quoteArgv([s]))).toEqual([s]);
    }
    expect(splitCommand(quoteArgv(NASTY))).toEqual(NASTY);
  });

  it('/bin/sh reads quoteArgv output back as the same argv', () => {
    expect(shWords(quoteArgv(NASTY))).toEqual(NASTY);
  });

  it('leaves safe words bare and quotes the rest', () => {
    expect(quoteArgv(['zfs', 'list', '-H', '-o', 'name,used', 'zones/abc@s1'])).toBe(
      'zfs list -H -o name,used zones/abc@s1',
    );
    expect(quoteArg("it's")).toBe(`'it'\\''s'`);
    expect(quoteArg('')).toBe("''");
  });

  it('quotes an assignment or reserved word in command position so sh runs it as a program', () => {
    expect(quoteArgv(['A=1', 'x'])).toBe("'A=1' x");
    expect(quoteArgv(['x', 'A=1'])).toBe('x A=1');
    expect(quoteArgv(['if'])).toBe("'if'");
    // Unquoted, sh would run `true` with A=1 in its environment and exit 0.
    let code = 0;
    try {
      execFileSync('/bin/sh', ['-c', quoteArgv(['A=1', 'true'])], { stdio: 'pipe' });
    } catch (e) {
      code = (e as { status: number }).status;
    }
    expect(code).toBe(127);
  });

  it('refuses what it cannot represent', () => {
    expect(() => quoteArgv([])).toThrow(/empty argv/);
    expect(() => quoteArg('a\0b')).toThrow(/NUL/);
    expect(formatCommand([])).toBe('(empty command)');
  });

  it('splitCommand reads sh-style quoting and rejects anything needing a shell', () => {
    expect(splitCommand(`echo "a \\"b\\" \\$c" d\\ e 'f'"g"`)).toEqual(['echo', 'a "b" $c', 'd e', 'fg']);
    expect(splitCommand('  a\t b\n')).toEqual(['a', 'b']);
    expect(() => splitCommand('echo $(id)')).toThrow(/metacharacter "\$"/);
    expect(() => splitCommand('ls *')).toThrow(/metacharacter/);
    expect(() => splitCommand('a | b')).toThrow(/metacharacter "\|"/);
    expect(() => splitCommand('echo "$HOME"')).toThrow(/expansion/);
    expect(() => splitCommand("echo 'open")).toThrow(/unterminated single quote/);
    expect(() => splitCommand('echo "open')).toThrow(/unterminated double quote/);
    expect(() => splitCommand('echo \\')).toThrow(/trailing backslash/);
  });
});
