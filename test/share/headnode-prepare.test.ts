// share/headnode-prepare.sh run by real bash, with the SmartOS tools it calls
// (zonename, sysinfo, bootparams, json, curl, sdc-usbkey) stubbed in PATH and a
// directory standing in for the USB key. gtar (GNU tar), find and cp are the real ones.
import { execa } from 'execa';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/sim-dc.js';
import { REF } from '../support/reference.js';

const script = resolve(import.meta.dirname, '..', '..', 'share', 'headnode-prepare.sh');
const UUID = REF.cn0.uuid;

function rig(
  opts: { headnode?: boolean; setup?: boolean; netBootConfig?: boolean; setupJson?: Record<string, unknown> } = {},
): { dir: string; key: string; env: Record<string, string> } {
  const dir = tempDir('tr-hnp-');
  const bin = join(dir, 'bin');
  const key = join(dir, 'usbkey');
  const served = join(dir, 'served');
  for (const d of [bin, key, served, join(served, 'base', 'os')]) mkdirSync(d, { recursive: true });
  writeFileSync(join(key, '.joyliveusb'), 'keep me');
  writeFileSync(join(key, 'old-compute-node-file'), 'wipe me');
  writeFileSync(join(served, 'base', 'os', 'platform'), 'platform bits');
  // usbkey-base.tgz made with the real tar, as the headnode would.
  const stub = (name: string, body: string): void => {
    writeFileSync(join(bin, name), `#!/bin/bash\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  // The GZ's /usr/bin/tar is illumos tar; the script must use gtar (GNU tar, this machine's tar).
  stub('tar', 'echo "tar: illumos tar in this rig: the script must use gtar" >&2; exit 1');
  stub('gtar', `exec ${'/usr/bin/tar'} "$@"`);
  stub('zonename', 'echo global');
  stub('sysinfo', `echo '{"UUID": "${UUID}", "Setup": ${opts.setup === false ? 'false' : 'true'}}'`);
  stub('bootparams', opts.headnode ? 'echo headnode=true' : 'echo console=ttyb');
  stub(
    'json',
    `exec node -e '
    const a = process.argv.slice(1); let f; let inPlace = false; let expr; const keys = [];
    for (let i = 0; i < a.length; i++) { if (a[i] === "-f") f = a[++i]; else if (a[i] === "-I") inPlace = true; else if (a[i] === "-e") expr = a[++i]; else keys.push(a[i]); }
    const text = f ? require("fs").readFileSync(f, "utf8") : require("fs").readFileSync(0, "utf8");
    const o = JSON.parse(text);
    if (inPlace) { new Function(expr).call(o); require("fs").writeFileSync(f, JSON.stringify(o)); process.exit(0); }
    const v = keys.length ? o[keys[0]] : o;
    if (v === undefined) process.exit(1);
    console.log(typeof v === "object" ? JSON.stringify(v) : String(v));
  ' -- "$@"`,
  );
  stub(
    'curl',
    `out=""; url=""; while [ $# -gt 0 ]; do case "$1" in -o) out="$2"; shift 2;; -*) shift;; *) url="$1"; shift;; esac; done
    f="${served}/\${url##*/}"; [ -f "$f" ] || { echo "curl: (22) The requested URL returned error: 404" >&2; exit 22; }; cp "$f" "$out"`,
  );
  stub('sdc-usbkey', `[ "$1" = mount ] && echo "${key}"; exit 0`);
  // /usr/lib/sdc/net-boot-config --enabled prints true or false.
  stub('net-boot-config', `echo ${opts.netBootConfig === false ? 'false' : 'true'}`);
  if (opts.setupJson) writeFileSync(join(dir, 'setup.json'), JSON.stringify(opts.setupJson));
  writeFileSync(join(served, `${UUID}.config`), 'hostname=cn0\n');
  writeFileSync(join(served, `${UUID}.networking.json`), JSON.stringify({ nictags: [{ name: 'admin', mac: 'aa' }] }));
  const env = {
    PATH: `${bin}:${process.env['PATH'] ?? ''}`,
    HEADNODE_PREPARE_LOG: join(dir, 'prepare.log'),
    SERVED: served,
    NET_BOOT_CONFIG: join(bin, 'net-boot-config'),
    SETUP_JSON: join(dir, 'setup.json'),
  };
  return { dir, key, env };
}

async function prepare(r: ReturnType<typeof rig>): Promise<{ exitCode: number | undefined; stdout: string }> {
  await execa('tar', ['-C', join(r.env['SERVED']!, 'base'), '-czf', join(r.env['SERVED']!, 'usbkey-base.tgz'), 'os']);
  const res = await execa('bash', ['-s', '--', REF.assets0.adminIp, UUID], {
    input: readFileSync(script, 'utf8'),
    env: r.env,
    reject: false,
    extendEnv: false,
  });
  return { exitCode: res.exitCode, stdout: res.stdout + res.stderr };
}

describe('share/headnode-prepare.sh', () => {
  it('rewrites the key: base unpacked, config and boot/networking.json in place, .joyliveusb kept, the rest wiped; logs "prepared"', async () => {
    const r = rig();
    const res = await prepare(r);
    expect(res.exitCode, res.stdout).toBe(0);
    expect(readdirSync(r.key).sort()).toEqual(['.joyliveusb', 'boot', 'config', 'os']);
    expect(readFileSync(join(r.key, 'config'), 'utf8')).toBe('hostname=cn0\n');
    expect(JSON.parse(readFileSync(join(r.key, 'boot', 'networking.json'), 'utf8'))).toEqual({
      nictags: [{ name: 'admin', mac: 'aa' }],
    });
    expect(readFileSync(join(r.key, 'os', 'platform'), 'utf8')).toBe('platform bits');
    expect(readFileSync(r.env['HEADNODE_PREPARE_LOG']!, 'utf8').trim().split('\n').at(-1)).toMatch(
      new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ prepared ${UUID} `),
    );
  });

  it('refuses on a server already booted as a headnode, or not set up, before touching the key', async () => {
    for (const o of [{ headnode: true }, { setup: false }]) {
      const r = rig(o);
      const res = await prepare(r);
      expect(res.exitCode).toBe(1);
      expect(res.stdout).toMatch(o.headnode ? /already booted as a headnode/ : /not set up/);
      expect(existsSync(join(r.key, 'old-compute-node-file'))).toBe(true);
    }
  });

  it('a file assets does not serve stops it before the key is wiped', async () => {
    const r = rig();
    writeFileSync(join(r.env['SERVED']!, `${UUID}.config`), '');
    await execa('rm', [join(r.env['SERVED']!, `${UUID}.config`)]);
    const res = await prepare(r);
    expect(res.exitCode).not.toBe(0);
    expect(existsSync(join(r.key, 'old-compute-node-file'))).toBe(true);
  });

  it('without net-boot-config enabled: no networking.json is fetched or written (audit 20)', async () => {
    const r = rig({ netBootConfig: false });
    await execa('rm', [join(r.env['SERVED']!, `${UUID}.networking.json`)]);
    const res = await prepare(r);
    expect(res.exitCode, res.stdout).toBe(0);
    expect(readdirSync(r.key).sort()).toEqual(['.joyliveusb', 'config', 'os']);
    expect(res.stdout).toContain('net-boot-config is not enabled here');
  });

  it("setup.json's node_type becomes headnode only where it has one (audit 20)", async () => {
    const withType = rig({ setupJson: { node_type: 'computenode', complete: true } });
    expect((await prepare(withType)).exitCode).toBe(0);
    expect(JSON.parse(readFileSync(withType.env['SETUP_JSON']!, 'utf8'))).toEqual({
      node_type: 'headnode',
      complete: true,
    });
    const without = rig({ setupJson: { complete: true } });
    expect((await prepare(without)).exitCode).toBe(0);
    expect(JSON.parse(readFileSync(without.env['SETUP_JSON']!, 'utf8'))).toEqual({ complete: true });
  });
});
