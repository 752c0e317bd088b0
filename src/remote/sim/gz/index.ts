// The global zone's commands: which tool answers which argv. Each tool's module
// parses its arguments, asks the world (world.ts) and answers in the tool's format.
import { err, ok, type CmdResult } from '../cmd-result.js';
import type { SimWorld } from '../world.js';
import type { ScenarioServer } from '../scenario.js';
import { sysinfoObject } from '../formats/server.js';
import { PREPARE_MARKER, runPrepareScript } from '../headnode-prepare.js';
import { sdcadm } from '../sdcadm.js';
import { gtar, sdcUsbkey, updatesImgadm } from '../usbkey-key.js';
import { gzFiles, illumosTar, ls, mv, testCmd } from './files.js';
import { imgadm } from './imgadm.js';
import { nc, ping } from './net.js';
import { svcs, zlogin } from './svcs-zlogin.js';
import { vmadm } from './vmadm.js';
import { zfs } from './zfs.js';
import { zstreamdumpOutput } from '../zfs-stream.js';

/** Realistic stderr for an injected `fail` fault. */
export function faultFailure(argv: readonly string[]): CmdResult {
  const tool = argv[0] ?? 'sh';
  const msg: Record<string, string> = {
    vmadm: `vmadm: ERROR: ${argv[1] ?? ''} failed: zoneadm: zone '${argv[2] ?? ''}': failed to create zone (simulated fault)`,
    imgadm: `imgadm ${argv[1] ?? ''}: error (InternalError): unexpected error: ENOSPC (simulated fault)`,
    zfs: `cannot receive new filesystem stream: checksum mismatch or incomplete stream (simulated fault)`,
    zlogin: `zlogin: login allocation failed (simulated fault)`,
  };
  return err(1, msg[tool] ?? `${tool}: failed (simulated fault)`);
}

export function runGzCommand(world: SimWorld, srv: ScenarioServer, argv: readonly string[], stdin: Buffer): CmdResult {
  world.settle();
  const [tool, ...args] = argv;
  switch (tool) {
    case 'sysinfo':
      return ok(JSON.stringify(sysinfoObject(world, srv), null, 2) + '\n');
    case 'hostname':
      return ok(`${srv.hostname}\n`);
    case 'bootparams':
      return ok(
        Object.entries(sysinfoObject(world, srv)['Boot Parameters'] as Record<string, string>)
          .map(([k, v]) => `${k}=${v}\n`)
          .join(''),
      );
    case 'vmadm':
      return vmadm(world, srv, args, stdin);
    case 'imgadm':
      return imgadm(world, srv, args);
    case 'zfs':
      return zfs(world, srv, args, stdin);
    case 'svcs':
      return svcs(world, srv, args);
    case 'zlogin':
      return zlogin(world, srv, args);
    case 'nc':
      return nc(world, srv, args, stdin);
    case 'ping':
      return ping(world, srv, args);
    case 'zstreamdump':
      return zstreamdumpOutput(stdin);
    case 'true':
      return ok();
    case 'mkdir':
    case 'tee':
    case 'cat':
    case 'rm':
      return gzFiles(world, srv, tool, args, stdin);
    case 'test':
      return testCmd(world, srv, args);
    case 'ls':
      return ls(world, srv, args);
    case 'reboot':
      world.reboot(srv);
      return ok();
    case 'bash':
      // Only the shipped preparation script runs through bash, fed on stdin.
      if (args[0] === '-s' && stdin.toString('utf8').includes(PREPARE_MARKER))
        return runPrepareScript(world, srv, args.slice(args[1] === '--' ? 2 : 1));
      return err(
        2,
        'bash: the simulator runs only share/headnode-prepare.sh (bash -s -- ARGS with the script on stdin)',
      );
    case 'tar':
      return illumosTar(args);
    case 'gtar':
      return gtar(world, srv, args);
    case 'sdc-usbkey':
      return sdcUsbkey(world, srv, args);
    case 'updates-imgadm':
      return updatesImgadm(world, srv, args);
    case 'mv':
      return mv(world, srv, args);
    case 'sdcadm':
      return sdcadm(world, srv, args);
    default:
      return err(127, `bash: ${tool ?? ''}: command not found`);
  }
}
