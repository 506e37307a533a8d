#!/bin/bash
# device-sim serving over USB/IP on the guest's loopback, attached with `usbip attach` through
# vhci-hcd, then the same mtp-tools checks as on FunctionFS, then detach and attach again
# (issue 4 part 5). The guest kernel cannot tell this device from a plugged-in one.
set -uo pipefail
. "$REPO/vm-e2e/guest/lib.sh"
. "$REPO/vm-e2e/guest/mtp-checks.sh"

SIM_JAR=$REPO/device-sim/target/device-sim.jar
STORE=/tmp/sim-store
VID=0x1209
PID=0x000c
SERIAL=E2E0SIM00001
BUSID=1-1
SIM_LOG=$LOGS/device-sim-usbip.log
mkdir -p /tmp/sim-home

sim_in_tree() { compgen -G "$REPO/device-sim/src/main/java/*" >/dev/null; }
if [[ ! -f $SIM_JAR ]]; then
    if sim_in_tree; then
        fail_now device-sim-jar "device-sim/target/device-sim.jar is missing: build it first with 'mvn -q -DskipTests package'"
    else
        not_run usbip-suite "device-sim does not exist in the tree yet (device-sim/src/main/java is empty)"
    fi
    exit 0
fi
if usb_device_present "${VID#0x}" "${PID#0x}"; then
    fail_now bus-free "another 1209:000c device is still attached (the functionfs suite did not clean up)"
    exit 1
fi

prepare_device_files "$STORE"
start=$(now)
# -Xmx64m: the 64 MiB transfers must stream through the USB/IP server too.
# device-sim keeps its demo data owners under $XDG_DATA_HOME; the guest's /root is read-only.
XDG_DATA_HOME=/tmp/sim-home HOME=/tmp/sim-home \
    java -Xmx64m -jar "$SIM_JAR" --storage "Files=$STORE" --serial "$SERIAL" --busid "$BUSID" >"$SIM_LOG" 2>&1 &
sim_pid=$!
if ! check device-sim-ready wait_for "grep -q 'is ready on USB/IP' '$SIM_LOG' || ! kill -0 $sim_pid" 180 ||
    ! kill -0 "$sim_pid" 2>/dev/null; then
    tail -n 30 "$SIM_LOG"
    exit 1
fi
echo "device-sim: $(elapsed "$start")s from start to ready on USB/IP" >>"$E2E_TMP/figures.txt"

list_exports() {
    usbip list -r 127.0.0.1 | tee "$E2E_TMP/usbip-list.txt"
    grep -q "$BUSID" "$E2E_TMP/usbip-list.txt" && grep -qi "${VID#0x}:${PID#0x}" "$E2E_TMP/usbip-list.txt"
}
check usbip-list-exports-device list_exports

attach() {
    usbip attach -r 127.0.0.1 -b "$BUSID" || return 1
    wait_for "usb_device_present ${VID#0x} ${PID#0x}" 30 || { echo "no 1209:000c on the bus after attach"; dmesg | tail -n 20; return 1; }
    usbip port
}
# The vhci port the device sits on, for detach.
attached_port() { usbip port 2>/dev/null | sed -n 's/^Port \([0-9][0-9]*\):.*[Ii]n [Uu]se.*/\1/p' | head -n1; }
detach() {
    local port
    port=$(attached_port)
    [[ -n $port ]] || { echo "no vhci port in use"; usbip port; return 1; }
    usbip detach -p "$port" || return 1
    wait_for "! usb_device_present ${VID#0x} ${PID#0x}" 30 || { echo "device still on the bus after detach"; return 1; }
}

if ! check usbip-attach attach; then
    tail -n 30 "$SIM_LOG"
    kill "$sim_pid"
    exit 1
fi

run_mtp_checks "$STORE" "$VID" "$PID"

check usbip-detach detach
reattach_serves() {
    attach && mtp_list "$E2E_TMP/list-reattach.txt" && listing_ok "$E2E_TMP/list-reattach.txt" &&
        mtp_id g-513.dat "$E2E_TMP/list-reattach.txt" >/dev/null
}
check usbip-reattach-serves-next-host reattach_serves
check usbip-detach-again detach

sim_stops() {
    kill -TERM "$sim_pid"
    local i
    for i in $(seq 1 100); do
        kill -0 "$sim_pid" 2>/dev/null || break
        sleep 0.2
    done
    if kill -0 "$sim_pid" 2>/dev/null; then
        echo "device-sim still running 20 s after SIGTERM"
        kill -KILL "$sim_pid"
        return 1
    fi
    wait "$sim_pid"
    local status=$?
    echo "device-sim exit status after SIGTERM: $status"
    [[ $status -eq 0 ]]
}
check device-sim-sigterm-exits-0 sim_stops
exit 0
