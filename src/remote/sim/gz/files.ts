// A GZ's files as the console touches them: `test`, `ls` of /usbkey, the lock
// directories (mkdir, tee, cat, rm, mv), and illumos `tar`, which only refuses.
import { err, ok, type CmdResult } from '../cmd-result.js';
import type { SimWorld } from '../world.js';
import { booterCacheListing } from '../booter.js';
import type { ScenarioServer } from '../scenario.js';
import { USBKEY_EXTRA_FULL, usbkeyEntry, usbkeyOsListing } from '../usbkey.js';
import { mountedKeyEntry } from '../usbkey-key.js';

/** `test -d|-f PATH`: a filled /usbkey as the scenario says (usbkey.ts), a zone's setup marker, else the GZ's few files. */
export function testCmd(world: SimWorld, srv: ScenarioServer, args: string[]): CmdResult {
  const [flag, path = ''] = args;
  const marker = /^\/zones\/([0-9a-f-]{36})\/root\/var\/svc\/setup_complete$/.exec(path);
  if (flag === '-f' && marker)
    return { code: setupCompleteWritten(world, srv, marker[1]!) ? 0 : 1, stdout: '', stderr: '' };
  const files = srv.files ?? {};
  const onKey =
    args.length === 2 && /^\/usbkey\/(os|extra)(\/|$)/.test(path)
      ? usbkeyEntry(world.state, srv, path)
      : args.length === 2
        ? mountedKeyEntry(srv, path)
        : undefined;
  const there =
    flag === '-f' ? path in files || onKey === 'file' : flag === '-d' ? `${path}/` in files || onKey === 'dir' : false;
  return { code: there ? 0 : 1, stdout: '', stderr: '' };
}

/**
 * A zone's setup.sh touches /var/svc/setup_complete as its very last step
 * (sdc-scripts lib/util.sh sdc_setup_complete); headnode.sh create_zone waits
 * for it before it trusts svcs. Nothing in today's sdc-scripts or user-script
 * writes setup_failed: a failed setup only leaves the marker missing and the
 * user-script's service in maintenance, so the simulator writes no
 * setup_failed either (a scenario may still put one in `files`).
 */
function setupCompleteWritten(world: SimWorld, srv: ScenarioServer, uuid: string): boolean {
  const inst = world.instanceOn(srv.hostname, uuid);
  if (!inst) return false;
  // Zones the scenario starts with set themselves up long ago; a created zone only once its first boot ends well.
  if (inst.bootStartedAt === undefined) return inst.payload === undefined;
  return inst.setupDoneAt !== undefined;
}

/**
 * `ls [-1] DIR` of /usbkey/os (platform directories and the `latest` link) or of
 * a directory under /usbkey/extra, or a dhcpd zone's booter cache (booter.ts); sorted,
 * one a line, as illumos ls prints to a pipe.
 */
export function ls(world: SimWorld, srv: ScenarioServer, args: string[]): CmdResult {
  const dirs = args.filter((a) => !a.startsWith('-'));
  if (dirs.length !== 1 || args.some((a) => a.startsWith('-') && a !== '-1'))
    return err(2, 'ls: the simulator knows only ls [-1] DIR');
  const dir = dirs[0]!.replace(/\/+$/, '');
  const gone = err(2, `${dirs[0]!}: No such file or directory`);
  if (dir === '/usbkey/os') {
    const names = usbkeyOsListing(world.state, srv);
    return names ? ok(names.map((n) => `${n}\n`).join('')) : gone;
  }
  const cache = booterCacheListing(world, srv, dir);
  if (cache) return ok(cache.map((n) => `${n}\n`).join(''));
  if (/^\/usbkey\/extra(\/|$)/.test(dir) && usbkeyEntry(world.state, srv, dir) === 'dir') {
    const prefix = dir === '/usbkey/extra' ? '' : `${dir.slice('/usbkey/extra/'.length)}/`;
    const names = (srv.usbkeyExtra ?? USBKEY_EXTRA_FULL)
      .filter((p) => p.startsWith(prefix) && p !== prefix)
      .map((p) => p.slice(prefix.length).replace(/\/$/, ''))
      .filter((p) => !p.includes('/'));
    return ok(
      [...new Set(names)]
        .sort()
        .map((n) => `${n}\n`)
        .join(''),
    );
  }
  return gone;
}

