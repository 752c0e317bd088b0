// Is an image (with every origin it builds on) at hand for `vmadm create`?
// Installed here, or in restore-data with manifest and file (facts F5). An
// installed image needs no walk: imgadm only installs it once its origin is in.
// Pure: what imgadm said is passed in.
import type { ImageData } from './restore-data.js';

/** imgadm get: installed, not installed (exit 3), or no clear answer (timeout, error). */
export type Installed = { state: 'yes' } | { state: 'no' } | { state: 'unknown'; why: string };

export interface MissingImage {
  uuid: string;
  /** name@version when some manifest names it. */
  label: string | undefined;
  /** The image it is an origin of (undefined for the zone's own image). */
  originOf: string | undefined;
  why: string;
}

/** An image, then its origin, then that one's origin ... as restore-data's manifests say. */
export function originChain(root: string, rdImages: ReadonlyMap<string, ImageData>): string[] {
  const chain: string[] = [];
  let cur: string | undefined = root;
  while (cur && !chain.includes(cur)) {
    chain.push(cur);
    cur = rdImages.get(cur)?.manifest?.origin;
  }
  return chain;
}

/** Every uuid worth asking imgadm about: the images and their origins as restore-data knows them. */
export function imagesToAsk(roots: Iterable<string>, rdImages: ReadonlyMap<string, ImageData>): string[] {
  return [...new Set([...roots].flatMap((r) => originChain(r, rdImages)))];
}

export function missingImages(
  root: string,
  installed: ReadonlyMap<string, Installed>,
  rdImages: ReadonlyMap<string, ImageData>,
): MissingImage[] {
  const out: MissingImage[] = [];
  const seen = new Set<string>();
  let cur: string | undefined = root;
  let originOf: string | undefined;
  const walked: string[] = [];
  while (cur) {
    if (seen.has(cur)) {
      // imgadm installs an origin first: a chain that loops can never be installed.
      const loop = [...walked.slice(walked.indexOf(cur)), cur].join(' -> ');
      out.push({
        uuid: cur,
        label: labelOf(rdImages, cur),
        originOf,
        why: `the origins in restore-data form a cycle (${loop}): imgadm can install none of them`,
      });
      break;
    }
    seen.add(cur);
    walked.push(cur);
    const here = installed.get(cur) ?? { state: 'unknown', why: 'not asked' };
    if (here.state === 'yes') break;
    const rd = rdImages.get(cur);
    const label = labelOf(rdImages, cur);
    if (!rd?.manifest || !rd.filePath) {
      const notHere = here.state === 'no' ? 'not installed' : `installed? unknown (${here.why})`;
      const notRd = !rd
        ? 'not in restore-data'
        : !rd.manifest
          ? 'its manifest in restore-data is unreadable'
          : !rd.fileProblem || rd.fileProblem.endsWith(' is missing')
            ? 'its file is missing from restore-data'
            : `its file in restore-data is unusable: ${rd.fileProblem}`;
      out.push({ uuid: cur, label, originOf, why: `${notHere}; ${notRd}` });
    }
    originOf = cur;
    cur = rd?.manifest?.origin;
  }
  return out;
}

function labelOf(rdImages: ReadonlyMap<string, ImageData>, uuid: string): string | undefined {
  const m = rdImages.get(uuid)?.manifest;
  return m ? `${m.name}@${m.version}` : undefined;
}
