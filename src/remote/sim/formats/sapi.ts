// SAPI's application, services and instance records.
import { stableUuid } from '../defaults.js';
import type { SimWorld } from '../world.js';
import { binderIps, ipsOf, netmaskOf, simSecret } from './common.js';

export function sdcApplication(world: SimWorld): Record<string, unknown> {
  const dc = world.state.datacenter;
  const md: Record<string, unknown> = {
    datacenter_name: dc.name,
    dns_domain: dc.dnsDomain,
    // Config-agent templates read the UFDS root credentials from here, as in a real DC.
    ufds_ldap_root_dn: 'cn=root',
    ufds_ldap_root_pw: simSecret(world, 'ufds_ldap_root_pw'),
    ufds_admin_uuid: dc.adminUuid,
    admin_network: world.state.adminNetwork.subnet.split('/')[0],
    admin_netmask: netmaskOf(world),
    manatee_shard: 'sdc',
    ZK_SERVERS: binderIps(world).map((host, n) => ({
      host,
      port: 2181,
      num: n + 1,
      ...(n === binderIps(world).length - 1 ? { last: true } : {}),
    })),
  };
  const services = [...new Set(world.state.instances.map((i) => i.service))];
  for (const svc of services) {
    const ips = ipsOf(world, svc);
    md[`${svc}_admin_ips`] = ips.join(',');
    md[`${svc}_admin_ip`] = ips[0] ?? '';
    md[`${svc.toUpperCase()}_SERVICE`] = `${svc}.${dc.name}.${dc.dnsDomain}`;
  }
  md['sapi-url'] = `http://${ipsOf(world, 'sapi')[0] ?? ''}`;
  md['assets-ip'] = ipsOf(world, 'assets')[0] ?? '';
  md['rabbitmq'] = world.state.sim.bootParams?.['rabbitmq'] ?? '';
  Object.assign(md, world.state.sim.sapiMetadata ?? {});
  return {
    uuid: stableUuid(dc.name, 'sapi-application', 'sdc'),
    name: 'sdc',
    owner_uuid: dc.adminUuid,
    params: {},
    metadata: md,
    manifests: {},
  };
}

export function sapiServiceUuid(world: SimWorld, service: string): string {
  return stableUuid(world.state.datacenter.name, 'sapi-service', service);
}

export function sapiServices(world: SimWorld): Record<string, unknown>[] {
  const app = stableUuid(world.state.datacenter.name, 'sapi-application', 'sdc');
  const services = [...new Set(world.state.instances.map((i) => i.service))].sort();
  return services.map((name) => {
    const img = world.state.instances.find((i) => i.service === name)?.image;
    return {
      uuid: sapiServiceUuid(world, name),
      name,
      application_uuid: app,
      type: 'vm',
      params: {
        image_uuid: img,
        tags: { smartdc_role: name, smartdc_type: 'core' },
        networks: [{ name: 'admin' }],
        delegate_dataset: world.state.instances.some((i) => i.service === name && i.delegatedDataset),
        archive_on_delete: true,
        maintain_resolvers: true,
      },
      metadata: { SERVICE_NAME: `${name}.${world.state.datacenter.name}.${world.state.datacenter.dnsDomain}` },
      manifests: {},
    };
  });
}

export function sapiInstance(
  world: SimWorld,
  rec: { uuid: string; service: string; alias: string; server: string },
): Record<string, unknown> {
  return {
    uuid: rec.uuid,
    service_uuid: sapiServiceUuid(world, rec.service),
    params: { alias: rec.alias, server_uuid: rec.server },
    metadata: {},
    manifests: {},
    type: 'vm',
  };
}
