#!/bin/bash
# GNOME's file access layer: gvfs (gvfsd + its MTP backend gvfsd-mtp, Debian's gvfs-backends)
# driven with `gio`, as a file manager (Nautilus, Thunar, ...) uses it, against mtpd on FunctionFS
# bound to dummy_hcd. gvfsd-mtp is libmtp underneath, but it walks folders, reads (GetPartialObject
# ranges), writes, renames and deletes its own way, through a D-Bus session and gvfsd's job queue.
# Headless: a private session bus (dbus-daemon --session), gvfsd started on demand by D-Bus
# activation, and the device named by its port (mtp://[usb:BUS,DEV]/), which gvfsd-mtp resolves
# from sysfs without udevd. Every check compares the device's disk, byte for byte.
set -uo pipefail
. "$REPO/vm-e2e/guest/lib.sh"
. "$REPO/vm-e2e/guest/ffs-mtpd.sh"

STORE=/tmp/gvfs-store
SERIAL=E2E0GVFS0001
SIZES=${VM_E2E_SIZES:-0 1 512 65536 16777217}
GIO_TIMEOUT=${GIO_TIMEOUT:-180}
DATA=$E2E_TMP/gvfs-data
DL=$E2E_TMP/gvfs-dl

if ! need_commands gio dbus-daemon >"$E2E_TMP/gvfs-need.txt" || [[ ! -x /usr/libexec/gvfsd-mtp ]]; then
    fail_now gvfs-installed "$(cat "$E2E_TMP/gvfs-need.txt") $([[ -x /usr/libexec/gvfsd-mtp ]] || echo "no /usr/libexec/gvfsd-mtp");"\
" vm-e2e/run installs gvfs-backends, gvfs, libglib2.0-bin and dbus-daemon"
    exit 0
fi

mkdir -p "$STORE/sub" "$DATA" "$DL"
for size in $SIZES; do
    make_file "$STORE/sub/g-$size.dat" "$size"
    make_file "$DATA/u-$size.dat" "$size"
done
make_file "$STORE/top.bin" 4097

ffs_mtpd_up gvfs "$STORE" "$SERIAL" || exit 0
PORT=$(ffs_port)
URI="mtp://[$PORT]"
marker "device at $URI"

# A session bus of our own; gvfsd starts on the first gio call (D-Bus activation).
export HOME=$E2E_TMP/gvfs-home XDG_RUNTIME_DIR=$E2E_TMP/gvfs-run GVFS_DISABLE_FUSE=1
mkdir -p "$HOME" && mkdir -p -m 700 "$XDG_RUNTIME_DIR"
bus_pid=""
start_bus() {
    local out
    out=$(dbus-daemon --session --fork --print-address=1 --print-pid=1) || return 1
    DBUS_SESSION_BUS_ADDRESS=$(sed -n 1p <<<"$out")
    bus_pid=$(sed -n 2p <<<"$out")
    export DBUS_SESSION_BUS_ADDRESS
    echo "session bus $DBUS_SESSION_BUS_ADDRESS (pid $bus_pid)"
    [[ -n $DBUS_SESSION_BUS_ADDRESS && -n $bus_pid ]]
}

g() { timeout -k 5 "$GIO_TIMEOUT" gio "$@"; }

# names_in LISTING: the names gio list printed (one per line: NAME<TAB>SIZE<TAB>(TYPE)).
names_in() { cut -f1 "$1" | sort; }

check_mount() {
    g mount "$URI/" || return 1
    g mount -l >"$E2E_TMP/gvfs-mounts.txt" 2>&1
    cat "$E2E_TMP/gvfs-mounts.txt"
    grep -qF -- "-> $URI/" "$E2E_TMP/gvfs-mounts.txt" || { echo "gio mount -l does not list $URI/"; return 1; }
}

# The listing of a folder equals the device's folder: names, and sizes of files.
check_list() { # check_list FOLDER (relative to the storage)
    local folder=$1 out=$E2E_TMP/gvfs-list.txt
    g list -l "$URI/Files/$folder" >"$out" || { cat "$out"; return 1; }
    cat "$out"
    diff <(names_in "$out") <(ls -A "$STORE/$folder" | sort) || { echo "names differ from the device's $folder"; return 1; }
    local f
    for f in "$STORE/$folder"/*; do
        [[ -f $f ]] || continue
        awk -F'\t' -v n="${f##*/}" -v s="$(size_of "$f")" '$1 == n && $2 == s { ok = 1 } END { exit ok ? 0 : 1 }' "$out" ||
            { echo "${f##*/}: size differs from $(size_of "$f")"; return 1; }
    done
}

