// A conversion action as a line an operator could run by hand, one entry per
// kind (the compiler asks for every kind). Pure, so the plan printout, the
// console and a failure's message all say the same.
import { formatCommand } from '../values/shell-quote.js';
import type {
  ConvertAction,
  ConvertActionKind,
  ConvertActionOf,
  CreateInstanceAction,
  WriteConfigAction,
  WriteNetfileAction,
} from './convert-action.js';
import { curlOf } from './plan.js';

/** The command as it is, in its GZ. */
const command = (a: { host: string; argv: string[] }): string => `${a.host}$ ${formatCommand(a.argv)}`;

function writeFromSource(a: WriteNetfileAction | WriteConfigAction): string {
  const src = `${a.source.host}$ ${formatCommand(a.source.argv)}`;
  const edit =
    a.kind === 'write-config'
      ? ' (hostname, admin_nic, admin_ip replaced; external_ip dropped)'
      : ' (checked: JSON with an admin nictag)';
  return `${src}${edit} | ${command(a)} && mv ${a.path}.tmp ${a.path}`;
}

const createInstance = (a: CreateInstanceAction): string => (a.http ? curlOf(a.http) : command(a));

const DESCRIBE: { [K in ConvertActionKind]: (a: ConvertActionOf<K>) => string } = {
  mkdir: command,
  'fetch-sdcadm': (a) =>
    `${a.host}$ test -f ${a.path} || { mkdir -p ${a.path.replace(/\/[^/]+$/, '')} && ${formatCommand(a.argv)} $(${a.stamp ? `{ ${formatCommand(a.stamp.argv).replace('BUILDSTAMP', `$(cat ${a.stamp.path})`)}; ${formatCommand(a.source.argv)}; } | head -1` : formatCommand(a.source.argv)}) && mv ${a.path}.tmp ${a.path}; }`,
  'usbkey-mount': command,
  'write-base': (a) => `${command(a)} && mv ${a.path}.tmp ${a.path}`,
  'usbkey-unmount': command,
  'write-netfile': writeFromSource,
  'write-config': writeFromSource,
  'prepare-server': (a) => `${command(a)} < share/headnode-prepare.sh`,
  'remove-file': command,
  reboot: command,
  'wait-headnode': (a) => `${curlOf(a.http)}   # until status=running, setup=true, headnode=true`,
  'create-instance': createInstance,
  'wait-instance': (a) =>
    `${curlOf(a.http)}; svcs -xz <zone> (in the new headnode's GZ)${a.service === 'binder' ? '; echo ruok | nc <ip> 2181' : a.service === 'manatee' ? '; zlogin <zone> manatee-adm pg-status' : ''}   # until running and healthy`,
};

function describeOf<K extends ConvertActionKind>(kind: K): (a: ConvertActionOf<K>) => string {
  return DESCRIBE[kind];
}

export function describeConvertAction(a: ConvertAction): string {
  return describeOf(a.kind)(a);
}
