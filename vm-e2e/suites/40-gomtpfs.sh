#!/bin/bash
# A second host stack that is not libmtp: go-mtpfs (Debian's go-mtpfs package) has its own MTP
# and USB code (Go, through libusb) and mounts the device with FUSE, so the checks here are what a
# person copying files in a file manager or a shell does. mtpd runs on FunctionFS bound to
# dummy_hcd, as in the functionfs suite, and every check compares the device's own disk (bytes,
# names, modes) with a reference made by the same operation on the guest's disk.
#
# Two rounds, one per way go-mtpfs writes:
#  - android: mtpd --android-extension advertises android.com, so go-mtpfs creates a file with
#    SendObjectInfo + an empty SendObject and then writes it in place: BeginEditObject,
#    SendPartialObject per write(2), TruncateObject, EndEditObject at close; reads use
#    GetPartialObject64. This round also breaks edits in the middle (host killed, USB unplugged,
#    mtpd killed) and checks the device kept the previous content.
#  - classic: mtpd's defaults; go-mtpfs keeps a local copy and at close deletes the object and
#    sends it again whole (SendObjectInfo + SendObject); reads use GetObject.
# Each step starts a process (a JVM, go-mtpfs), slow under TCG on a loaded machine: a longer limit.
# vm-e2e: timeout 2700
set -uo pipefail
. "$REPO/vm-e2e/guest/lib.sh"

GADGET_SCRIPT=$REPO/udev-rules/gadget/mtp-gadget
FFS=/dev/ffs-mtp
STORE=/tmp/gomtpfs-store
MNT=/tmp/gomtpfs-mnt
REF=$E2E_TMP/gomtpfs-ref
VID=0x1209
PID=0x000c
SERIAL=E2E0GOMTPFS1
MTPD_JAR=$REPO/mtp-device/target/mtpd.jar
FSOPS="python3 $REPO/vm-e2e/guest/fsops.py"
export MTP_GADGET_FFS_DIR=$FFS
# What the host creates gets 0666/0777 minus mtpd's umask by default: make it the usual one.
umask 022
FILE_MODE=644
FOLDER_MODE=755

if [[ ! -f $MTPD_JAR ]]; then
    fail_now mtpd-jar "mtp-device/target/mtpd.jar is missing: build it first with 'mvn -q -DskipTests package'"
    exit 0
fi
if ! need_commands go-mtpfs fusermount3 python3 >"$E2E_TMP/gomtpfs-need.txt"; then
    fail_now go-mtpfs-installed "$(cat "$E2E_TMP/gomtpfs-need.txt"); vm-e2e/run installs go-mtpfs and fuse3"
    exit 0
fi

mtpd_pid=""
gomtpfs_pid=""
ROUND=""

start_mtpd() { # start_mtpd [extra mtpd options]
    java -Xmx64m -jar "$MTPD_JAR" --functionfs "$FFS" --storage "Files=$STORE" --serial "$SERIAL" "$@" \
        >>"$LOGS/mtpd-gomtpfs-$ROUND.log" 2>&1 &
    mtpd_pid=$!
    "$GADGET_SCRIPT" bind --udc=dummy_udc.0 --timeout=120 && wait_for "usb_device_present ${VID#0x} ${PID#0x}" 30
}

stop_mtpd() {
    [[ -n $mtpd_pid ]] || return 0
    kill -TERM "$mtpd_pid" 2>/dev/null
    local i
    for i in $(seq 1 100); do kill -0 "$mtpd_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$mtpd_pid" 2>/dev/null
    wait "$mtpd_pid" 2>/dev/null
    mtpd_pid=""
    "$GADGET_SCRIPT" unbind >/dev/null 2>&1
    return 0
}

mounted() { grep -q " $MNT fuse" /proc/mounts; }

