import { describe, expect, it } from 'vitest';
import { persistentKeysPath, sdcConfigValue } from '../../src/remote/triton/root-authorized-keys.js';

// As smartos-live src/lib/sdc/config.sh load_sdc_config reads `cat generic config`.
describe('where a headnode keeps root authorized_keys (root_authorized_keys_file)', () => {
  const generic = '# comment\nroot_authorized_keys_file=root.authorized_keys\n';
  it('stock generic; the config overrides it; quotes and leading blanks as bash eval sees them', () => {
    expect(persistentKeysPath(generic, 'hostname=hn\n')).toEqual({ path: '/usbkey/config.inc/root.authorized_keys' });
    expect(persistentKeysPath(generic, "  root_authorized_keys_file='ops.keys'\n")).toEqual({
      path: '/usbkey/config.inc/ops.keys',
    });
    expect(sdcConfigValue(['a=1', '#a=2', ' a="3"', '=a=4'], 'a')).toBe('3');
  });
  it('no config, no value, or a value that is not a plain file name: no place, and why', () => {
    expect(persistentKeysPath(generic, undefined).path).toBeUndefined();
    expect(persistentKeysPath(undefined, 'hostname=hn\n')).toMatchObject({
      why: expect.stringContaining('sets root_authorized_keys_file'),
    });
    expect(persistentKeysPath(generic, 'root_authorized_keys_file=../../root/x\n').path).toBeUndefined();
    expect(persistentKeysPath(generic, 'root_authorized_keys_file=..\n').path).toBeUndefined();
  });
});