/** mkdir [-p] DIR, tee FILE (stdin), cat FILE, rm -rf PATH: atomic as on a real filesystem. */
export function gzFiles(world: SimWorld, srv: ScenarioServer, tool: string, args: string[], stdin: Buffer): CmdResult {
  const files = (srv.files ??= {});
  const path = args.filter((a) => !a.startsWith('-')).pop() ?? '';
  const parent = path.replace(/\/[^/]+\/?$/, '');
  const isDir = (p: string): boolean =>
    p === '' ||
    p === '/root' ||
    p === '/var' ||
    p === '/var/tmp' ||
    p === '/var/sdcadm' ||
    `${p}/` in files ||
    (srv.usbkey && (p === '/usbkey' || p === '/usbkey/extra'));
  switch (tool) {
    case 'mkdir':
      if (isDir(path))
        return args.includes('-p') ? ok() : err(1, `mkdir: Failed to make directory "${path}"; File exists`);
      if (!isDir(parent) && !args.includes('-p'))
        return err(1, `mkdir: Failed to make directory "${path}"; No such file or directory`);
      files[`${path}/`] = '';
      world.commit();
      return ok();
    case 'tee':
      if (!isDir(parent)) return err(1, `tee: cannot open ${path}: No such file or directory`);
      files[path] = stdin.toString('utf8');
      world.commit();
      return ok(files[path]);
    case 'cat':
      return path in files ? ok(files[path]) : err(2, `cat: cannot open ${path}: No such file or directory`);
    case 'rm':
      for (const k of Object.keys(files)) if (k === path || k.startsWith(`${path}/`)) delete files[k];
      world.commit();
      return ok();
  }
  return err(127, `${tool}: not found`);
}

/**
 * /usr/bin/tar in a SmartOS GZ is illumos tar (illumos-gate usr/src/cmd/tar/tar.c
 * main()): its first argument is the function key (a leading '-' is skipped),
 * and every letter of it goes through a switch that has no 'C': `tar -C DIR
 * -czf ...` dies with "C: unknown function modifier". `-C` is understood only
 * among the file operands. GNU tar is gtar there.
 */
const ILLUMOS_TAR_KEY = new Set('crtuxbefFhijklmnopqvwXzDEPT@/01234567'.split(''));

export function illumosTar(args: string[]): CmdResult {
  const key = (args[0] ?? '').replace(/^-/, '');
  const bad = [...key].find((ch) => !ILLUMOS_TAR_KEY.has(ch));
  if (!key || bad !== undefined) {
    return err(
      1,
      `tar: ${bad ?? ''}: unknown function modifier\nUsage: tar {c|r|t|u|x}[BDeEFhilmnopPqTvw@/[0-7]][bfk][X...] [j|z|Z] [blocksize] [tarfile] [size] [exclude-file...] {file | -I include-file | -C directory file}...`,
    );
  }
  return err(1, 'tar: the simulator runs illumos tar only to refuse it; use gtar (GNU tar) as the conversion does');
}

/** `mv SRC DST` of one file: a rename, atomic as on a real filesystem. */
export function mv(world: SimWorld, srv: ScenarioServer, args: string[]): CmdResult {
  const files = (srv.files ??= {});
  const [src, dst] = args.filter((a) => !a.startsWith('-'));
  if (!src || !dst || !(src in files)) return err(2, `mv: cannot access ${src ?? ''}: No such file or directory`);
  files[dst] = files[src]!;
  delete files[src];
  world.commit();
  return ok();
}