mount_gomtpfs() {
    mkdir -p "$MNT"
    # -usb-timeout: the first answers of a JVM under software emulation can take seconds.
    go-mtpfs -usb-timeout 30000 -debug mtp "$MNT" >>"$LOGS/gomtpfs-$ROUND.log" 2>&1 &
    gomtpfs_pid=$!
    wait_for "[[ -d $MNT/Files ]]" 90 || { echo "go-mtpfs did not show storage Files in $MNT"; tail -n 20 "$LOGS/gomtpfs-$ROUND.log"; return 1; }
}

unmount_gomtpfs() {
    [[ -n $gomtpfs_pid ]] || return 0
    fusermount3 -u "$MNT" 2>/dev/null || fusermount3 -uz "$MNT" 2>/dev/null
    local i
    for i in $(seq 1 50); do kill -0 "$gomtpfs_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$gomtpfs_pid" 2>/dev/null
    wait "$gomtpfs_pid" 2>/dev/null
    gomtpfs_pid=""
    return 0
}

# same NAME: the device's file equals the reference, byte for byte, and has the mode of a new file.
# A file the host stored takes its name on the device once its data is durable, which mtpd does in
# batches within a quarter of a second (mtp-core README, "Durability of uploads"): wait for the name.
same() {
    local name=$1
    wait_for "[[ -f \$STORE/\$name ]]" 10 || { echo "$name is not on the device"; ls -la "$STORE"; return 1; }
    cmp "$REF/$name" "$STORE/$name" || { echo "device $(size_of "$STORE/$name") bytes, reference $(size_of "$REF/$name")"; return 1; }
}

# mode_is PATH OCTAL: the device-side object has that mode.
mode_is() {
    local got
    got=$(stat -c %a "$1")
    [[ $got == "$2" ]] || { echo "$1 has mode $got, want $2 (apps on the device must be able to read it)"; return 1; }
}

no_temporaries() {
    local left
    left=$(find "$STORE" -name '.mtpbridge-*' | head)
    [[ -z $left ]] || { echo "temporary files left on the device: $left"; return 1; }
}

# Every check: the operation through the mount, the same on the reference, then the comparison.
check_create_write() {
    printf 'hello from go-mtpfs\n' >"$MNT/Files/hello.txt" && printf 'hello from go-mtpfs\n' >"$REF/hello.txt" &&
        same hello.txt && mode_is "$STORE/hello.txt" $FILE_MODE
}
check_create_empty() {
    : >"$MNT/Files/empty.txt" && : >"$REF/empty.txt" && same empty.txt && mode_is "$STORE/empty.txt" $FILE_MODE
}
check_pieces() {
    $FSOPS pieces "$MNT/Files/pieces.bin" 1 && $FSOPS pieces "$REF/pieces.bin" 1 && same pieces.bin
}
check_overwrite_middle() {
    $FSOPS overwrite "$MNT/Files/pieces.bin" 70000 "MIDDLE" && $FSOPS overwrite "$REF/pieces.bin" 70000 "MIDDLE" && same pieces.bin
}
check_append() {
    printf 'tail\n' >>"$MNT/Files/pieces.bin" && printf 'tail\n' >>"$REF/pieces.bin" && same pieces.bin
}
check_readback_while_open() {
    $FSOPS readback "$MNT/Files/pieces.bin" 2 && $FSOPS readback "$REF/pieces.bin" 2 && same pieces.bin
}
check_read() {
    cmp "$STORE/g-65536.dat" "$MNT/Files/g-65536.dat" && cmp "$STORE/g-big.dat" "$MNT/Files/g-big.dat" &&
        cmp "$REF/pieces.bin" "$MNT/Files/pieces.bin"
}
check_truncate_zero() {
    cp "$REF/pieces.bin" "$REF/cut.bin" && cp "$REF/pieces.bin" "$MNT/Files/cut.bin" && same cut.bin &&
        truncate -s 0 "$MNT/Files/cut.bin" && truncate -s 0 "$REF/cut.bin" && same cut.bin
}
check_truncate_larger() {
    printf 'short' >"$MNT/Files/grow.bin" && printf 'short' >"$REF/grow.bin" &&
        truncate -s 200000 "$MNT/Files/grow.bin" && truncate -s 200000 "$REF/grow.bin" && same grow.bin
}
check_truncate_smaller() {
    truncate -s 1000 "$MNT/Files/pieces.bin" && truncate -s 1000 "$REF/pieces.bin" && same pieces.bin
}
check_two_files_open() {
    $FSOPS twofiles "$MNT/Files/one.bin" "$MNT/Files/two.bin" 5 && $FSOPS twofiles "$REF/one.bin" "$REF/two.bin" 5 &&
        same one.bin && same two.bin
}
check_rename() {
    mv "$MNT/Files/two.bin" "$MNT/Files/renamed.bin" && mv "$REF/two.bin" "$REF/renamed.bin" &&
        [[ ! -e $STORE/two.bin ]] && same renamed.bin
}
check_mkdir_and_file_inside() {
    mkdir "$MNT/Files/Album" && mkdir "$REF/Album" && [[ -d $STORE/Album ]] && mode_is "$STORE/Album" $FOLDER_MODE &&
        printf 'track\n' >"$MNT/Files/Album/t.txt" && printf 'track\n' >"$REF/Album/t.txt" && same Album/t.txt &&
        mode_is "$STORE/Album/t.txt" $FILE_MODE
}
check_delete() {
    rm "$MNT/Files/one.bin" && [[ ! -e $STORE/one.bin ]] && ! ls "$MNT/Files" | grep -qx one.bin
}
check_rmdir() {
    mkdir "$MNT/Files/Empty" && [[ -d $STORE/Empty ]] && rmdir "$MNT/Files/Empty" && [[ ! -e $STORE/Empty ]] &&
        ! rmdir "$MNT/Files/Album" 2>/dev/null && [[ -d $STORE/Album ]]
}
check_listing() {
    local names
    names=$(ls "$MNT/Files" | sort | tr '\n' ' ')
    echo "mount lists: $names"
    local want
    want=$(ls "$STORE" | sort | tr '\n' ' ')
    [[ $names == "$want" ]] || { echo "device has: $want"; return 1; }
}

