// The redaction of secrets in what people read (fidelity audit 17).
import { describe, expect, it } from 'vitest';
import { isSecretKey, redact, redactText } from '../../src/state/redact.js';

describe('redact', () => {
  it('knows passwords, hashes, private keys and tokens from public keys and the rest', () => {
    for (const k of [
      'usbkey_config',
      'ufds_ldap_root_pw',
      'ufds_admin_pw',
      'adminui_password',
      'root_shadow',
      'sdc_private_key',
      'SDC_PRIVATE_KEY',
      'some_secret',
      'api_token',
      'manta_key',
    ]) {
      expect(isSecretKey(k), k).toBe(true);
    }
    for (const k of [
      'root_authorized_keys',
      'sdc_public_key',
      'ufds_ldap_root_dn',
      'ufds_admin_key_fp',
      'sapi-url',
      'assets-ip',
      'user-script',
      'rabbitmq',
      'alias',
    ]) {
      expect(isSecretKey(k), k).toBe(false);
    }
  });

  it('replaces secret values anywhere in a JSON value, and leaves the input alone', () => {
    const payload = {
      alias: 'sapi0',
      customer_metadata: {
        usbkey_config: 'root_shadow=$5$abc\n',
        ufds_ldap_root_pw: 'hunter2',
        root_authorized_keys: 'ssh-rsa AAAA op@x',
        'sapi-url': 'http://10.0.0.3',
      },
      nics: [{ ip: '10.0.0.3', token: 't0k' }],
      empty: { some_pw: '' },
    };
    const before = JSON.stringify(payload);
    expect(redact(payload)).toEqual({
      alias: 'sapi0',
      customer_metadata: {
        usbkey_config: '<redacted>',
        ufds_ldap_root_pw: '<redacted>',
        root_authorized_keys: 'ssh-rsa AAAA op@x',
        'sapi-url': 'http://10.0.0.3',
      },
      nics: [{ ip: '10.0.0.3', token: '<redacted>' }],
      empty: { some_pw: '' },
    });
    expect(JSON.stringify(payload)).toBe(before);
  });

  it('redacts JSON in text, cut short or escaped, and /usbkey/config lines', () => {
    expect(
      redactText(
        'GET /applications/x -> HTTP 200\n{"metadata":{"ufds_ldap_root_pw":"a\\"b","dns_domain":"example.com"}}',
      ),
    ).toBe(
      'GET /applications/x -> HTTP 200\n{"metadata":{"ufds_ldap_root_pw":"<redacted>","dns_domain":"example.com"}}',
    );
    expect(redactText('{"usbkey_config": "root_shadow=$5$abc\\nadmin_pw=x')).toBe('{"usbkey_config": "<redacted>"');
    expect(redactText('datacenter_name=us-west-1\nroot_shadow=$5$abc\n  ufds_admin_pw=secret1\n')).toBe(
      'datacenter_name=us-west-1\nroot_shadow=<redacted>\n  ufds_admin_pw=<redacted>\n',
    );
    expect(redactText('vmadm create: exit 1')).toBe('vmadm create: exit 1');
  });
});
