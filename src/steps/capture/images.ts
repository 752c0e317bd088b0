// The images the captured zones run, with their origins: from IMGAPI, else
// from the manifests restore-data keeps.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Dc } from '../../remote/dc.js';
import { createImgapi } from '../../remote/triton/imgapi.js';
import { ImageManifest } from '../../remote/triton/image-manifest.js';
import { parseJson } from '../../remote/triton/parse.js';
import { paths } from '../../state/restore-data-layout.js';
import type { CaptureReadings } from '../../state/capture.js';
import type { DcFacts } from '../sync/dc-facts.js';

export async function imagesOf(
  facts: DcFacts,
  dc: Dc,
  wanted: string[],
  timeoutMs: number,
  notes: string[],
): Promise<CaptureReadings['images']> {
  const out = new Map<string, CaptureReadings['images'][number]>();
  const todo = [...new Set(wanted)];
  const fromRestoreData = async (uuid: string): Promise<ImageManifest | null> => {
    try {
      return parseJson(
        `restore-data ${paths.imageManifest(uuid)}`,
        ImageManifest,
        await readFile(join(dc.restoreDataDir, paths.imageManifest(uuid)), 'utf8'),
      );
    } catch {
      return null;
    }
  };
  let imgapiDown = false;
  while (todo.length > 0) {
    const uuid = todo.shift()!;
    if (out.has(uuid)) continue;
    let m: ImageManifest | null = null;
    for (const base of imgapiDown ? [] : facts.imgapiUrls) {
      try {
        m = await createImgapi({ transport: dc.http, baseUrl: base }).getImage(uuid, { timeoutMs });
        break;
      } catch {
        // the next address; none answering: restore-data's manifests
      }
    }
    if (!m && !imgapiDown && facts.imgapiUrls.length > 0) {
      imgapiDown = true;
      notes.push("IMGAPI did not answer: image names and origins are taken from restore-data's manifests");
    }
    m ??= await fromRestoreData(uuid);
    if (!m) {
      notes.push(`image ${uuid}: neither IMGAPI nor restore-data knows it`);
      continue;
    }
    out.set(uuid, { uuid, name: m.name, version: m.version, origin: m.origin ?? null });
    if (m.origin) todo.push(m.origin);
  }
  return [...out.values()];
}
