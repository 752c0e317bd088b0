// sdcadm command lines the console runs or tells the operator to run, spelled
// once with sdcadm's real flags (sdcadm lib/cli/do_create.js: `-s, --servers`;
// `--server` is a hidden deprecated alias).

/**
 * A dhcpd zone on a server. dhcpd is not in sdcadm's HA-ready list, so any
 * instance needs --dev-allow-multiple-instances (lib/procedures/index.js).
 */
export function sdcadmCreateDhcpd(server: string): string[] {
  return ['sdcadm', 'create', 'dhcpd', '-s', server, '--dev-allow-multiple-instances', '-y'];
}
