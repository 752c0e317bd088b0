// Inventory records from what CNAPI and vmadm say: the one place a server's
// admin IP is taken from its sysinfo and an instance's identity from its vm
// dump. Kept out of state/inventory.ts, which stays free of Triton's formats.
import type { CnapiServer } from '../remote/triton/cnapi.js';
import { adminIpOf } from '../remote/triton/sysinfo.js';
import { normalMac } from '../remote/triton/booter.js';
import type { VmadmVm } from '../remote/triton/vmadm.js';
import { hasDelegatedDataset } from '../catalogue.js';
import { adminNicOf, type InvInstance, type InvServer } from '../state/inventory.js';

export function serverFromCnapi(s: CnapiServer): InvServer {
  const bootPlatform = s.boot_platform ?? s.current_platform;
  const adminMacs = s.sysinfo
    ? Object.values(s.sysinfo['Network Interfaces'])
        .filter((n) => n['NIC Names']?.includes('admin'))
        .map((n) => normalMac(n['MAC Address']))
    : [];
  return {
    uuid: s.uuid,
    hostname: s.hostname,
    headnode: s.headnode,
    adminIp: s.sysinfo ? adminIpOf(s.sysinfo) : undefined,
    ...(bootPlatform ? { bootPlatform } : {}),
    ...(adminMacs.length > 0 ? { adminMacs } : {}),
  };
}

export function instanceFromVm(service: string, vm: VmadmVm): InvInstance {
  const nic = adminNicOf(vm.nics);
  const role = vm.tags?.['smartdc_role'];
  return {
    service: typeof role === 'string' ? role : service,
    uuid: vm.uuid,
    alias: vm.alias ?? vm.uuid.slice(0, 8),
    serverUuid: vm.server_uuid,
    adminIp: nic?.ip,
    image: vm.image_uuid,
    delegatedDataset: hasDelegatedDataset(vm),
  };
}
