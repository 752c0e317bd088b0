// What a conversion does, step by step (RFD 67 M0, the headnode-setup
// prototype and headnode-prepare.sh; reference A3, A4), for the operator to
// read before anything runs. Pure.

export interface ConvertStep {
  title: string;
  where: string;
  what: string[];
}

export interface ConvertPlanInput {
  local: string;
  target: { hostname: string; uuid: string };
  /** Members running on live servers now. */
  binders: number;
  manatees: number;
  morays: number;
  dhcpdOnTarget: boolean;
}

export function convertSteps(i: ConvertPlanInput): ConvertStep[] {
  const t = i.target;
  const dir = '/usbkey/extra/headnode-prepare';
  const steps: ConvertStep[] = [
    {
      title: 'Prepare the headnode USB key data',
      where: i.local,
      what: [`${dir}/usbkey-base.tgz (the minimal headnode key: boot/, config, tools, os/)`, `${dir}/${t.uuid}.config`, `${dir}/${t.uuid}.networking.json`],
    },
    {
      title: `Prepare ${t.hostname}`,
      where: t.hostname,
      what: [
        'check: global zone, not booted as a headnode, sysinfo Setup is true',
        'sdc-usbkey mount; fetch the files above from assets (http://<assets>/extra/headnode-prepare/)',
        'rewrite the USB key (keeping .joyliveusb): base, config, boot/networking.json; log to /var/log/headnode-prepare.log',
      ],
    },
    {
      title: `Two reboots of ${t.hostname}`,
      where: t.hostname,
      what: [
        'reboot 1: it boots from its USB key as a headnode; headnode.sh creates zones/usbkey and reboots (2)',
        'after reboot 2 headnode.sh skips creating core zones (setup_complete is already recorded)',
        `wait until CNAPI shows ${t.hostname} with setup=true and headnode=true`,
      ],
    },
  ];
  const ha: string[] = [];
  if (i.binders < 3) ha.push(`a binder on ${t.hostname} (sdcadm post-setup ha-binder with the existing binders' servers and ${t.hostname})`);
  if (i.manatees < 3) ha.push(`a manatee peer on ${t.hostname} (SAPI CreateInstance of the manatee service; it joins as an async)`);
  if (i.morays < 3) ha.push(`a moray on ${t.hostname} (sdcadm create moray -s ${t.hostname})`);
  if (!i.dhcpdOnTarget) ha.push(`a dhcpd on ${t.hostname} (sdcadm create dhcpd -s ${t.hostname}): compute nodes boot while any one headnode is down`);
  steps.push({ title: 'HA layout', where: t.hostname, what: ha.length ? ha : ['nothing: the DC already has 3 binders, 3 manatees, 3 morays and a dhcpd here'] });
  return steps;
}
