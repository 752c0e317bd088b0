// Named facts of the reference scenario (scenarios/primary-dead.json) that
// tests use, and the smallest core-zone payload vmadm create takes: one place,
// so a test reads "SAPI0" rather than a uuid, and the scenario and the tests
// cannot drift apart unnoticed.

/** The admin user, owner of core zones. */
export const ADMIN = '317a3314-d536-5367-9173-21bc7a2e5020';
/** headnode1: the console's headnode. */
export const HN1 = '7441d100-2e6d-5cc1-a297-ab9735a04c92';
export const SAPI_IMG = '94219f1a-73c3-576b-bba6-d3359638c4e1';
export const AMONREDIS_IMG = '26763ca3-0c67-575e-9b03-41f462191033';
/** sapi0's uuid: a sapi zone finds its own SAPI record only under it (reuse). */
export const SAPI0 = '67be4635-bfdb-527a-8b91-44daa9249090';

/** A core zone's payload with one admin NIC (primary), created stopped unless `extra` says otherwise. */
export function corePayload(uuid: string, alias: string, image: string, ip: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    uuid,
    alias,
    image_uuid: image,
    brand: 'joyent-minimal',
    owner_uuid: ADMIN,
    tags: { smartdc_role: alias.replace(/\d+$/, ''), smartdc_type: 'core' },
    nics: [{ interface: 'net0', nic_tag: 'admin', ip, netmask: '255.255.255.0', primary: true }],
    autoboot: false,
    ...extra,
  });
}
