// A 9600-baud line in front of a pty's screen, for the bench's key-to-screen
// measurement (key-latency.ts through pty-bytes.ts).

/**
 * A serial line between the program and the screen: characters reach the
 * screen at `bytesPerSec`, in 20 ms slices; while more than a slice or two
 * waits, the pty is paused, so the program's writes block as they do behind
 * a real 9600-baud console. ASCII is assumed (serial mode), one byte a char.
 */
export function serialLine(bytesPerSec: number, show: (d: string) => void, pause: () => void, resume: () => void) {
  const TICK_MS = 20;
  const perTick = Math.max(1, Math.round((bytesPerSec * TICK_MS) / 1000));
  let queue = '';
  let paused = false;
  const timer = setInterval(() => {
    if (queue.length === 0) return;
    show(queue.slice(0, perTick));
    queue = queue.slice(perTick);
    if (paused && queue.length <= perTick * 2) {
      paused = false;
      resume();
    }
  }, TICK_MS);
  return {
    send(d: string) {
      queue += d;
      if (!paused && queue.length > perTick * 2) {
        paused = true;
        pause();
      }
    },
    stop() {
      clearInterval(timer);
    },
  };
}