check_copy_from() {
    local size=$1
    rm -f "$DL/g-$size.dat"
    g copy "$URI/Files/sub/g-$size.dat" "$DL/" || return 1
    cmp "$STORE/sub/g-$size.dat" "$DL/g-$size.dat"
}

check_copy_to() {
    local size=$1
    g copy "$DATA/u-$size.dat" "$URI/Files/sub/" || return 1
    wait_for "[[ -f \$STORE/sub/u-$size.dat ]]" 10 || { echo "u-$size.dat is not on the device"; ls -la "$STORE/sub"; return 1; }
    cmp "$DATA/u-$size.dat" "$STORE/sub/u-$size.dat"
}

check_rename() {
    g rename "$URI/Files/top.bin" renamed.bin || return 1
    [[ -f $STORE/renamed.bin && ! -e $STORE/top.bin ]] || { echo "not renamed on the device"; ls -la "$STORE"; return 1; }
    g list "$URI/Files/" >"$E2E_TMP/gvfs-list-renamed.txt" && cat "$E2E_TMP/gvfs-list-renamed.txt"
    grep -qx renamed.bin "$E2E_TMP/gvfs-list-renamed.txt" && ! grep -qx top.bin "$E2E_TMP/gvfs-list-renamed.txt"
}

check_mkdir_copy_into() {
    g mkdir "$URI/Files/made" || return 1
    [[ -d $STORE/made ]] || { echo "no folder made on the device"; return 1; }
    local one=${SIZES##* }
    g copy "$DATA/u-$one.dat" "$URI/Files/made/" || return 1
    wait_for "[[ -f \$STORE/made/u-$one.dat ]]" 10 && cmp "$DATA/u-$one.dat" "$STORE/made/u-$one.dat"
}

check_remove() {
    g remove "$URI/Files/renamed.bin" || return 1
    [[ ! -e $STORE/renamed.bin ]] || { echo "renamed.bin is still on the device"; return 1; }
    g list "$URI/Files/" >"$E2E_TMP/gvfs-list-removed.txt" && cat "$E2E_TMP/gvfs-list-removed.txt"
    ! grep -qx renamed.bin "$E2E_TMP/gvfs-list-removed.txt"
}

# A non-empty folder: g_file_delete means rmdir, and gvfsd-mtp refuses it itself ("not empty")
# or passes it on, and then the device deletes the tree (MTP DeleteObject). Either way nothing is
# half done: kept whole, or gone whole. Emptied, it goes.
check_remove_folder() {
    local one=u-${SIZES##* }.dat
    if g remove "$URI/Files/made" 2>&1; then
        echo "gvfs removed the non-empty folder"
        [[ ! -e $STORE/made ]] || { echo "but the device still has part of it:"; find "$STORE/made"; return 1; }
        return 0
    fi
    echo "gvfs refused to remove the non-empty folder"
    [[ -d $STORE/made ]] && cmp "$DATA/$one" "$STORE/made/$one" || { echo "the refused folder lost its content"; return 1; }
    g remove "$URI/Files/made/$one" && g remove "$URI/Files/made" || return 1
    [[ ! -e $STORE/made ]] || { echo "made is still on the device"; return 1; }
}

check_unmount() {
    g mount -u "$URI/" || return 1
    g mount -l >"$E2E_TMP/gvfs-mounts-after.txt" 2>&1
    ! grep -qF -- "-> $URI/" "$E2E_TMP/gvfs-mounts-after.txt" || { echo "still mounted"; return 1; }
}

if check gvfs-session-bus start_bus && check gvfs-mount check_mount; then
    check gvfs-list-storage-root check_list ""
    check gvfs-list-folder check_list sub
    for size in $SIZES; do check "gvfs-copy-from-device-$size" check_copy_from "$size"; done
    for size in $SIZES; do check "gvfs-copy-to-device-$size" check_copy_to "$size"; done
    check gvfs-list-after-copies check_list sub
    check gvfs-rename check_rename
    check gvfs-mkdir+copy-into check_mkdir_copy_into
    check gvfs-remove-file check_remove
    check gvfs-remove-folder check_remove_folder
    check gvfs-unmount check_unmount
fi
[[ -n $bus_pid ]] && kill "$bus_pid" 2>/dev/null
ffs_mtpd_down
exit 0
