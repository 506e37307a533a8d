#!/bin/bash
# The platform the other suites stand on: the guest kernel's USB pieces and the project's own
# gadget script (udev-rules/gadget/mtp-gadget) driving configfs and FunctionFS.
set -uo pipefail
. "$REPO/vm-e2e/guest/lib.sh"
GADGET_SCRIPT=$REPO/udev-rules/gadget/mtp-gadget
export MTP_GADGET_NAME=platform-check MTP_GADGET_FFS_DIR=/dev/ffs-platform

check dummy-udc-present test -e /sys/class/udc/dummy_udc.0
check vhci-hcd-present bash -c 'ls -d /sys/devices/platform/vhci_hcd* >/dev/null'
check host-tools-in-guest need_commands java mtp-detect mtp-files mtp-getfile mtp-sendfile usbip
check mtp-rename-built test -x "$TOOLS/mtp-rename"

gadget_setup() {
    "$GADGET_SCRIPT" setup --serial=PLATFORM0001 || return 1
    local g=/sys/kernel/config/usb_gadget/platform-check
    grep ffs-platform /proc/mounts; ls /dev/ffs-platform; head "$g"/idVendor "$g"/strings/0x409/serialnumber "$g"/os_desc/qw_sign; ls -l "$g"/os_desc
    true &&
        [[ $(cat /sys/kernel/config/usb_gadget/platform-check/idVendor) == 0x1209 ]] &&
        [[ $(cat /sys/kernel/config/usb_gadget/platform-check/strings/0x409/serialnumber) == PLATFORM0001 ]] &&
        [[ $(cat /sys/kernel/config/usb_gadget/platform-check/os_desc/qw_sign) == MSFT100 ]] &&
        [[ -L /sys/kernel/config/usb_gadget/platform-check/os_desc/c.1 ]] &&
        grep -q ' /dev/ffs-platform functionfs ' /proc/mounts &&
        [[ -e /dev/ffs-platform/ep0 && ! -e /dev/ffs-platform/ep1 ]]
}
check gadget-setup gadget_setup
# Without a responder the descriptors never arrive: bind must refuse clearly, not bind.
bind_refuses() {
    local out
    out=$("$GADGET_SCRIPT" bind --udc=dummy_udc.0 --timeout=1 2>&1) && return 1
    echo "$out"
    grep -q 'did not write its descriptors' <<<"$out" &&
        [[ -z $(cat /sys/kernel/config/usb_gadget/platform-check/UDC) ]]
}
check gadget-bind-waits-for-descriptors bind_refuses
check gadget-setup-twice-refused bash -c '! "$0" setup' "$GADGET_SCRIPT"
gadget_teardown() {
    "$GADGET_SCRIPT" teardown && [[ ! -e /sys/kernel/config/usb_gadget/platform-check ]] &&
        ! grep -q ' /dev/ffs-platform ' /proc/mounts
}
check gadget-teardown gadget_teardown
