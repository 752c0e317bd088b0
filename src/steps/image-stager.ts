// Images are installed ahead, in the background and in order (origins first),
// while earlier services are being created: a service waits only for its own.
import type { InstallImage } from '../state/plan-action.js';

export type RunAction = (a: InstallImage) => Promise<void>;

export class ImageStager {
  private readonly done = new Map<string, Promise<void>>();

  constructor(actions: readonly InstallImage[], run: RunAction) {
    let chain: Promise<void> = Promise.resolve();
    for (const a of actions) {
      // Each install waits for the one before: origins were planned first.
      const p = chain.then(() => run(a));
      p.catch(() => {}); // surfaced by ready(), not as an unhandled rejection
      this.done.set(a.image, p);
      chain = p.catch(() => {});
    }
  }

  /** Resolves when the image is installed; rejects with its install failure. */
  ready(image: string): Promise<void> {
    return this.done.get(image) ?? Promise.resolve();
  }

  settled(): Promise<unknown> {
    return Promise.allSettled([...this.done.values()]);
  }
}
