#!/bin/bash
# device-sim over USB/IP through the guest kernel's vhci-hcd: device-sim listening on 127.0.0.1,
# usbip attach, the shared mtp-tools checks (vm-e2e/guest/mtp-checks.sh), detach and attach again.
# A suite for vm-e2e/suites/ (owned by the vm engineer): copy it there as 20-usbip.sh.
set -uo pipefail
. "$REPO/vm-e2e/guest/lib.sh"
. "$REPO/vm-e2e/guest/mtp-checks.sh"
STORE=/tmp/usbip-store
VID=0x1209
PID=0x000c
JAR=$REPO/device-sim/target/device-sim.jar
prepare_device_files "$STORE"
java -Xmx64m -jar "$JAR" --storage "Files=$STORE" --serial E2E0USBIP001 >"$LOGS/device-sim.log" 2>&1 &
sim_pid=$!
check device-sim-listening wait_for "grep -q 'is ready on USB/IP' $LOGS/device-sim.log" 120 || { tail -n 30 "$LOGS/device-sim.log"; exit 1; }
check usbip-list usbip list -r 127.0.0.1
check usbip-attach usbip attach -r 127.0.0.1 -b 1-1
if ! check host-enumerates-device wait_for "usb_device_present ${VID#0x} ${PID#0x}" 30; then dmesg | tail -n 40; exit 1; fi
dmesg | tail -n 20 > "$LOGS/usbip-dmesg-attach.log"
run_mtp_checks "$STORE" "$VID" "$PID"
dmesg | tail -n 60 > "$LOGS/usbip-dmesg-after.log"
reattach() {
    usbip port; usbip detach -p 0 && sleep 2 &&
    wait_for "! usb_device_present ${VID#0x} ${PID#0x}" 20 &&
    usbip attach -r 127.0.0.1 -b 1-1 &&
    wait_for "usb_device_present ${VID#0x} ${PID#0x}" 30 &&
    mtp_list "$E2E_TMP/list-reattach.txt" && listing_ok "$E2E_TMP/list-reattach.txt"
}
check detach+reattach-serves-next-host reattach
usbip detach -p 0
sigterm_exits_0() { kill -TERM "$sim_pid"; wait "$sim_pid"; local st=$?; echo "device-sim exit status $st"; [[ $st -eq 0 ]]; }
check device-sim-sigterm-exits-0 sigterm_exits_0
dmesg | tail -n 60 > "$LOGS/usbip-dmesg-end.log"