# The issue's host: a FUSE client that creates a file with SendObjectPropList and reads four
# response parameters ("creating a file fails with Input/output error" when there are three).
# go-mtpfs itself creates files with SendObjectInfo, so vm-e2e/tools/ptp-probe.py plays that host
# on the same real USB stack, transaction for transaction as the issue's trace shows.
check_fuse_host_create() {
    python3 "$REPO/vm-e2e/tools/ptp-probe.py" $VID $PID create-like-fuse-host probe-empty.txt &&
        wait_for "[[ -f \$STORE/probe-empty.txt ]]" 10 && [[ ! -s $STORE/probe-empty.txt ]] && mode_is "$STORE/probe-empty.txt" $FILE_MODE
}

# A crash in the middle of an edit leaves the previous content. `how` breaks it: the host program
# killed (go-mtpfs, SIGKILL), the USB cable pulled (UDC unbind), mtpd killed (SIGKILL).
check_crash_keeps_previous() {
    local how=$1 name=crash-$1.bin ready=$E2E_TMP/ready-$1 status=0
    rm -f "$ready"
    mounted || mount_gomtpfs || return 1
    $FSOPS pieces "$MNT/Files/$name" 7 && $FSOPS pieces "$REF/$name" 7 && same "$name" || return 1
    $FSOPS hold "$MNT/Files/$name" 100 "NEVER-COMMITTED" "$ready" &
    local holder=$!
    wait_for "[[ -e $ready ]]" 60 || { echo "the writer did not get its write through"; kill -KILL $holder; return 1; }
    case $how in
        host-killed) kill -KILL "$gomtpfs_pid"; wait "$gomtpfs_pid" 2>/dev/null; gomtpfs_pid="" ;;
        unplugged) "$GADGET_SCRIPT" unbind ;;
        mtpd-killed) kill -KILL "$mtpd_pid"; wait "$mtpd_pid" 2>/dev/null; mtpd_pid="" ;;
    esac
    kill -KILL $holder 2>/dev/null
    wait $holder 2>/dev/null
    fusermount3 -uz "$MNT" 2>/dev/null
    unmount_gomtpfs
    same "$name" || { echo "after '$how' the device does not have the previous content"; status=1; }
    # Serve again and look: the file is still the previous one and nothing temporary is listed
    # (or left, once the folder was listed again).
    case $how in
        mtpd-killed) "$GADGET_SCRIPT" unbind >/dev/null 2>&1; start_mtpd --android-extension || return 1 ;;
        unplugged) { "$GADGET_SCRIPT" bind --udc=dummy_udc.0 --timeout=30 && wait_for "usb_device_present ${VID#0x} ${PID#0x}" 30; } || return 1 ;;
    esac
    mount_gomtpfs || return 1
    cmp "$REF/$name" "$MNT/Files/$name" && check_listing && no_temporaries && same "$name" || status=1
    return $status
}

