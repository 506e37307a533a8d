#!/bin/bash
# A host stack that is neither libmtp nor go-mtpfs: gphoto2 on libgphoto2's own PTP/MTP code (the
# ptp2 camlib, over libusb), against mtpd on FunctionFS bound to dummy_hcd, as the functionfs suite
# sets it up (udev-rules/gadget/mtp-gadget, mtpd through its launcher). libgphoto2 finds devices by
# interface class 6 (PTP) and walks folders, reads and writes objects its own way, so every check
# verifies the effect on the device's disk or in the bytes received, never gphoto2's exit status alone.
set -uo pipefail
. "$REPO/vm-e2e/guest/lib.sh"
. "$REPO/vm-e2e/guest/ffs-mtpd.sh"

STORE=/tmp/gphoto2-store
SERIAL=E2E0GPHOTO21
MANUFACTURER="MTP Bridge e2e"
MODEL="gphoto2 e2e device"
GP_SIZES=${VM_E2E_SIZES:-0 1 512 65536 16777217}
GP_TIMEOUT=${GP_TIMEOUT:-180}
DL=$E2E_TMP/gp-dl
DATA=$E2E_TMP/gp-data
# gphoto2 keeps its settings in $HOME/.gphoto; the guest's root file system is read-only.
export HOME=$E2E_TMP/gphoto2-home

if ! need_commands gphoto2 >"$E2E_TMP/gphoto2-need.txt"; then
    fail_now gphoto2-installed "$(cat "$E2E_TMP/gphoto2-need.txt"); vm-e2e/run installs gphoto2"
    exit 0
fi
marker "$(gphoto2 --version | sed -n 's/^\(libgphoto2 \+[0-9.]*\).*/\1/p')"

# libgphoto2 loads every camlib and port library at each start (tens of seconds in the loaded,
# emulated guest); CAMLIBS / IOLIBS name the folders it loads them from. The ptp2 camlib is the
# one that drives every PTP and MTP device (the others are serial and vendor-protocol cameras),
# and usb1 the libusb port: the same code paths, loaded in a fraction of the time.
GP_LIBS=$E2E_TMP/gphoto2-libs
mkdir -p "$GP_LIBS/camlibs" "$GP_LIBS/iolibs"
ptp2=$(ls -d /usr/lib/*/libgphoto2/*/ptp2.so 2>/dev/null | head -n1)
usb1=$(ls -d /usr/lib/*/libgphoto2_port/*/usb1.so 2>/dev/null | head -n1)
if [[ -z $ptp2 || -z $usb1 ]]; then
    fail_now gphoto2-installed "libgphoto2's ptp2 camlib or usb1 port library not found; vm-e2e/run installs gphoto2"
    exit 0
fi
ln -sf "$ptp2" "$GP_LIBS/camlibs/ptp2.so"
ln -sf "$usb1" "$GP_LIBS/iolibs/usb1.so"
export CAMLIBS=$GP_LIBS/camlibs IOLIBS=$GP_LIBS/iolibs

gp() { timeout -k 5 "$GP_TIMEOUT" gphoto2 "$@"; }

# gp_log NAME ARGS...: gphoto2 with its output kept in $E2E_TMP/NAME.txt (and shown in the log).
gp_log() {
    local name=$1
    shift
    gp "$@" >"$E2E_TMP/gp-$name.txt" 2>&1
    local status=$?
    cat "$E2E_TMP/gp-$name.txt"
    echo "gphoto2 $* -> exit $status"
    return $status
}

mkdir -p "$HOME" "$DL" "$DATA" "$STORE/gp-get/deep/deeper" "$STORE/gp-up"
for size in $GP_SIZES; do
    make_file "$STORE/gp-get/g-$size.dat" "$size"
    make_file "$DATA/u-$size.dat" "$size"
done
echo "a file two folders down" >"$STORE/gp-get/deep/deeper/nested.txt"

