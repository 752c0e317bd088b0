// Every conversion action kind, one entry each: what prepare looks at on a
// rerun (already done? unsafe?) and what execute does, once. A rerun after a
// crash meets every action again through prepare: nothing is repeated
// blindly, a server is never rebooted twice. The compiler asks for an entry
// for every kind; test/steps/convert-actions.test.ts pins each rule.
import type { ConvertAction, ConvertActionKind, ConvertActionOf } from '../../state/convert-action.js';
import type { Prepared } from '../procedure/run-action.js';
import type { ConvertContext, KindHandler } from './context.js';
import { mkdir, removeFile, writeBase, writeConfig, writeNetfile } from './files.js';
import { createInstance, waitInstance } from './instances.js';
import { prepareServer, reboot, waitHeadnode } from './reboot.js';
import { fetchSdcadm, usbkeyMount, usbkeyUnmount } from './usbkey.js';

export { ActionFailed } from '../procedure/action-failed.js';
export { DEFAULT_CONVERT_TIMING, type ConvertContext, type ConvertTiming } from './context.js';

const KINDS: { [K in ConvertActionKind]: KindHandler<ConvertActionOf<K>> } = {
  mkdir,
  'fetch-sdcadm': fetchSdcadm,
  'usbkey-mount': usbkeyMount,
  'write-base': writeBase,
  'usbkey-unmount': usbkeyUnmount,
  'write-netfile': writeNetfile,
  'write-config': writeConfig,
  'prepare-server': prepareServer,
  'remove-file': removeFile,
  reboot,
  'wait-headnode': waitHeadnode,
  'create-instance': createInstance,
  'wait-instance': waitInstance,
};

/** The handler of one action's kind, typed for that kind. */
function handlerOf<K extends ConvertActionKind>(kind: K): KindHandler<ConvertActionOf<K>> {
  return KINDS[kind];
}

export function prepareConvert(ctx: ConvertContext, a: ConvertAction): Promise<Prepared> {
  return handlerOf(a.kind).prepare(ctx, a);
}

export function executeConvert(ctx: ConvertContext, a: ConvertAction): Promise<string> {
  return handlerOf(a.kind).execute(ctx, a);
}
