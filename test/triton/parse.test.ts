import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ParseError } from '../../src/remote/errors.js';
import { issuePath, parseJson, parseValue } from '../../src/remote/triton/parse.js';

const Schema = z.looseObject({ uuid: z.string(), nics: z.array(z.looseObject({ ip: z.string() })) });

function parseErrorOf(fn: () => unknown): ParseError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ParseError);
    return err as ParseError;
  }
  throw new Error('expected a ParseError');
}

describe('parseJson / parseValue', () => {
  it('returns the parsed value and keeps unknown fields', () => {
    expect(parseJson('t', Schema, '{"uuid":"u","nics":[],"extra":1}')).toEqual({ uuid: 'u', nics: [], extra: 1 });
  });

  it('invalid JSON: field is the top level, the message says so', () => {
    const err = parseErrorOf(() => parseJson('vmadm get', Schema, '{uuid: 1}'));
    expect(err.tool).toBe('vmadm get');
    expect(err.field).toBe('');
    expect(err.message).toMatch(/^vmadm get: unexpected output at \(top level\): invalid JSON: /);
  });

  it('empty output is named as such', () => {
    expect(parseErrorOf(() => parseJson('sysinfo', Schema, '  \n')).message).toBe(
      'sysinfo: unexpected output at (top level): empty output',
    );
  });

  it('schema problems name the dotted path of the first issue and count the rest', () => {
    const err = parseErrorOf(() => parseValue('vmadm get', Schema, { uuid: 5, nics: [{ ip: 1 }] }));
    expect(err.field).toBe('uuid');
    expect(err.message).toMatch(/and 1 more problem/);
    const nested = parseErrorOf(() => parseValue('vmadm get', Schema, { uuid: 'u', nics: [{ ip: '1' }, {}] }));
    expect(nested.field).toBe('nics.1.ip');
  });

  it('issuePath joins keys and indexes', () => {
    expect(issuePath(['Network Interfaces', 'e1000g1', 'ip4addr'])).toBe('Network Interfaces.e1000g1.ip4addr');
    expect(issuePath([0, 'nics', 2])).toBe('0.nics.2');
  });
});
