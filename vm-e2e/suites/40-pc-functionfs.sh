#!/bin/bash
# The PC tool over real USB (issue 8, proof (a)): mtpbridge (usb4java -> libusb -> usbfs) talks to
# mtpd on FunctionFS bound to dummy_hcd, with the backup bridge on (--backup-registrations): a
# passive notes owner and the journal owner as its own process on the engine's socket. Browse,
# copy both ways, back up / change / back up incrementally / restore either point in time, a
# second mtpbridge on the busy device, and a gadget unbind in the middle of a backup.
#
# VM_E2E_PC_BENCH=1 adds the side-by-side benchmark (mtpbridge get vs mtp-getfile of 64 MiB,
# mtpbridge backup of ~64 MiB of owner data vs mtp-getfile): figures in the run's FIGURES.
# Each step starts a process (a JVM, go-mtpfs), slow under TCG on a loaded machine: a longer limit.
# vm-e2e: timeout 2700
set -uo pipefail
. "$REPO/vm-e2e/guest/lib.sh"
. "$REPO/vm-e2e/guest/pc-checks.sh"

GADGET_SCRIPT=$REPO/udev-rules/gadget/mtp-gadget
FFS=/dev/ffs-mtp
VID=0x1209
PID=0x000c
SERIAL=E2E0PCFFS001
MTPD_JAR=$REPO/mtp-device/target/mtpd.jar
SIM_JAR=$REPO/device-sim/target/device-sim.jar
OWNERS=/tmp/pc-owners
PC_STORE=/tmp/pc-ffs-store
PC_STORAGE=Files
export MTP_GADGET_FFS_DIR=$FFS

for jar in "$MTPD_JAR" "$MTPBRIDGE_JAR"; do
    [[ -f $jar ]] || { fail_now jars "${jar#$REPO/} is missing: build it first with 'mvn -q -DskipTests package'"; exit 0; }
done
need_commands python3 sha256sum >/dev/null || { fail_now tools "$(need_commands python3 sha256sum)"; exit 1; }
if usb_device_present "${VID#0x}" "${PID#0x}"; then
    fail_now bus-free "another 1209:000c device is still attached (an earlier suite did not clean up)"
    exit 1
fi

# --- the device: storage, owners, mtpd with the backup bridge ------------------------------------
mkdir -p "$PC_WORK" "$OWNERS/registrations" "$OWNERS/internal/notes" "$OWNERS/staging"
make_pc_device_files "$PC_STORE"
printf 'first note\n' >"$OWNERS/internal/notes/one.txt"
printf 'second note\n' >"$OWNERS/internal/notes/two.txt"
cat >"$OWNERS/registrations/notes.xml" <<XML
<backup_registration owner="org.example.notes" uid="0">
  <passive_backup delete_before_restore="true">
    <volume name="internal"><include_directory name="notes"/></volume>
  </passive_backup>
</backup_registration>
XML
cat >"$OWNERS/registrations/journal.xml" <<XML
<backup_registration owner="io.mtpbridge.demo.journal" uid="0">
  <active_backup supports_incremental="true" callback_timeout_ms="30000">
    <volume name="internal"/>
  </active_backup>
