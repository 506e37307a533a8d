#!/bin/bash
# Bulk data both ways through vhci-hcd in ONE libmtp session (mtp-roundtrip.c): sizes around the
# packet size up to 64 MiB, byte for byte; then detach and attach again. Independent of whether
# object handles survive a new session (each mtp-tools command opens its own). For vm-e2e/suites/
# (copy as 21-usbiprt.sh; build mtp-roundtrip.c into vm-e2e/target/bin like mtp-rename).
set -uo pipefail
. "$REPO/vm-e2e/guest/lib.sh"
. "$REPO/vm-e2e/guest/mtp-checks.sh"
STORE=/tmp/usbiprt-store
VID=0x1209; PID=0x000c
SIZES="0 1 511 512 513 65536 16777217 67108864"
mkdir -p "$STORE" "$E2E_TMP/src" "$E2E_TMP/dl"
for s in $SIZES; do make_file "$STORE/g-$s.bin" "$s"; make_file "$E2E_TMP/src/s-$s.bin" "$s"; done
java -Xmx64m -jar "$REPO/device-sim/target/device-sim.jar" --storage "Files=$STORE" --serial E2E0USBIP002 >"$LOGS/device-sim-rt.log" 2>&1 &
sim_pid=$!
check device-sim-listening wait_for "grep -q 'is ready on USB/IP' $LOGS/device-sim-rt.log" 120 || exit 1
check usbip-attach usbip attach -r 127.0.0.1 -b 1-1
check host-enumerates-device wait_for "usb_device_present ${VID#0x} ${PID#0x}" 30 || { dmesg | tail -40; exit 1; }
roundtrip() {
  local start; start=$(now)
  timeout 600 "$TOOLS/mtp-roundtrip" "$E2E_TMP/dl" "$E2E_TMP/src" $SIZES || return 1
  echo "roundtrip took $(elapsed "$start")s"
  local s ok=0
  for s in $SIZES; do
    cmp "$STORE/g-$s.bin" "$E2E_TMP/dl/g-$s.bin" || ok=1
    cmp "$E2E_TMP/src/s-$s.bin" "$STORE/u-$s.dat" || ok=1
  done
  return $ok
}
check get+send-all-sizes-byte-for-byte roundtrip
reattach() {
  usbip detach -p 0 && sleep 2 && wait_for "! usb_device_present ${VID#0x} ${PID#0x}" 20 &&
  usbip attach -r 127.0.0.1 -b 1-1 && wait_for "usb_device_present ${VID#0x} ${PID#0x}" 30 &&
  mtp_list "$E2E_TMP/list-rt.txt" && listing_ok "$E2E_TMP/list-rt.txt"
}
check detach+reattach-lists reattach
usbip detach -p 0
kill -TERM "$sim_pid"; wait "$sim_pid"; echo "device-sim exit status $?" >>"$LOGS/device-sim-rt.log"
dmesg | tail -n 80 > "$LOGS/usbiprt-dmesg.log"
