#!/bin/bash
# triton-recover headnode-prepare v1
#
# Run in the global zone of a set-up compute node to make its USB key a
# headnode key (RFD 67 M0). triton-recover feeds this file over SSH:
#     bash -s -- ASSETS_IP SERVER_UUID < headnode-prepare.sh
# It fetches what triton-recover put under /usbkey/extra/headnode-prepare/ on
# the headnode that runs assets, rewrites the USB key (keeping .joyliveusb) and
# logs to /var/log/headnode-prepare.log. The last log line says "prepared":
# triton-recover reads it to know this step is done. Nothing reboots here.

set -o errexit -o pipefail -o nounset

ASSETS_IP=${1:?usage: headnode-prepare.sh ASSETS_IP SERVER_UUID}
SERVER_UUID=${2:?usage: headnode-prepare.sh ASSETS_IP SERVER_UUID}
LOG=${HEADNODE_PREPARE_LOG:-/var/log/headnode-prepare.log}
WORK=/var/tmp/headnode-prepare.$$
# Overridable for tests only.
NET_BOOT_CONFIG=${NET_BOOT_CONFIG:-/usr/lib/sdc/net-boot-config}
SETUP_JSON=${SETUP_JSON:-/var/lib/setup.json}

say() { echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) $*" | tee -a "$LOG"; }
fail() { say "ERROR: $*"; exit 1; }
# Any other failure (set -e) is logged too: the key may be half-written then.
trap 'say "ERROR: a command failed (line $LINENO); the USB key may be incomplete: rerun triton-recover convert"' ERR

[[ "$(zonename)" == global ]] || fail "run this in the global zone"
[[ "$(sysinfo | json UUID)" == "$SERVER_UUID" ]] || fail "this is not server $SERVER_UUID"
# grep reads everything (no -q): with pipefail, an early exit would SIGPIPE bootparams.
if bootparams | grep '^headnode=true$' >/dev/null; then fail "already booted as a headnode"; fi
[[ "$(sysinfo | json Setup)" == true ]] || fail "this server is not set up"

say "fetching headnode data from assets at $ASSETS_IP"
mkdir -p "$WORK"
trap 'rm -rf "$WORK"' EXIT
base="http://$ASSETS_IP/extra/headnode-prepare"
curl -fsS -o "$WORK/usbkey-base.tgz" "$base/usbkey-base.tgz"
curl -fsS -o "$WORK/config" "$base/$SERVER_UUID.config"
# boot/networking.json only where the platform boots its network config from
# the key (net-boot-config --enabled prints true), as the prototype does.
NETWORKING=false
if [[ -x "$NET_BOOT_CONFIG" ]] && [[ "$("$NET_BOOT_CONFIG" --enabled)" == true ]]; then NETWORKING=true; fi
if $NETWORKING; then curl -fsS -o "$WORK/networking.json" "$base/$SERVER_UUID.networking.json"; fi
# gtar, as the prototype does: illumos /usr/bin/tar takes no -C before its key, and
# older ones none after the tarfile either.
gtar -tzf "$WORK/usbkey-base.tgz" >/dev/null || fail "usbkey-base.tgz is not a readable tarball"
if $NETWORKING; then json -f "$WORK/networking.json" nictags >/dev/null || fail "networking.json is not valid JSON"; fi

MNT=$(sdc-usbkey mount) || fail "cannot mount the USB key (does this server have one?)"
[[ -d "$MNT" ]] || fail "sdc-usbkey mount gave no directory"
say "rewriting the USB key at $MNT (keeping .joyliveusb)"
find "$MNT" -mindepth 1 -maxdepth 1 ! -name .joyliveusb -exec rm -rf {} +
gtar -xzf "$WORK/usbkey-base.tgz" -C "$MNT"
cp "$WORK/config" "$MNT/config"
if $NETWORKING; then
    mkdir -p "$MNT/boot"
    cp "$WORK/networking.json" "$MNT/boot/networking.json"
else
    say "net-boot-config is not enabled here: no boot/networking.json"
fi
sync
sdc-usbkey unmount || true

# A headnode has no node.config. setup.json's node_type is changed only where
# it has one (the prototype leaves a setup.json without it alone).
rm -f /opt/smartdc/config/node.config
if [[ -f "$SETUP_JSON" ]] && json -f "$SETUP_JSON" node_type >/dev/null 2>&1; then
    json -I -f "$SETUP_JSON" -e 'this.node_type = "headnode"'
fi
say "prepared $SERVER_UUID to boot as a headnode"
