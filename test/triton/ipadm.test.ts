import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/remote/errors.js';
import { ipadmArgv, parseIpadmShowAddr } from '../../src/remote/triton/ipadm.js';

describe('ipadm show-addr -p -o addrobj,state,addr', () => {
  it('reads each address with its state; escaped colons stay inside the field', () => {
    const out =
      'lo0/v4:ok:127.0.0.1/8\nnet0/_a:duplicate:10.99.99.30/24\nnet1/_a:tentative:10.88.88.5/24\nlo0/v6:ok:\\:\\:1/128\n';
    expect(parseIpadmShowAddr(out)).toEqual([
      { addrobj: 'lo0/v4', state: 'ok', ip: '127.0.0.1', prefix: 8 },
      { addrobj: 'net0/_a', state: 'duplicate', ip: '10.99.99.30', prefix: 24 },
      { addrobj: 'net1/_a', state: 'tentative', ip: '10.88.88.5', prefix: 24 },
      { addrobj: 'lo0/v6', state: 'ok', ip: '::1', prefix: 128 },
    ]);
  });

  it('a line that is not addrobj:state:addr is a parse error naming it', () => {
    expect(() => parseIpadmShowAddr('ADDROBJ TYPE STATE ADDR\n')).toThrow(ParseError);
  });

  it('refuses a zone name that is not a uuid before it reaches the command line', () => {
    expect(() => ipadmArgv('x; reboot')).toThrow(/refusing zone uuid/);
  });
});
