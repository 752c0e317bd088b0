// Verified, not just fresh (issue 16 item 9): sync runs every held stream
// chain through zstreamdump (after a full send, daily otherwise, and each new
// stream), keeps svc-<service>/verified.json, and check reports a stream
// corrupted after it was synced, while its age still looks fresh.
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatCheckText } from '../../src/state/check-report.js';
import { formatPrometheus } from '../../src/state/prometheus.js';
import { paths, type ImagesVerified, type Verified } from '../../src/state/restore-data-layout.js';
import { VERIFY_EVERY_MS } from '../../src/state/verify-schedule.js';
import { runCheck } from '../../src/steps/check.js';
import { runSync } from '../../src/steps/sync/run.js';
import { inst, openHealthy, readJsonFile, syncOpts } from '../support/sync-dc.js';

const SAPI0 = inst('sapi0').uuid;

describe('sync verifies the streams it holds', () => {
  it("records each dataset's verification after the full send; check, --json and the metrics carry it apart from the age", async () => {
    const t = await openHealthy();
    expect((await runSync(syncOpts(t))).exitCode).toBe(0);
    const v = readJsonFile<Verified>(join(t.sim.restoreDataDir, paths.svcVerified('sapi')));
    expect(v.datasets).toEqual([
      {
        uuid: SAPI0,
        time: expect.any(String),
        ok: true,
        snapshot: expect.stringContaining(`zones/${SAPI0}/data@`),
        streams: 1,
      },
    ]);
    const r = await runCheck(t.sim, { timeoutMs: 400 });
    const sapi = r.report.services.find((s) => s.name === 'sapi')!;
    expect(sapi.restoreData).toMatchObject({ verifiedOk: true, verifiedAgeSeconds: expect.any(Number) });
    const prom = formatPrometheus(r.report, new Date(), { maxAgeMinutes: 30 });
    expect(prom).toMatch(/^triton_recover_restore_data_verified_ok\{headnode="headnode1",service="sapi"\} 1$/m);
    expect(prom).toMatch(
      /^triton_recover_restore_data_verified_age_seconds\{headnode="headnode1",service="sapi"\} \d+$/m,
    );
    expect(r.report.problems.filter((p) => p.code === 'RESTORE_DATA_CORRUPT')).toEqual([]);
  });

  // The done-when line of issue 16, word for word; the sync after sends a new full stream.
  it('A stream corrupted after sync is reported by the next verification, while its age still looks fresh', async () => {
    const t = await openHealthy();
    expect((await runSync(syncOpts(t))).exitCode).toBe(0);
    const root = t.sim.restoreDataDir;
    // A byte rots on disk, in the middle of sapi0's full stream (same size: a size check passes).
    const file = join(root, paths.datasetStream('sapi', SAPI0));
    const buf = readFileSync(file);
    const at = Math.floor(buf.length / 2);
    buf.writeUInt8(buf.readUInt8(at) ^ 0xff, at);
    writeFileSync(file, buf);
    // A day later the whole chain is due again (the incremental alone would not show it).
    const vfile = join(root, paths.svcVerified('sapi'));
    const v = readJsonFile<Verified>(vfile);
    writeFileSync(
      vfile,
      JSON.stringify({
        datasets: v.datasets.map((d) => ({
          ...d,
          time: new Date(Date.now() - VERIFY_EVERY_MS - 60_000).toISOString(),
        })),
      }),
    );

    const second = await runSync(syncOpts(t));
    const sapi = second.services.find((s) => s.service === 'sapi')!;
    expect(sapi.datasets[0]!.kind).toBe('incremental');
    expect(sapi.warnings.join('\n')).toMatch(
      new RegExp(
        `VERIFY FAILED for sapi dataset ${SAPI0}: zstreamdump < \\S+dataset-${SAPI0}\\.zfs on headnode1: Expected checksum differs from computed checksum`,
      ),
    );

    const r = await runCheck(t.sim, { timeoutMs: 400 });
    const entry = r.report.services.find((s) => s.name === 'sapi')!;
    expect(entry.restoreData.ageSeconds).toBeLessThan(60); // fresh
    expect(entry.restoreData.verifiedOk).toBe(false);
    const p = r.report.problems.filter((x) => x.code === 'RESTORE_DATA_CORRUPT');
    expect(p).toHaveLength(1);
    expect(p[0]).toMatchObject({ severity: 'warning', service: 'sapi' });
    expect(p[0]!.message).toContain("sapi0's streams");
    expect(p[0]!.fix).toContain('run triton-recover sync on headnode1');
    expect(formatPrometheus(r.report, new Date(), { maxAgeMinutes: 30 })).toMatch(
      /^triton_recover_restore_data_verified_ok\{headnode="headnode1",service="sapi"\} 0$/m,
    );
    expect(formatCheckText(r.report, 'check')).toMatch(
      /^ {2}sapi {9}synced \d+ min ago, verified \d+ min ago and FAILED$/m,
    );

    // The next sync replaces the failed chain with a full stream, verified.
    const third = await runSync(syncOpts(t));
    expect(third.services.find((s) => s.service === 'sapi')!.datasets[0]).toMatchObject({ kind: 'full' });
    expect(readJsonFile<Verified>(vfile).datasets[0]).toMatchObject({ ok: true, streams: 1 });
    const again = await runCheck(t.sim, { timeoutMs: 400 });
    expect(again.report.problems.filter((x) => x.code === 'RESTORE_DATA_CORRUPT')).toEqual([]);
  });

  it("each image file is verified against its manifest's size and sha1: a rotten byte is RESTORE_DATA_CORRUPT naming the image and the service, and the next sync fetches it again", async () => {
    const t = await openHealthy();
    expect((await runSync(syncOpts(t))).exitCode).toBe(0);
    const root = t.sim.restoreDataDir;
    const image = inst('sapi0').image;
    const vfile = join(root, paths.imagesVerified);
    const first = readJsonFile<ImagesVerified>(vfile);
    expect(first.images.find((i) => i.uuid === image)).toEqual({ uuid: image, time: expect.any(String), ok: true });
    // A byte rots in the held file (same size), and a day passes: the held file is due again.
    const file = join(root, paths.imageFile(image));
    const buf = readFileSync(file);
    buf.writeUInt8(buf.readUInt8(0) ^ 0xff, 0);
    writeFileSync(file, buf);
    const dayAgo = new Date(Date.now() - VERIFY_EVERY_MS - 60_000).toISOString();
    writeFileSync(vfile, JSON.stringify({ images: first.images.map((i) => ({ ...i, time: dayAgo })) }));

    const second = await runSync(syncOpts(t));
    const sapi = second.services.find((s) => s.service === 'sapi')!;
    expect(sapi.warnings.join('\n')).toMatch(
      new RegExp(
        `VERIFY FAILED for sapi image ${image}: \\S+images/${image}\\.file on headnode1 has sha1 [0-9a-f]{40}, its manifest says [0-9a-f]{40}`,
      ),
    );
    const r = await runCheck(t.sim, { timeoutMs: 400 });
    expect(r.report.services.find((s) => s.name === 'sapi')!.restoreData.ageSeconds).toBeLessThan(60); // fresh
    const corrupt = r.report.problems.filter((x) => x.code === 'RESTORE_DATA_CORRUPT' && x.service === 'sapi');
    expect(corrupt).toHaveLength(1);
    expect(corrupt[0]).toMatchObject({ severity: 'warning' });
    expect(corrupt[0]!.message).toContain(`image `);
    expect(corrupt[0]!.message).toContain(`${image} (images/${image}.file)`);
    expect(corrupt[0]!.fix).toContain('fetches the image again');

    // The next sync fetches the file again from IMGAPI, and it is verified by that fetch.
    const third = await runSync(syncOpts(t));
    expect(third.services.find((s) => s.service === 'sapi')!.warnings.join('\n')).not.toContain('VERIFY FAILED');
    expect(readJsonFile<ImagesVerified>(vfile).images.find((i) => i.uuid === image)).toMatchObject({ ok: true });
    expect(readFileSync(file).equals(buf)).toBe(false);
    const again = await runCheck(t.sim, { timeoutMs: 400 });
    expect(again.report.problems.filter((x) => x.code === 'RESTORE_DATA_CORRUPT')).toEqual([]);
  });

  it('RESTORE_DATA_UNVERIFIED: restore-data synced minutes ago but never verified, or last verified longer ago than --max-verified-age', async () => {
    const t = await openHealthy();
    expect((await runSync(syncOpts(t))).exitCode).toBe(0);
    const root = t.sim.restoreDataDir;
    const clean = await runCheck(t.sim, { timeoutMs: 400 });
    expect(clean.report.problems.filter((p) => p.code === 'RESTORE_DATA_UNVERIFIED')).toEqual([]);

    // sapi's stream: last verified 27 h ago (the daily verification did not happen), synced just now.
    const vfile = join(root, paths.svcVerified('sapi'));
    const v = readJsonFile<Verified>(vfile);
    const old = new Date(Date.now() - 27 * 3600_000).toISOString();
    writeFileSync(vfile, JSON.stringify({ datasets: v.datasets.map((d) => ({ ...d, time: old })) }));
    // ufds: never verified (a restore-data from before verification came).
    unlinkSync(join(root, paths.svcVerified('ufds')));

    const r = await runCheck(t.sim, { timeoutMs: 400 });
    const un = r.report.problems.filter((p) => p.code === 'RESTORE_DATA_UNVERIFIED');
    expect(un.map((p) => [p.service, p.severity])).toEqual([
      ['sapi', 'warning'],
      ['ufds', 'warning'],
    ]);
    expect(un[0]!.message).toMatch(
      /^the sapi restore-data on headnode1 was synced \d+ s ago but is not known to restore: last verified more than 26 h ago: sapi0's streams \(27 h ago\)$/,
    );
    expect(un[1]!.message).toContain("never verified: ufds0's streams");
    expect(r.report.services.find((s) => s.name === 'sapi')!.restoreData.ageSeconds).toBeLessThan(60);
    expect(formatPrometheus(r.report, new Date(), { maxAgeMinutes: 30 })).toMatch(
      /^triton_recover_problems\{code="RESTORE_DATA_UNVERIFIED",severity="warning"\} 2$/m,
    );
    expect(formatCheckText(r.report, 'check')).toContain('RESTORE_DATA_UNVERIFIED');
    // The limit is an option: 30 h lets the 27 h old verification pass.
    const lax = await runCheck(t.sim, { timeoutMs: 400, maxVerifiedAgeHours: 30 });
    expect(lax.report.problems.filter((p) => p.code === 'RESTORE_DATA_UNVERIFIED').map((p) => p.service)).toEqual([
      'ufds',
    ]);
  });
});