ffs_mtpd_up gphoto2 "$STORE" "$SERIAL" --manufacturer "$MANUFACTURER" --model "$MODEL" || exit 0

check_auto_detect() {
    local port
    port=$(ffs_port) || { echo "no 1209:000c on the bus"; return 1; }
    gp_log detect --auto-detect || return 1
    echo "our device is at $port"
    # "Model   Port" header, a rule, then one line per camera ending in its port.
    grep -q " $port *\$" "$E2E_TMP/gp-detect.txt" || { echo "gphoto2 does not list $port"; return 1; }
}

# Few gphoto2 processes: each start costs seconds in the guest, so the summary,
# the storages and both listings come from one run, and the checks below read its output.
INFO=$E2E_TMP/gp-info.txt
check_summary() {
    gp_log info --summary --storage-info --list-folders --list-files || return 1
    grep -q "^[[:space:]]*Manufacturer: $MANUFACTURER\$" "$INFO" || { echo "manufacturer is not '$MANUFACTURER'"; return 1; }
    grep -q "^[[:space:]]*Model: $MODEL\$" "$INFO" || { echo "model is not '$MODEL'"; return 1; }
    grep -q "^[[:space:]]*Serial Number: $SERIAL\$" "$INFO" || { echo "serial number is not $SERIAL"; return 1; }
}

STORAGE_DIR=""   # /store_XXXXXXXX: how libgphoto2 names our storage
check_storage_info() {
    grep -q "^description=Files\$" "$INFO" || { echo "no storage described as Files"; return 1; }
    STORAGE_DIR=$(sed -n 's/^basedir=\(\/store_[0-9A-Fa-f]\{8\}\)$/\1/p' "$INFO" | head -n1)
    [[ -n $STORAGE_DIR ]] || { echo "no basedir=/store_XXXXXXXX"; return 1; }
    echo "storage folder: $STORAGE_DIR"
    grep -q '^access=0 Read-Write$' "$INFO" || { echo "the storage is not read-write"; return 1; }
    # The capacity gphoto2 reports is the file system's, in KiB (as df counts it, give or take 1).
    local kib df_kib
    kib=$(sed -n 's/^totalcapacity=\([0-9]*\) KB$/\1/p' "$INFO" | head -n1)
    df_kib=$(df -k --output=size "$STORE" | tail -n1)
    [[ -n $kib ]] && ((kib - df_kib <= 1 && df_kib - kib <= 1)) ||
        { echo "capacity ${kib:-missing} KB, df says $df_kib"; return 1; }
}

# in_listing KIND FOLDER NAME FILE: NAME is listed under gphoto2's header "There are N KINDs in
# folder 'FOLDER'" (KIND folder: lines " - NAME"; KIND file: lines "#N NAME ...").
in_listing() {
    awk -v kind="$1" -v want="$2" -v name="$3" '
        /^There (are|is) ([0-9]+|no) (folders?|files?) in folder / {
            f = $0; sub(/^[^'\'']*'\''/, "", f); sub(/'\''[^'\'']*$/, "", f)
            inside = (f == want && $4 ~ "^" kind); next }
        inside && kind == "folder" && substr($0, 1, 3) == " - " && substr($0, 4) == name { found = 1 }
        inside && kind == "file" && /^#[0-9]+ / && $2 == name { found = 1 }
        END { exit found ? 0 : 1 }' "$4"
}
count_in_listing() { # count_in_listing KIND FOLDER FILE: the N of gphoto2's header for FOLDER
    awk -v kind="$1" -v want="$2" '
        /^There (are|is) ([0-9]+|no) (folders?|files?) in folder / {
            f = $0; sub(/^[^'\'']*'\''/, "", f); sub(/'\''[^'\'']*$/, "", f)
            if (f == want && $4 ~ "^" kind) { print ($3 == "no" ? 0 : $3); exit } }' "$3"
}

