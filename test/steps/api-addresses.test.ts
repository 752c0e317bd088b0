// Where each API answers: its instances' admin NICs first, the setup-time metadata last.
import { describe, expect, it } from 'vitest';
import { adminIpsByZone, answeredAt, apiAddresses } from '../../src/steps/sync/api-addresses.js';

const APP = { uuid: '00000000-0000-4000-8000-000000000001', name: 'sdc', metadata: { cnapi_admin_ips: '10.0.0.20' } };
const SVC = { uuid: '00000000-0000-4000-8000-000000000002', name: 'cnapi', application_uuid: APP.uuid };
const INST = { uuid: '00000000-0000-4000-8000-000000000003', service_uuid: SVC.uuid };
const MAC = '90:b8:d0:00:00:01';

describe('api addresses', () => {
  it('takes the admin NIC, not an external one, and puts the metadata after it', () => {
    const ips = adminIpsByZone([
      {
        uuid: INST.uuid,
        nics: [
          { mac: MAC, nic_tag: 'external', ip: '192.0.2.5' },
          { mac: MAC, nic_tag: 'admin', ip: '10.0.0.99' },
        ],
      },
    ]);
    const a = apiAddresses('cnapi', [SVC], [INST], ips, APP);
    expect(a).toEqual({ urls: ['http://10.0.0.99', 'http://10.0.0.20'], live: ['http://10.0.0.99'] });
    expect(answeredAt('cnapi', a, 'http://10.0.0.99')).toBeUndefined();
    expect(answeredAt('cnapi', a, 'http://10.0.0.20')).toMatch(/setup-time cnapi_admin_ips/);
  });

  it('with no admin NIC known, only the metadata, and it says so', () => {
    const a = apiAddresses('cnapi', [SVC], [INST], new Map(), APP);
    expect(a.urls).toEqual(['http://10.0.0.20']);
    expect(a.fallback).toMatch(/setup-time cnapi_admin_ips \(http:\/\/10\.0\.0\.20\)/);
  });
});
