#!/bin/bash
# The PC tool over real USB (issue 8, proof (b)): mtpbridge (usb4java -> libusb -> usbfs) talks to
# device-sim attached with `usbip attach` through vhci-hcd, with the simulator's demo data owners
# (notes folder, settings store, journal process). The same checks as pc-functionfs; the
# "unplug" is a usbip detach in the middle of a backup.
# Each step starts a process (a JVM, go-mtpfs), slow under TCG on a loaded machine: a longer limit.
# vm-e2e: timeout 2700
set -uo pipefail
. "$REPO/vm-e2e/guest/lib.sh"
. "$REPO/vm-e2e/guest/pc-checks.sh"

SIM_JAR=$REPO/device-sim/target/device-sim.jar
VID=0x1209
PID=0x000c
SERIAL=E2E0PCSIM001
BUSID=1-1
SIM_HOME=/tmp/pc-sim-home
SIM_LOG=$LOGS/device-sim-pc.log
PC_STORE=/tmp/pc-sim-store
PC_STORAGE=Files

for jar in "$SIM_JAR" "$MTPBRIDGE_JAR"; do
    [[ -f $jar ]] || { fail_now jars "${jar#$REPO/} is missing: build it first with 'mvn -q -DskipTests package'"; exit 0; }
done
need_commands python3 sha256sum usbip >/dev/null || { fail_now tools "$(need_commands python3 sha256sum usbip)"; exit 1; }
if usb_device_present "${VID#0x}" "${PID#0x}"; then
    fail_now bus-free "another 1209:000c device is still attached (an earlier suite did not clean up)"
    exit 1
fi
mkdir -p "$PC_WORK" "$SIM_HOME"
make_pc_device_files "$PC_STORE"

XDG_DATA_HOME=$SIM_HOME HOME=$SIM_HOME java -Xmx64m -jar "$SIM_JAR" --storage "$PC_STORAGE=$PC_STORE" --serial "$SERIAL" \
    --busid "$BUSID" >"$SIM_LOG" 2>&1 &
sim_pid=$!
attached_port() { usbip port 2>/dev/null | sed -n 's/^Port \([0-9][0-9]*\):.*[Ii]n [Uu]se.*/\1/p' | head -n1; }
unplug() {
    local port
    port=$(attached_port)
    [[ -n $port ]] && usbip detach -p "$port"
}
replug() {
    usbip attach -r 127.0.0.1 -b "$BUSID" && wait_for "usb_device_present ${VID#0x} ${PID#0x}" 60 &&
        mb devices | grep -q "$SERIAL"
}
cleanup() {
    unplug >/dev/null 2>&1
    kill -TERM "$sim_pid" 2>/dev/null
    wait "$sim_pid" 2>/dev/null
}
trap cleanup EXIT
# (a JVM start under emulation on a loaded machine can take minutes)
ready() { wait_for "grep -q 'is ready on USB/IP' '$SIM_LOG' || ! kill -0 $sim_pid" 900 && kill -0 "$sim_pid"; }
check device-sim-ready ready || { tail -n 30 "$SIM_LOG"; exit 1; }
attach() { usbip attach -r 127.0.0.1 -b "$BUSID" && wait_for "usb_device_present ${VID#0x} ${PID#0x}" 30; }
check usbip-attach attach || exit 1

# The demo owners' data (device-sim/README.md): $XDG_DATA_HOME/mtpbridge-sim/backup/volumes/.
VOLUMES=$SIM_HOME/mtpbridge-sim/backup/volumes
owners_state() {
    (cd "$VOLUMES" && find . -type f -not -path '*/.restore/*' -not -name '.*' -print0 | sort -z | xargs -0 -r sha256sum)
}
NOTES=$VOLUMES/internal/notes
ENTRIES=$VOLUMES/internal/journal/entries
change_owners() {
    [[ -d $NOTES && -d $ENTRIES ]] || { echo "no demo notes ($NOTES) or journal ($ENTRIES)"; ls -R "$VOLUMES"; return 1; }
    case $1 in
        1) printf 'a note written by the e2e test\n' >"$NOTES/e2e.txt"
           printf 'changed\n' >>"$NOTES/shopping.txt"
           printf 'journal entry added by the e2e test\n' >"$ENTRIES/e2e-1" ;;
        2) rm -f "$NOTES/welcome.txt"
           printf 'changed again\n' >>"$NOTES/shopping.txt"
           printf 'journal entry 2\n' >"$ENTRIES/e2e-2" ;;
    esac
}
big_owner_data() { head -c "$1" /dev/urandom >"$NOTES/big.bin"; }

run_pc_checks "$SERIAL"
exit 0
