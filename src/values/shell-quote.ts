// The single quoting function for argv that must travel as one string (SSH exec,
// and commands shown to operators for copy and paste). POSIX sh single quotes:
// everything literal, a quote itself written as '\''.

const SAFE = /^[A-Za-z0-9_\-+=.,/:@%]+$/;

export function quoteArg(arg: string): string {
  if (arg.includes('\0')) throw new Error('argument contains a NUL byte; refusing to quote it');
  if (arg !== '' && SAFE.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

// In command position sh reads FOO=bar as an assignment and `if` as syntax, not
// as the program to run: quote them there so the string runs argv[0] itself.
const RESERVED = new Set([
  'case',
  'do',
  'done',
  'elif',
  'else',
  'esac',
  'fi',
  'for',
  'function',
  'if',
  'in',
  'select',
  'then',
  'time',
  'until',
  'while',
]);

export function quoteArgv(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error('empty argv');
  return argv
    .map((a, i) => {
      const q = quoteArg(a);
      return i === 0 && q === a && (a.includes('=') || RESERVED.has(a)) ? `'${a}'` : q;
    })
    .join(' ');
}

/** For display: the same quoting, so what the operator copies runs the same. */
export function formatCommand(argv: readonly string[]): string {
  return argv.length === 0 ? '(empty command)' : quoteArgv(argv);
}

/**
 * Inverse of quoteArgv for the subset it produces (plain words, single-quoted
 * strings, \' escapes) plus double quotes and backslashes as sh reads them.
 * Used by the simulator's SSH server to turn an exec string back into an argv.
 * Anything that would need a shell (pipes, $, globs, ;) is rejected.
 */
export function splitCommand(cmd: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  let i = 0;
  while (i < cmd.length) {
    const c = cmd[i]!;
    if (c === ' ' || c === '\t' || c === '\n') {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
      i++;
    } else if (c === "'") {
      const end = cmd.indexOf("'", i + 1);
      if (end < 0) throw new Error('unterminated single quote');
      cur += cmd.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      i++;
      inWord = true;
      while (i < cmd.length && cmd[i] !== '"') {
        if (cmd[i] === '\\' && i + 1 < cmd.length && '"\\$`'.includes(cmd[i + 1]!)) i++;
        else if (cmd[i] === '$' || cmd[i] === '`') throw new Error('shell expansion is not supported');
        cur += cmd[i];
        i++;
      }
      if (i >= cmd.length) throw new Error('unterminated double quote');
      i++;
    } else if (c === '\\') {
      if (i + 1 >= cmd.length) throw new Error('trailing backslash');
      cur += cmd[i + 1];
      inWord = true;
      i += 2;
    } else if ('|&;<>()$`*?[]{}~#!'.includes(c)) {
      throw new Error(`shell metacharacter ${JSON.stringify(c)} is not supported`);
    } else {
      cur += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) out.push(cur);
  return out;
}
