// A conversion action as a line an operator could run by hand. Pure.
import { formatCommand } from '../values/shell-quote.js';
import type { ConvertAction } from './convert-plan.js';
import { curlOf } from './plan.js';

export function describeConvertAction(a: ConvertAction): string {
  const final = a.path ?? '';
  switch (a.kind) {
    case 'write-base':
      return `${a.host}$ ${formatCommand(a.argv!)} && mv ${final}.tmp ${final}`;
    case 'write-netfile':
    case 'write-config': {
      const src = `${a.source!.host}$ ${formatCommand(a.source!.argv)}`;
      const edit = a.kind === 'write-config' ? ' (hostname, admin_nic, admin_ip replaced; external_ip dropped)' : ' (checked: JSON with an admin nictag)';
      return `${src}${edit} | ${a.host}$ ${formatCommand(a.argv!)} && mv ${final}.tmp ${final}`;
    }
    case 'fetch-sdcadm':
      return `${a.host}$ test -f ${final} || { mkdir -p ${final.replace(/\/[^/]+$/, '')} && ${formatCommand(a.argv!)} $(${a.stamp ? `{ ${formatCommand(a.stamp.argv).replace('BUILDSTAMP', `$(cat ${a.stamp.path})`)}; ${formatCommand(a.source!.argv)}; } | head -1` : formatCommand(a.source!.argv)}) && mv ${final}.tmp ${final}; }`;
    case 'prepare-server':
      return `${a.host}$ ${formatCommand(a.argv!)} < share/headnode-prepare.sh`;
    case 'wait-headnode':
      return `${curlOf(a.http!)}   # until status=running, setup=true, headnode=true`;
    case 'wait-instance':
      return `${curlOf(a.http!)}; svcs -xz <zone> (in the new headnode's GZ)${a.service === 'binder' ? '; echo ruok | nc <ip> 2181' : a.service === 'manatee' ? '; zlogin <zone> manatee-adm pg-status' : ''}   # until running and healthy`;
    default:
      if (a.http) return curlOf(a.http);
      return `${a.host}$ ${formatCommand(a.argv ?? [])}`;
  }
}