# Every folder and file of the storage listed in its folder, the counts per folder right, and the
# time shown for each file its modification time on the device (DateModified carries local time
# without a zone; host and device share one clock and zone here).
check_listing() { python3 "$REPO/vm-e2e/guest/gphoto2-listing.py" "$INFO" "$STORE" "$STORAGE_DIR" "$1"; }

# Device -> host: --show-info and --get-file of every file of gp-get by its number, in one run;
# gphoto2 saves under the object's own name in the current folder.
GET=$E2E_TMP/gp-get.txt
get_files() {
    local n
    n=$(count_in_listing file "$STORAGE_DIR/gp-get" "$INFO")
    rm -rf "$DL/one" && mkdir -p "$DL/one"
    (cd "$DL/one" && gp_log get --folder "$STORAGE_DIR/gp-get" --show-info "1-$n" --get-file "1-$n")
}
check_get_file() { # the bytes, and the exact size gphoto2 was told (--show-info: "Size: N byte(s)")
    local size=$1
    [[ -f $DL/one/g-$size.dat ]] || { echo "gphoto2 saved no g-$size.dat"; ls -la "$DL/one"; return 1; }
    cmp "$STORE/gp-get/g-$size.dat" "$DL/one/g-$size.dat" || return 1
    awk -v want="g-$size.dat" -v size="$size" '
        /^Information on file / { inside = index($0, "'\''" want "'\''") > 0 }
        inside && $1 == "Size:" { found = ($2 == size); exit }
        END { exit found ? 0 : 1 }' "$GET" || { echo "--show-info does not give g-$size.dat $size bytes"; return 1; }
}

check_get_all_files() { # the whole tree under gp-get (recursive), byte for byte, names kept
    rm -rf "$DL/all" && mkdir -p "$DL/all"
    (cd "$DL/all" && gp_log get-all --folder "$STORAGE_DIR/gp-get" --get-all-files --recurse) || return 1
    diff <(cd "$STORE/gp-get" && find . -type f -printf '%f\n' | sort) <(cd "$DL/all" && find . -type f -printf '%f\n' | sort) ||
        { echo "the files received differ from the folder tree's files"; return 1; }
    local f
    while read -r f; do cmp "$f" "$DL/all/${f##*/}" || return 1; done < <(find "$STORE/gp-get" -type f)
}

