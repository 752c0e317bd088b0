// Every tool and API output passes through here: text -> JSON -> schema. Any
// failure becomes a ParseError naming the tool and the dotted field, so the
// operator sees "vmadm get: unexpected output at nics.0.mac" instead of a raw
// SyntaxError or ZodError, and nothing is silently defaulted.
import type { z } from 'zod';
import { ParseError } from '../errors.js';

/** Dotted path of a zod issue: ['nics', 0, 'ip'] -> 'nics.0.ip'. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === 'symbol' ? p.toString() : String(p))).join('.');
}

/** The first issue of a failed parse as a ParseError (the first is the one to fix first). */
export function zodToParseError(tool: string, error: z.ZodError): ParseError {
  const issue = error.issues[0];
  if (!issue) return new ParseError(tool, '', 'output did not match the expected shape');
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem(s))` : '';
  return new ParseError(tool, issuePath(issue.path), `${issue.message}${more}`);
}

/** Check an already-decoded value against a schema. */
export function parseValue<S extends z.ZodType>(tool: string, schema: S, value: unknown): z.output<S> {
  const res = schema.safeParse(value);
  if (!res.success) throw zodToParseError(tool, res.error);
  return res.data;
}

/** Decode JSON text, then check it against a schema. */
export function parseJson<S extends z.ZodType>(tool: string, schema: S, text: string): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    const shown = text.trim() === '' ? 'empty output' : `invalid JSON: ${why}`;
    throw new ParseError(tool, '', shown);
  }
  return parseValue(tool, schema, value);
}
