// Image manifests and files in restore-data: each image a zone runs, and its
// origins, fetched from IMGAPI unless already held (a held file has the size
// its manifest states). The file is written first, then the manifest, so a
// manifest there means its file is whole. Verified, not just held: a fetched
// file's size and sha1 are checked as it is written; a held one is checked
// again against its manifest on the verification schedule
// (state/verify-schedule.ts), each result kept in images/verified.json. A file
// that failed is fetched again by the next sync; check reports it meanwhile.
import { readdir, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { readBounded, regularFile, sha1Of } from '../../remote/bounded-read.js';
import type { HttpTransport } from '../../remote/http.js';
import { privateDir } from '../../remote/private-files.js';
import { writeJsonAtomic } from '../../remote/restore-data-files.js';
import { ImageManifest } from '../../remote/triton/image-manifest.js';
import { createImgapi } from '../../remote/triton/imgapi.js';
import { parseJson } from '../../remote/triton/parse.js';
import { ImagesVerified, paths, type VerifiedImage } from '../../state/restore-data-layout.js';
import { verifyDue } from '../../state/verify-schedule.js';
import { DiskGuard, FileSink } from './disk.js';
import { DiskFloorError, SyncStepError, asStepError } from './errors.js';
import { tempName } from './pull-stream.js';
import type { SyncTiming } from './timing.js';

export class ImageStore {
  /** Image uuids known held and whole in this run. */
  private readonly ok = new Set<string>();
  readonly fetched: { uuid: string; bytes: number }[] = [];
  heldBefore = 0;
  /** images/verified.json as this run found it, then as it leaves it. */
  private verified: Map<string, VerifiedImage> | undefined;
  /** Origins seen in this run, to name an image's whole chain. */
  private readonly originOf = new Map<string, string>();

  constructor(
    private readonly root: string,
    /** IMGAPI base URLs, tried in order. */
    private readonly imgapiUrls: readonly string[],
    private readonly transport: HttpTransport,
    private readonly guard: DiskGuard,
    private readonly timing: SyncTiming,
    /** Where this runs (for messages). */
    private readonly here: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private async records(): Promise<Map<string, VerifiedImage>> {
    if (!this.verified) {
      let list: VerifiedImage[] = [];
      try {
        list = parseJson(
          'images/verified.json',
          ImagesVerified,
          await readBounded(this.root, paths.imagesVerified),
        ).images;
      } catch {
        // Absent or unreadable: every held file is due.
      }
      this.verified = new Map(list.map((v) => [v.uuid, v]));
    }
    return this.verified;
  }

  /** Failed checks of this image and its origins in this run (or kept from the last). */
  failures(uuid: string): VerifiedImage[] {
    const out: VerifiedImage[] = [];
    for (let u: string | undefined = uuid; u && !out.some((x) => x.uuid === u); u = this.originOf.get(u)) {
      const r = this.verified?.get(u);
      if (r && !r.ok) out.push(r);
    }
    return out;
  }

  /** Writes images/verified.json: every record but those of images pruned. */
  async saveVerified(pruned: ReadonlySet<string>): Promise<void> {
    const recs = await this.records();
    const images = [...recs.values()].filter((v) => !pruned.has(v.uuid)).sort((a, b) => a.uuid.localeCompare(b.uuid));
    await privateDir(join(this.root, 'images'));
    await writeJsonAtomic(this.root, paths.imagesVerified, { images });
  }

  /** A held file against its manifest's size and sha1, when due; the record kept either way. */
  private async verifyHeld(uuid: string, m: ImageManifest): Promise<void> {
    const recs = await this.records();
    const time = this.now();
    if (!verifyDue(recs.get(uuid), false, time)) return;
    const rel = paths.imageFile(uuid);
    const want = m.files?.[0];
    let error: string | undefined;
    try {
      const { file, sha1 } = await sha1Of(this.root, rel);
      if (want && file.size !== want.size)
        error = `${join(this.root, rel)} on ${this.here} is ${file.size} bytes, its manifest says ${want.size}`;
      else if (want && sha1 !== want.sha1)
        error = `${join(this.root, rel)} on ${this.here} has sha1 ${sha1}, its manifest says ${want.sha1}`;
    } catch (e) {
      error = `${join(this.root, rel)} on ${this.here}: ${e instanceof Error ? e.message : String(e)}`;
    }
    recs.set(uuid, {
      uuid,
      time: time.toISOString(),
      ok: error === undefined,
      ...(error !== undefined
        ? { error: `${error}; the next sync fetches it again (run triton-recover sync to do it now)` }
        : {}),
    });
  }

  /** Every image held or fetched so far in this run. */
  get known(): ReadonlySet<string> {
    return this.ok;
  }

  /** The image and its origins, held here once this returns. */
  async ensure(uuid: string, seen: Set<string> = new Set()): Promise<void> {
    if (this.ok.has(uuid)) return;
    if (seen.has(uuid))
      throw new SyncStepError(
        this.here,
        `image ${uuid}`,
        'its origin chain loops',
        'check the image manifests in IMGAPI',
      );
    seen.add(uuid);
    let manifest = await this.held(uuid);
    if (manifest) {
      this.heldBefore++;
      await this.verifyHeld(uuid, manifest);
    } else {
      manifest = await this.fetch(uuid);
      // Its size and sha1 were checked as it was written: verified now.
      (await this.records()).set(uuid, { uuid, time: this.now().toISOString(), ok: true });
    }
    this.ok.add(uuid);
    if (manifest.origin) {
      this.originOf.set(uuid, manifest.origin);
      await this.ensure(manifest.origin, seen);
    }
  }

  private async held(uuid: string): Promise<ImageManifest | undefined> {
    // A file that failed its last check is fetched again, like a failed chain gets a full send.
    if ((await this.records()).get(uuid)?.ok === false) return undefined;
    try {
      // Bounded, regular files only: a FIFO or a link to /dev/zero here must not hang the sync.
      const m = parseJson('image manifest', ImageManifest, await readBounded(this.root, paths.imageManifest(uuid)));
      const size = (await regularFile(this.root, paths.imageFile(uuid))).size;
      const want = m.files?.[0]?.size;
      return want === undefined || want === size ? m : undefined;
    } catch {
      return undefined;
    }
  }

  private async fetch(uuid: string): Promise<ImageManifest> {
    if (this.imgapiUrls.length === 0) {
      throw new SyncStepError(
        this.here,
        `image ${uuid}`,
        'not held here, and no IMGAPI address is known (sdc application metadata imgapi_admin_ips)',
        'check SAPI metadata, then sync again',
      );
    }
    let last: SyncStepError | undefined;
    for (const base of this.imgapiUrls) {
      try {
        return await this.fetchFrom(base, uuid);
      } catch (e) {
        last = asStepError(e, this.here, `GET ${base}/images/${uuid}`);
        // Our own refusal (disk floor): another IMGAPI would not change it.
        if (e instanceof DiskFloorError) break;
      }
    }
    throw last!;
  }

  private async fetchFrom(base: string, uuid: string): Promise<ImageManifest> {
    const api = createImgapi({ transport: this.transport, baseUrl: base, timeoutMs: this.timing.httpTimeoutMs });
    const m = await api.getImage(uuid);
    if (!m)
      throw new SyncStepError(
        this.here,
        `GET ${base}/images/${uuid}`,
        'IMGAPI has no such image',
        'the zone runs an image IMGAPI does not know: import it (sdc-imgadm import), then sync again',
      );
    const size = m.files?.[0]?.size ?? 0;
    const what = `image file ${uuid} (${m.name}@${m.version})`;
    await this.guard.ensure(size, what);
    const file = join(this.root, paths.imageFile(uuid));
    await privateDir(join(this.root, 'images'));
    const tmp = tempName(file);
    const sink = new FileSink(tmp, this.guard, what, () => {}, 'sha1');
    let placed = false;
    try {
      const found = await api.getImageFile(uuid, sink, { timeoutMs: this.timing.sendTimeoutMs });
      if (!found)
        throw new SyncStepError(
          this.here,
          `GET ${base}/images/${uuid}/file`,
          'IMGAPI has the manifest but no file',
          'check the image in IMGAPI (its file may be lost)',
        );
      if (!sink.writableEnded) sink.end();
      await finished(sink).catch(() => undefined);
      if (sink.failure) throw sink.failure;
      const want = m.files?.[0];
      if (want && want.size !== sink.bytes) {
        throw new SyncStepError(
          this.here,
          `GET ${base}/images/${uuid}/file`,
          `got ${sink.bytes} bytes, the manifest says ${want.size}`,
          'the download was cut short: the next sync fetches it again',
        );
      }
      const sha1 = sink.digest();
      if (want?.sha1 && sha1 !== want.sha1) {
        throw new SyncStepError(
          this.here,
          `GET ${base}/images/${uuid}/file`,
          `sha1 ${sha1} does not match the manifest's ${want.sha1}`,
          'the file is damaged in transit or in IMGAPI: check it there',
        );
      }
      await rename(tmp, file);
      placed = true;
    } finally {
      if (!placed) {
        sink.destroy();
        await finished(sink).catch(() => undefined);
        await unlink(tmp).catch(() => undefined);
      }
    }
    await writeJsonAtomic(this.root, paths.imageManifest(uuid), m);
    this.fetched.push({ uuid, bytes: sink.bytes });
    return m;
  }

  /** Remove images no zone in restore-data uses any more (nor as an origin). */
  async prune(inUse: ReadonlySet<string>): Promise<string[]> {
    const dir = join(this.root, 'images');
    const files = await readdir(dir).catch(() => [] as string[]);
    const pruned: string[] = [];
    for (const f of files) {
      const m = /^([0-9a-f-]{36})\.json$/.exec(f);
      if (!m || inUse.has(m[1]!)) continue;
      // Manifest first: without it the file is not an image the restore would use.
      await unlink(join(dir, f)).catch(() => undefined);
      await unlink(join(dir, `${m[1]!}.file`)).catch(() => undefined);
      pruned.push(m[1]!);
    }
    return pruned;
  }
}