# Host -> device: every size but 0 in one run, into a folder.
upload_files() {
    local args=() size
    for size in $GP_SIZES; do ((size > 0)) && args+=(--upload-file "u-$size.dat"); done
    ((${#args[@]})) || return 0
    (cd "$DATA" && gp_log upload --folder "$STORAGE_DIR/gp-up" "${args[@]}")
}
check_upload() {
    local size=$1
    wait_for "[[ -f \$STORE/gp-up/u-$size.dat ]]" 10 || { echo "u-$size.dat not on the device"; ls -la "$STORE/gp-up"; return 1; }
    cmp "$DATA/u-$size.dat" "$STORE/gp-up/u-$size.dat"
}

# An empty file. libgphoto2 2.5.30 sends SendObjectInfo (size 0) and the SendObject request, then
# fails on its own side before writing the (empty) data phase ("PTP General Error" from
# put_file_func, nothing written: logs/gphoto2-upload-empty.debug.txt) and closes the session; the
# device's log shows CloseSession where the data phase should be. mtpd creates an empty file when
# it is announced (some hosts send no SendObject for one, mtp-core README), so the device must hold
# the empty file whatever gphoto2 says, and no temporary.
check_upload_empty() {
    (cd "$DATA" && gp --folder "$STORAGE_DIR/gp-up" --upload-file u-0.dat --debug --debug-logfile="$LOGS/gphoto2-upload-empty.debug.txt")
    echo "gphoto2 --upload-file u-0.dat -> exit $?"
    [[ -f $STORE/gp-up/u-0.dat && ! -s $STORE/gp-up/u-0.dat ]] || { echo "the device has no empty u-0.dat"; ls -la "$STORE/gp-up"; return 1; }
    [[ -z $(find "$STORE" -name '.mtpbridge-*') ]] || { echo "temporary files left: $(find "$STORE" -name '.mtpbridge-*')"; return 1; }
}

# The next gphoto2 lists every upload, the empty one too.
UPLIST=$E2E_TMP/gp-upload-list.txt
check_list_uploaded() {
    gp_log upload-list --folder "$STORAGE_DIR/gp-up" --list-files || return 1
    local size
    for size in $GP_SIZES; do
        in_listing file "$STORAGE_DIR/gp-up" "u-$size.dat" "$UPLIST" || { echo "u-$size.dat not listed by the next gphoto2"; return 1; }
    done
}

check_mkdir() {
    gp_log mkdir --folder "$STORAGE_DIR" --mkdir gp-made --mkdir gp-gone || return 1
    [[ -d $STORE/gp-made && -d $STORE/gp-gone ]] || { echo "gp-made and gp-gone are not both on the device"; ls -la "$STORE"; return 1; }
}

check_rmdir() {
    gp_log rmdir --folder "$STORAGE_DIR" --rmdir gp-gone --list-folders || return 1
    [[ ! -e $STORE/gp-gone ]] || { echo "gp-gone still on the device"; return 1; }
    [[ -d $STORE/gp-made ]] || { echo "gp-made went too"; return 1; }
    in_listing folder "$STORAGE_DIR" gp-made "$E2E_TMP/gp-rmdir.txt" || { echo "gp-made is not listed"; return 1; }
    ! in_listing folder "$STORAGE_DIR" gp-gone "$E2E_TMP/gp-rmdir.txt" || { echo "gp-gone is still listed"; return 1; }
}

check_delete_file() { # by its number in the listing the previous gphoto2 printed (nothing changed since)
    local name=u-512.dat i f
    [[ -f $STORE/gp-up/$name ]] || name=$(cd "$STORE/gp-up" && ls | grep -vx u-0.dat | head -n1)
    [[ -n $name ]] || { echo "nothing uploaded to delete"; return 1; }
    i=$(awk -v want="$name" '/^#[0-9]+ / && $2 == want { print substr($1, 2); exit }' "$UPLIST")
    [[ -n $i ]] || { echo "$name has no number in the listing"; return 1; }
    gp_log delete --folder "$STORAGE_DIR/gp-up" --delete-file "$i" --list-files || return 1
    [[ ! -e $STORE/gp-up/$name ]] || { echo "$name still on the device"; return 1; }
    ! in_listing file "$STORAGE_DIR/gp-up" "$name" "$E2E_TMP/gp-delete.txt" || { echo "$name still listed"; return 1; }
    for f in "$STORE"/gp-up/*; do [[ -e $f ]] || continue; cmp "$DATA/${f##*/}" "$f" || return 1; done
}

check gphoto2-auto-detect check_auto_detect
if check gphoto2-summary check_summary && check gphoto2-storage-info check_storage_info; then
    check gphoto2-list-folders check_listing folders
    check gphoto2-list-files check_listing files
    check gphoto2-list-files-times check_listing times
    if check gphoto2-show-info+get-file get_files; then
        for size in $GP_SIZES; do check "gphoto2-get-file-$size" check_get_file "$size"; done
    fi
    check gphoto2-get-all-files-recursive check_get_all_files
    if check gphoto2-upload-files upload_files; then
        for size in $GP_SIZES; do ((size > 0)) && check "gphoto2-upload-file-$size" check_upload "$size"; done
    fi
    check gphoto2-upload-empty-file check_upload_empty
    check gphoto2-list-uploaded check_list_uploaded
    check gphoto2-mkdir check_mkdir
    check gphoto2-rmdir check_rmdir
    check gphoto2-delete-file check_delete_file
fi

ffs_mtpd_down
exit 0
