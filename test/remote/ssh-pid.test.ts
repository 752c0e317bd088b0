import { describe, expect, it } from 'vitest';
import { PidLine, unwrapPid, wrapWithPid } from '../../src/remote/ssh-pid.js';

describe('the pid line SshHost puts ahead of a command', () => {
  it('is taken off stderr, even when it arrives in pieces', () => {
    const p = new PidLine('abc123');
    expect(p.feed(Buffer.from('abc1')).toString()).toBe('');
    expect(p.feed(Buffer.from('23 4711\nreal error\n')).toString()).toBe('real error\n');
    expect(p.pid).toBe(4711);
    expect(p.feed(Buffer.from('abc123 1\n')).toString()).toBe('abc123 1\n');
  });

  it('leaves stderr alone when the first line is not ours', () => {
    const p = new PidLine('abc123');
    expect(p.feed(Buffer.from('bash: warning\nabc123 5\n')).toString()).toBe('bash: warning\nabc123 5\n');
    expect(p.pid).toBeUndefined();
    const q = new PidLine('abc123');
    expect(q.feed(Buffer.from('abc12')).toString()).toBe('');
    expect(q.rest().toString()).toBe('abc12');
  });

  it('the simulator gets the command back unchanged', () => {
    const cmd = "zfs send -c 'zones/a b@s'";
    expect(unwrapPid(wrapWithPid(cmd, '00ff'))).toBe(cmd);
    expect(unwrapPid(cmd)).toBe(cmd);
  });
});
