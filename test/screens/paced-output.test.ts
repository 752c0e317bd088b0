// The serial line's pacer: ink's synchronized-output markers never reach the
// line (a VT100 ignores them; the pair costs ~17 ms a frame at 9600 baud), the frame does,
// and no slice is larger than the line carries in a tick.
import { EventEmitter } from 'node:events';
import { expect, it } from 'vitest';
import { PacedOutput } from '../../src/screens/paced-output.js';

function fakeTty(): { out: NodeJS.WriteStream; chunks: Buffer[] } {
  const chunks: Buffer[] = [];
  const out = Object.assign(new EventEmitter(), {
    columns: 80,
    rows: 24,
    isTTY: true,
    write: (b: Buffer) => chunks.push(b) > 0,
  });
  return { out: out as unknown as NodeJS.WriteStream, chunks };
}

it('drops the synchronized-output markers and sends the frame, in slices the line can carry', async () => {
  const { out, chunks } = fakeTty();
  const paced = new PacedOutput(out, { bytesPerSecond: 900, tickMs: 20 });
  const frame = `\u001b[2A${'x'.repeat(60)}\n`;
  expect(paced.write('\u001b[?2026h')).toBe(true);
  paced.write(frame);
  paced.write('\u001b[?2026l');
  await paced.drain();
  paced.detach();
  const sent = Buffer.concat(chunks).toString();
  expect(sent).toBe(frame);
  expect(Math.max(...chunks.map((c) => c.length))).toBeLessThanOrEqual(18);
});