round() { # round NAME [mtpd options]: a fresh device, mount, the checks, unmount
    ROUND=$1
    shift
    rm -rf "$STORE" "$REF"
    mkdir -p "$STORE" "$REF"
    make_file "$STORE/g-65536.dat" 65536
    make_file "$STORE/g-big.dat" $((3 * 1024 * 1024 + 5))
    if ! check "$ROUND-mtpd-start+bind" start_mtpd "$@"; then
        tail -n 30 "$LOGS/mtpd-gomtpfs-$ROUND.log"
        stop_mtpd
        return 1
    fi
    if [[ $ROUND == classic ]]; then
        check "$ROUND-create-via-sendobjectproplist-4-params" check_fuse_host_create
    fi
    if ! check "$ROUND-mount" mount_gomtpfs; then
        unmount_gomtpfs
        stop_mtpd
        return 1
    fi
    check "$ROUND-listing" check_listing
    check "$ROUND-read" cmp "$STORE/g-65536.dat" "$MNT/Files/g-65536.dat"
    check "$ROUND-create-write-mode" check_create_write
    if [[ $ROUND == android ]]; then
        check "$ROUND-create-empty" check_create_empty
    fi
    check "$ROUND-write-in-pieces" check_pieces
    check "$ROUND-overwrite-middle" check_overwrite_middle
    check "$ROUND-append" check_append
    check "$ROUND-read-back-while-open" check_readback_while_open
    check "$ROUND-read-through-mount" check_read
    if [[ $ROUND == android ]]; then
        # go-mtpfs's classic mode refuses to send a 0-byte file ("cannot send 0 byte file"): its
        # limit, not the device's, so truncating to 0 and creating empty files are android-round only.
        check "$ROUND-truncate-to-0" check_truncate_zero
    fi
    check "$ROUND-truncate-larger" check_truncate_larger
    check "$ROUND-truncate-smaller" check_truncate_smaller
    check "$ROUND-two-files-open" check_two_files_open
    check "$ROUND-rename" check_rename
    check "$ROUND-mkdir+file-inside-mode" check_mkdir_and_file_inside
    check "$ROUND-delete" check_delete
    check "$ROUND-rmdir" check_rmdir
    check "$ROUND-listing-after" check_listing
    check "$ROUND-no-temporaries" no_temporaries
    if [[ $ROUND == android ]]; then
        check "$ROUND-crash-host-killed" check_crash_keeps_previous host-killed
        check "$ROUND-crash-unplugged" check_crash_keeps_previous unplugged
        check "$ROUND-crash-mtpd-killed" check_crash_keeps_previous mtpd-killed
    fi
    unmount_gomtpfs
    stop_mtpd
}

check gadget-setup "$GADGET_SCRIPT" setup --vid=$VID --pid=$PID --serial=$SERIAL || exit 1
round android --android-extension
round classic
# Leave the bus empty for the next suite: hosts talk to the first MTP device they find.
check gadget-teardown "$GADGET_SCRIPT" teardown
exit 0
