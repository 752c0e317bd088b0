// A small, strict parser of the Prometheus text format (0.0.4) as node_exporter's
// textfile collector reads it, for tests. It throws on what the real parser
// rejects or silently mangles: a sample before its family's HELP and TYPE, a
// family split in two, bad names, bad label syntax or escapes, values that are
// not floats, sample timestamps (the textfile collector refuses them) and
// duplicate series. The judge of the format is the real `promtool check
// metrics` (the tests pipe every output to it); this parser reads values back,
// and still fails where promtool is silent (duplicate series, timestamps).

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface ParsedFamily {
  name: string;
  help: string;
  type: string;
  samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const FLOAT = /^(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[+-]?Inf|NaN)$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

export class PromParseError extends Error {
  constructor(line: number, text: string, why: string) {
    super(`line ${line}: ${why}: ${JSON.stringify(text)}`);
  }
}

/** Undo the escapes of a HELP text: only \\ and \n are allowed. */
function unescapeHelp(s: string, fail: (why: string) => never): string {
  return s.replace(/\\(.?)/g, (_, c: string) =>
    c === '\\' ? '\\' : c === 'n' ? '\n' : fail(`bad escape \\${c} in HELP`),
  );
}

/** Labels `{a="x",b="y"}` from position 0 of `s`; returns them and the rest of the line. */
function parseLabels(s: string, fail: (why: string) => never): { labels: Record<string, string>; rest: string } {
  const labels: Record<string, string> = {};
  let i = 1; // after '{'
  for (;;) {
    if (s[i] === '}') return { labels, rest: s.slice(i + 1) };
    const name = /^[^=]*/.exec(s.slice(i))![0];
    if (!LABEL_NAME.test(name)) fail(`bad label name "${name}"`);
    if (name.startsWith('__')) fail(`label name "${name}" is reserved`);
    if (name in labels) fail(`label "${name}" twice`);
    i += name.length;
    if (s[i] !== '=' || s[i + 1] !== '"') fail(`label "${name}": expected ="`);
    i += 2;
    let value = '';
    for (;;) {
      const c = s[i];
      if (c === undefined) fail('unterminated label value');
      if (c === '"') break;
      if (c === '\\') {
        const e = s[i + 1];
        if (e === '\\') value += '\\';
        else if (e === '"') value += '"';
        else if (e === 'n') value += '\n';
        else fail(`bad escape \\${e ?? ''} in label value`);
        i += 2;
        continue;
      }
      value += c;
      i += 1;
    }
    labels[name] = value;
    i += 1; // closing quote
    if (s[i] === ',') i += 1;
    else if (s[i] !== '}') fail(`after label "${name}": expected , or }`);
  }
}

export function parsePrometheus(text: string): Map<string, ParsedFamily> {
  if (!text.endsWith('\n')) throw new Error('the output must end with a line feed');
  const families = new Map<string, ParsedFamily>();
  const series = new Set<string>();
  const closed = new Set<string>();
  let current: string | undefined;
  const lines = text.slice(0, -1).split('\n');
  lines.forEach((line, k) => {
    const fail = (why: string): never => {
      throw new PromParseError(k + 1, line, why);
    };
    if (line.trim() === '') return;
    if (line !== line.trimEnd()) fail('trailing whitespace');
    const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (meta) {
      const kind = meta[1];
      const name = meta[2] ?? '';
      const rest = meta[3] ?? '';
      if (!METRIC_NAME.test(name)) fail('bad metric name');
      if (closed.has(name)) fail(`family ${name} appears twice (not contiguous)`);
      if (current !== undefined && current !== name) closed.add(current);
      current = name;
      const f = families.get(name) ?? { name, help: '', type: '', samples: [] };
      if (f.samples.length > 0) fail(`${kind} of ${name} after its samples`);
      if (kind === 'HELP') {
        if (f.help) fail(`second HELP for ${name}`);
        f.help = unescapeHelp(rest, fail) || fail('empty HELP');
      } else {
        if (f.type) fail(`second TYPE for ${name}`);
        if (!TYPES.has(rest)) fail(`unknown type "${rest}"`);
        f.type = rest;
      }
      families.set(name, f);
      return;
    }
    if (line.startsWith('#')) {
      if (!line.startsWith('# ') && line !== '#') fail('a comment starts with "# "');
      return;
    }
    const name = /^[^{ ]*/.exec(line)![0];
    if (!METRIC_NAME.test(name)) fail(`bad metric name "${name}"`);
    let rest = line.slice(name.length);
    let labels: Record<string, string> = {};
    if (rest.startsWith('{')) ({ labels, rest } = parseLabels(rest, fail));
    if (!rest.startsWith(' ')) fail('expected a space before the value');
    const fields = rest.slice(1).split(' ');
    if (fields.length > 1) fail('a sample timestamp (the textfile collector refuses them) or extra fields');
    const value = fields[0]!;
    if (!FLOAT.test(value)) fail(`value "${value}" is not a float`);
    const f = families.get(name);
    if (!f?.help || !f.type) fail(`sample of ${name} before its HELP and TYPE`);
    if (current !== name) fail(`sample of ${name} inside family ${current ?? '(none)'}`);
    const key = `${name}{${Object.keys(labels)
      .sort()
      .map((l) => `${l}=${JSON.stringify(labels[l])}`)
      .join(',')}}`;
    if (series.has(key)) fail(`duplicate series ${key}`);
    series.add(key);
    f!.samples.push({
      name,
      labels,
      value: Number(value.replace(/^\+?Inf$/, 'Infinity').replace(/^-Inf$/, '-Infinity')),
    });
  });
  return families;
}

/** The value of the one sample of `name` whose labels include `labels`. */
export function valueOf(
  fams: Map<string, ParsedFamily>,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const hits = (fams.get(name)?.samples ?? []).filter((s) =>
    Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  if (hits.length > 1) throw new Error(`${hits.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return hits[0]?.value;
}