</backup_registration>
XML
# registrations must be writable by their owner only (backup-bridge/README.md)
chmod 755 "$OWNERS/registrations" && chmod 644 "$OWNERS"/registrations/*.xml
SOCKET=$OWNERS/engine.sock
JOURNAL=$OWNERS/internal/journal

# mtpd as it ships: its launcher (mtp-device/bin/mtpd), with the JVM options and the class-data
# archive it brings, so what the benchmark measures is the product. start_mtpd [MTPD_JAVA_OPTS]:
# options added after the shipped ones (the benchmark's mtpd variants); the log is appended to, so
# the benchmark finds every session of every start in it.
start_mtpd() {
    MTPD_JAVA_OPTS=${1:-} "$REPO/mtp-device/bin/mtpd" --functionfs "$FFS" --storage "$PC_STORAGE=$PC_STORE" --serial "$SERIAL" \
        --backup-registrations "$OWNERS/registrations" --backup-volume "internal=$OWNERS/internal" \
        --backup-staging "$OWNERS/staging" --backup-socket "$SOCKET" >>"$LOGS/mtpd-pc.log" 2>&1 &
    mtpd_pid=$!
}
stop_mtpd() { # SIGTERM (mtpd ends its session and exits 0), SIGKILL after 30 s
    [[ -n $mtpd_pid ]] || return 0
    kill -TERM "$mtpd_pid" 2>/dev/null
    wait_for "! kill -0 $mtpd_pid 2>/dev/null" 30 || kill -KILL "$mtpd_pid" 2>/dev/null
    wait "$mtpd_pid" 2>/dev/null
    mtpd_pid=""
}
check gadget-setup "$GADGET_SCRIPT" setup --vid=$VID --pid=$PID --serial=$SERIAL || exit 1
: >"$LOGS/mtpd-pc.log"
start_mtpd
journal_pid=""
cleanup() {
    [[ -z $journal_pid ]] || kill "$journal_pid" 2>/dev/null
    if [[ -n $mtpd_pid ]]; then
        kill -TERM "$mtpd_pid" 2>/dev/null
        wait "$mtpd_pid" 2>/dev/null
    fi
    "$GADGET_SCRIPT" teardown >/dev/null 2>&1
}
trap cleanup EXIT
# (a JVM start under emulation on a loaded machine can take minutes)
if ! check mtpd-start+gadget-bind "$GADGET_SCRIPT" bind --udc=dummy_udc.0 --timeout=600; then
    tail -n 40 "$LOGS/mtpd-pc.log"
    exit 1
fi
check host-enumerates-device wait_for "usb_device_present ${VID#0x} ${PID#0x}" 30 || exit 1

# The journal owner: the runnable demo owner on main (in mtpd.jar's backup-bridge today; device-sim's
# jar is on the class path too in case it moved there).
start_journal() {
    wait_for "[[ -S '$SOCKET' ]]" 60 || { echo "no engine socket $SOCKET"; return 1; }
    java -Xmx32m -cp "$MTPD_JAR:$SIM_JAR" io.mtpbridge.backup.demo.JournalOwnerMain --socket "$SOCKET" --dir "$JOURNAL" --seed 4 \
        >"$LOGS/journal-owner-pc.log" 2>&1 &
    journal_pid=$!
    wait_for "grep -q 'connected' '$LOGS/journal-owner-pc.log' || ! kill -0 $journal_pid" 600
    cat "$LOGS/journal-owner-pc.log"
    grep -q connected "$LOGS/journal-owner-pc.log"
}
check journal-owner-connected start_journal || exit 1

owners_state() { (cd "$OWNERS/internal" && find . -type f -not -path './journal/.restore/*' -print0 | sort -z | xargs -0 -r sha256sum); }
change_owners() {
    case $1 in
        1) printf 'first note, edited\n' >"$OWNERS/internal/notes/one.txt"
           rm -f "$OWNERS/internal/notes/two.txt"
           printf 'third note\n' >"$OWNERS/internal/notes/three.txt"
           printf 'journal entry added by the e2e test\n' >"$JOURNAL/entries/e2e-1" ;;
        2) printf 'first note, edited again\n' >"$OWNERS/internal/notes/one.txt"
           printf 'journal entry 2\n' >"$JOURNAL/entries/e2e-2"
           rm -f "$JOURNAL/entries/entry-0" ;;
    esac
}
big_owner_data() { head -c "$1" /dev/urandom >"$OWNERS/internal/notes/big.bin"; }
unplug() { "$GADGET_SCRIPT" unbind; }
replug() {
    "$GADGET_SCRIPT" bind --udc=dummy_udc.0 --timeout=120 && wait_for "usb_device_present ${VID#0x} ${PID#0x}" 60 &&
        mb devices | grep -q "$SERIAL"
}

# restart_mtpd [MTPD_JAVA_OPTS]: mtpd stopped and started again, with other JVM options added (the
# benchmark's mtpd variants): the gadget made again, bound, and the journal owner (which ends when
# its engine goes) connected to the new engine.
restart_mtpd() {
    "$GADGET_SCRIPT" unbind >/dev/null 2>&1
    stop_mtpd
    if [[ -n $journal_pid ]]; then
        wait_for "! kill -0 $journal_pid 2>/dev/null" 30 || kill "$journal_pid" 2>/dev/null
        wait "$journal_pid" 2>/dev/null
        journal_pid=""
    fi
    "$GADGET_SCRIPT" teardown >/dev/null 2>&1
    rm -f "$SOCKET"
    "$GADGET_SCRIPT" setup --vid=$VID --pid=$PID --serial=$SERIAL >/dev/null || { echo "gadget setup failed"; return 1; }
    start_mtpd "${1:-}"
    "$GADGET_SCRIPT" bind --udc=dummy_udc.0 --timeout=600 >/dev/null || { echo "mtpd never bound:"; tail -n 20 "$LOGS/mtpd-pc.log"; return 1; }
    wait_for "usb_device_present ${VID#0x} ${PID#0x}" 60 || { echo "the host never saw the device"; return 1; }
    start_journal
}

run_pc_checks "$SERIAL"

if [[ ${VM_E2E_PC_BENCH:-0} == 1 ]]; then
    . "$REPO/vm-e2e/guest/pc-bench.sh"
    check pc-bench run_pc_bench
fi

# mtpd (its launcher execs the JVM, so this is mtpd's own pid) ends its session on SIGTERM and exits
# 0: checked by its exit status, which only this shell, its parent, can collect.
sigterm_exits_0() {
    kill -TERM "$mtpd_pid"
    if ! wait_for "! kill -0 $mtpd_pid 2>/dev/null" 20; then
        echo "mtpd still running 20 s after SIGTERM"
        kill -KILL "$mtpd_pid"
        wait "$mtpd_pid" 2>/dev/null
        return 1
    fi
    wait "$mtpd_pid"
    local status=$?
    echo "mtpd exit status after SIGTERM: $status"
    [[ $status -eq 0 ]]
}
check mtpd-sigterm-exits-0 sigterm_exits_0
mtpd_pid=""
exit 0
