#!/bin/bash
# Android File Transfer for Linux (Debian's android-file-transfer 4.2: aft-mtp-cli, and the FUSE
# mount aft-mtp-mount) against mtpd on FunctionFS bound to dummy_hcd. AFT is an MTP stack of its
# own on usbfs (not libmtp, not libusb): it creates files and folders with SendObjectPropList when
# the device offers it and reads the four response parameters MTP defines, lists with
# GetObjectPropList, names objects with GetObjectPropValue(ObjectFileName), dates downloads with
# DateModified, renames with SetObjectPropValue, and its mount writes in place with the Android edit
# operations (BeginEditObject .. EndEditObject), which it uses whenever OperationsSupported lists
# them. mtpd runs with its defaults. Every check compares the device's own disk (bytes, names,
# modes, dates) with what was done through AFT.
# vm-e2e: timeout 1500
set -uo pipefail
. "$REPO/vm-e2e/guest/lib.sh"
. "$REPO/vm-e2e/guest/ffs-mtpd.sh"

STORE=/tmp/aft-store
SERIAL=E2E0AFT00001
SIZES=${VM_E2E_SIZES:-0 512 16777217}
# Through the mount every write(2) is a TruncateObject and a SendPartialObject, and AFT 4.2's mount
# gets 4 KiB writes (no big writes): 2 transactions per 4 KiB, 16 MiB that way takes minutes under
# TCG (FINDINGS.md), so the mount copies 1 MiB + 1 (the command-line checks do 16 MiB + 1).
FUSE_SIZES=${VM_E2E_SIZES:-0 512 1048577}
DATA=$E2E_TMP/aft-data    # what the host uploads
DL=$E2E_TMP/aft-dl        # what the host downloaded
MNT=/tmp/aft-mnt
MNTS=$MNT/Files           # the storage as the mount shows it
REF=$E2E_TMP/aft-ref      # the mount's operations done again on the guest's own disk
AFT_LOG=$LOGS/aft-mtp-mount.log
FSOPS="python3 $REPO/vm-e2e/guest/fsops.py"
# What the host creates gets 0666/0777 minus mtpd's umask: make it the usual one.
umask 022
FILE_MODE=644
FOLDER_MODE=755
# Names a person uses: spaces, accents, other scripts.
ODD_FOLDER="Camera Roll"
ODD_FILE="IMG 0001 été.jpg"
ODD_ROOT="Grüße — 日本 notes.txt"

if ! need_commands aft-mtp-cli aft-mtp-mount python3 >"$E2E_TMP/aft-need.txt"; then
    fail_now aft-installed "$(cat "$E2E_TMP/aft-need.txt"); vm-e2e/run installs android-file-transfer"
    exit 0
fi

# The device's side before it serves: files of every size with the dates a camera leaves, names
# with spaces and other scripts, and a folder tree three levels deep.
rm -rf "$STORE" "$DATA" "$DL" "$REF"
mkdir -p "$STORE/get" "$STORE/$ODD_FOLDER" "$STORE/tree/a/b" "$STORE/up" "$DATA" "$DL" "$REF"
for size in $SIZES; do
    make_file "$STORE/get/g-$size.dat" "$size"
    touch -d "2022-02-03 04:05:$((size % 60))" "$STORE/get/g-$size.dat"
    make_file "$DATA/u-$size.dat" "$size"
done
make_file "$STORE/$ODD_FOLDER/$ODD_FILE" 70001
touch -d '2021-03-04 05:06:07' "$STORE/$ODD_FOLDER/$ODD_FILE"
printf 'ein Gruß\n' >"$STORE/$ODD_ROOT"
touch -d '2019-12-31 23:59:58' "$STORE/$ODD_ROOT"
make_file "$STORE/tree/top.bin" 1025
make_file "$STORE/tree/a/mid.bin" 513
make_file "$STORE/tree/a/b/deep.bin" 70000
: >"$STORE/tree/a/b/empty.txt"
touch -d '2020-06-07 08:09:10' "$STORE/tree/a/b/deep.bin"
# A folder of files and a tree to upload, with odd names inside.
mkdir -p "$DATA/flat" "$DATA/uptree/x/y"
make_file "$DATA/flat/a.bin" 3000
make_file "$DATA/flat/$ODD_FILE" 513
: >"$DATA/flat/empty.txt"
make_file "$DATA/uptree/one.bin" 4099
make_file "$DATA/uptree/x/two.bin" 511
make_file "$DATA/uptree/x/y/$ODD_FILE" 12345

ffs_mtpd_up aft "$STORE" "$SERIAL" || exit 0

aft() { # aft COMMAND...: one aft-mtp-cli process (one session), each argument one command
    timeout -k 5 "${MTP_TIMEOUT:-180}" aft-mtp-cli "$@"
}

# A file the host stored takes its name on the device once its data is durable, which mtpd does in
# batches within a quarter of a second (mtp-core README, "Durability of uploads"): wait for it.
on_device() { # on_device LOCAL DEVICE-PATH: the device's file equals LOCAL, byte for byte
    local host=$1 device=$2
    wait_for 'cmp -s "$host" "$device"' 10 && return 0
    [[ -f $2 ]] || { echo "$2 is not on the device"; ls -la "$(dirname "$2")"; return 1; }
    cmp "$1" "$2" || { echo "device $(size_of "$2") bytes, host $(size_of "$1")"; return 1; }
}

mode_is() { # mode_is PATH OCTAL
    local got
    got=$(stat -c %a "$1")
    [[ $got == "$2" ]] || { echo "$1 has mode $got, want $2 (apps on the device must be able to read it)"; return 1; }
}

same_mtime() { # same_mtime DEVICE-FILE HOST-FILE: whole seconds
    local want got
    want=$(stat -c %Y "$1")
    got=$(stat -c %Y "$2")
    echo "${2##*/}: device mtime $(date -d "@$want" '+%F %T'), host $(date -d "@$got" '+%F %T')"
    [[ $want == "$got" ]]
}

# ---- aft-mtp-cli ----------------------------------------------------------------------------

check_cli_info() {
    aft device-info storage-list >"$E2E_TMP/aft-info.txt" 2>&1
    local status=$?
    cat "$E2E_TMP/aft-info.txt"
    [[ $status -eq 0 ]] || return 1
    grep -qx "$SERIAL" "$E2E_TMP/aft-info.txt" || { echo "no serial $SERIAL"; return 1; }
    grep -q 'Files' "$E2E_TMP/aft-info.txt" || { echo "storage Files not listed"; return 1; }
}

# ls prints "<id> <name>" per object of the folder.
names_of() { awk '$1 ~ /^[0-9]+$/ { sub(/^[0-9]+ +/, ""); print }' "$1" | sort; }

check_cli_ls() { # check_cli_ls [FOLDER]
    local folder=${1:-} out=$E2E_TMP/aft-ls.txt
    if [[ -n $folder ]]; then aft "ls \"$folder\"" >"$out" 2>&1; else aft ls >"$out" 2>&1; fi
    local status=$?
    cat "$out"
    [[ $status -eq 0 ]] || return 1
    diff <(names_of "$out") <(ls -A "$STORE/$folder" | sort) || { echo "names differ from the device's '$folder'"; return 1; }
}

# lsext-r: every object of the storage with its size and a date, path names relative to the
# storage. The date AFT shows is ObjectInfo's CaptureDate (MTP's DateCreated) when the device sends
# one, else ModificationDate. mtpd's DateCreated is the file's birth time on the device, but never
# later than its modification time (as Android, which sends the modification time in both): the
# files made above with `touch -d` must show those old dates, not when the suite made them. So each
# file must be listed with its size and min(birth, modification time)
# (guest/aft-lsext.py, one process: a stat/date/awk loop per file took 40 s in a loaded guest).
# Modification times are checked by get (AFT dates the download with DateModified) and by the
# mount (st_mtime).
check_cli_lsext() {
    local out=$E2E_TMP/aft-lsext.txt
    aft lsext-r >"$out" 2>&1 || { cat "$out"; return 1; }
    cat "$out"
    python3 "$REPO/vm-e2e/guest/aft-lsext.py" "$out" "$STORE"
}

check_cli_get() { # check_cli_get DEVICE-PATH: bytes, and the device's date on the download
    local path=$1 dst=$DL/${1##*/}
    rm -f "$dst"
    aft "get \"$path\" \"$dst\"" || return 1
    cmp "$STORE/$path" "$dst" && same_mtime "$STORE/$path" "$dst"
}

# get of a folder downloads it whole.
check_cli_get_tree() {
    rm -rf "$DL/tree"
    aft "get tree \"$DL/tree\"" || return 1
    find "$DL/tree" | sort
    diff -r "$STORE/tree" "$DL/tree" && same_mtime "$STORE/tree/a/b/deep.bin" "$DL/tree/a/b/deep.bin"
}

check_cli_put() { # check_cli_put LOCAL [DEVICE-FOLDER]
    local src=$1 folder=${2:-}
    if [[ -n $folder ]]; then aft "put \"$src\" \"$folder\"" || return 1; else aft "put \"$src\"" || return 1; fi
    on_device "$src" "$STORE/${folder:+$folder/}${src##*/}" && mode_is "$STORE/${folder:+$folder/}${src##*/}" $FILE_MODE
}

# put over an existing name: AFT deletes the old object and sends the new one.
check_cli_put_replaces() {
    make_file "$DATA/u-512.dat" 777
    check_cli_put "$DATA/u-512.dat" up
}

# put of a local folder uploads it with what is inside. AFT 4.2 makes every folder of such an
# upload in the current folder (cli/Session.cpp: MakeDirectory(parent, name) creates in `_cd`, not
# in `parent`), so a sub-folder of the uploaded folder lands beside it, not in it: AFT's limit. The
# suite uploads a folder of files this way (from `cd up`), and builds a deeper tree the way AFT
# does it right: mkdir and cd level by level, a put at each.
check_cli_put_folder() {
    aft "cd up" "put \"$DATA/flat\"" || return 1
    wait_for 'diff -r "$DATA/flat" "$STORE/up/flat" >/dev/null 2>&1' 10
    diff -r "$DATA/flat" "$STORE/up/flat" || return 1
    mode_is "$STORE/up/flat" $FOLDER_MODE && mode_is "$STORE/up/flat/$ODD_FILE" $FILE_MODE
}

check_cli_tree_by_levels() {
    aft "cd up" "mkdir uptree" "cd uptree" "put \"$DATA/uptree/one.bin\"" \
        "mkdir x" "cd x" "put \"$DATA/uptree/x/two.bin\"" \
        "mkdir y" "cd y" "put \"$DATA/uptree/x/y/$ODD_FILE\"" || return 1
    wait_for 'diff -r "$DATA/uptree" "$STORE/up/uptree" >/dev/null 2>&1' 10
    find "$STORE/up" | sort
    diff -r "$DATA/uptree" "$STORE/up/uptree" && mode_is "$STORE/up/uptree/x/y" $FOLDER_MODE
}

check_cli_mkdir() {
    aft "mkdir \"New Folder é\"" || return 1
    [[ -d "$STORE/New Folder é" ]] || { echo "no folder 'New Folder é' on the device"; ls -la "$STORE"; return 1; }
    mode_is "$STORE/New Folder é" $FOLDER_MODE || return 1
    make_file "$DATA/inside.dat" 4099
    check_cli_put "$DATA/inside.dat" "New Folder é" && check_cli_ls "New Folder é"
}

check_cli_rename() {
    aft "rename up/u-512.dat \"renamed é.dat\"" || return 1
    [[ ! -e $STORE/up/u-512.dat ]] || { echo "up/u-512.dat is still on the device"; return 1; }
    on_device "$DATA/u-512.dat" "$STORE/up/renamed é.dat" || return 1
    aft "rename \"New Folder é\" Renamed" || return 1
    [[ ! -e "$STORE/New Folder é" && -f $STORE/Renamed/inside.dat ]] || { echo "folder not renamed on the device"; ls -laR "$STORE"; return 1; }
    check_cli_ls up
}

# rm is recursive in AFT: a file, then a folder with a tree inside.
check_cli_rm() {
    aft "rm \"up/renamed é.dat\"" || return 1
    [[ ! -e "$STORE/up/renamed é.dat" ]] || { echo "the file is still on the device"; return 1; }
    aft "rm up/uptree" || return 1
    [[ ! -e $STORE/up/uptree ]] || { echo "the folder is still on the device:"; find "$STORE/up/uptree"; return 1; }
    check_cli_ls up && check_cli_ls
}

check cli-device-info+storages check_cli_info
check cli-ls-root check_cli_ls
check cli-ls-folder-with-spaces check_cli_ls "$ODD_FOLDER"
check cli-lsext-r-sizes+dates check_cli_lsext
for size in $SIZES; do check "cli-get-$size+date" check_cli_get "get/g-$size.dat"; done
check cli-get-odd-names+date eval 'check_cli_get "$ODD_FOLDER/$ODD_FILE" && check_cli_get "$ODD_ROOT"'
check cli-get-folder-tree check_cli_get_tree
for size in $SIZES; do check "cli-put-$size" check_cli_put "$DATA/u-$size.dat" up; done
check cli-put-odd-name eval 'printf "Grüße\n" >"$DATA/$ODD_ROOT.up" && check_cli_put "$DATA/$ODD_ROOT.up"'
check cli-put-replaces check_cli_put_replaces
check cli-put-folder check_cli_put_folder
check cli-mkdir+cd+put-tree check_cli_tree_by_levels
check cli-mkdir+put-inside+ls check_cli_mkdir
check cli-rename-file+folder check_cli_rename
check cli-rm-file+folder-tree check_cli_rm

# ---- aft-mtp-mount (FUSE) -------------------------------------------------------------------

aft_pid=""
mounted() { grep -q " $MNT fuse" /proc/mounts; }

mount_aft() {
    mkdir -p "$MNT"
    # -f: foreground, so the suite keeps its pid; AFT's own messages go to the log
    aft-mtp-mount -f "$MNT" >>"$AFT_LOG" 2>&1 &
    aft_pid=$!
    wait_for "[[ -d \$MNTS ]]" 120 || { echo "aft-mtp-mount did not show storage Files in $MNT"; tail -n 20 "$AFT_LOG"; return 1; }
}

unmount_aft() {
    [[ -n $aft_pid ]] || return 0
    umount "$MNT" 2>/dev/null || umount -l "$MNT" 2>/dev/null
    wait_for "! kill -0 $aft_pid 2>/dev/null" 20 || kill -KILL "$aft_pid" 2>/dev/null
    wait "$aft_pid" 2>/dev/null
    aft_pid=""
    ! mounted
}

same() { on_device "$REF/$1" "$STORE/$1"; }

check_listing() { # check_listing [FOLDER]: the mount lists exactly the device's names
    local sub=${1:-}
    diff <(ls -A "$MNTS/$sub" | sort) <(ls -A "$STORE/$sub" | sort) || { echo "the mount and the device differ in '$sub'"; return 1; }
}

check_sizes_and_times() { # every file of FOLDER has the device's size and mtime through the mount
    local sub=$1 f want got status=0
    for f in "$STORE/$sub"/*; do
        [[ -f $f ]] || continue
        want=$(stat -c '%s %Y' "$f")
        got=$(stat -c '%s %Y' "$MNTS/$sub/${f##*/}") || { status=1; continue; }
        echo "$sub/${f##*/}: device '$want', mount '$got'"
        [[ $want == "$got" ]] || status=1
    done
    return $status
}

check_fuse_read() {
    local size
    for size in $SIZES; do cmp "$STORE/get/g-$size.dat" "$MNTS/get/g-$size.dat" || return 1; done
    cmp "$STORE/$ODD_FOLDER/$ODD_FILE" "$MNTS/$ODD_FOLDER/$ODD_FILE" && diff -r "$STORE/tree" "$MNTS/tree"
}

# cp of every size and of a tree into the mount: create (SendObjectPropList, four parameters read)
# then the data through the edit operations.
check_fuse_copy_in() {
    local size
    mkdir -p "$REF/in"
    mkdir "$MNTS/in" || return 1
    for size in $FUSE_SIZES; do
        make_file "$DATA/f-$size.dat" "$size"
        local start=$(now)
        cp "$DATA/f-$size.dat" "$MNTS/in/" && cp "$DATA/f-$size.dat" "$REF/in/" || return 1
        echo "cp of $size bytes into the mount: $(elapsed "$start") s"
        same "in/f-$size.dat" && mode_is "$STORE/in/f-$size.dat" $FILE_MODE || return 1
    done
    cp -r "$DATA/uptree" "$MNTS/in/" && cp -r "$DATA/uptree" "$REF/in/" || return 1
    wait_for "diff -r \"\$REF/in\" \"\$STORE/in\" >/dev/null 2>&1" 10
    diff -r "$REF/in" "$STORE/in"
}

check_create_write() {
    printf 'hello from the host\n' >"$MNTS/hello.txt" && printf 'hello from the host\n' >"$REF/hello.txt" &&
        same hello.txt && mode_is "$STORE/hello.txt" $FILE_MODE
}
check_create_empty() {
    : >"$MNTS/empty.txt" && : >"$REF/empty.txt" && same empty.txt && mode_is "$STORE/empty.txt" $FILE_MODE
}
check_odd_name() {
    printf 'Grüße\n' >"$MNTS/$ODD_ROOT.new" && printf 'Grüße\n' >"$REF/$ODD_ROOT.new" && same "$ODD_ROOT.new"
}
check_pieces() {
    $FSOPS pieces "$MNTS/pieces.bin" 1 && $FSOPS pieces "$REF/pieces.bin" 1 && same pieces.bin
}
check_overwrite_middle() {
    $FSOPS overwrite "$MNTS/pieces.bin" 70000 "MIDDLE" && $FSOPS overwrite "$REF/pieces.bin" 70000 "MIDDLE" && same pieces.bin
}
check_append() {
    printf 'tail\n' >>"$MNTS/pieces.bin" && printf 'tail\n' >>"$REF/pieces.bin" && same pieces.bin
}
check_readback_while_open() {
    $FSOPS readback "$MNTS/pieces.bin" 2 && $FSOPS readback "$REF/pieces.bin" 2 && same pieces.bin &&
        cmp "$REF/pieces.bin" "$MNTS/pieces.bin"
}
# truncate(2) on a path: AFT opens an edit (BeginEditObject, TruncateObject) and, with no file
# handle open, keeps it open until the file is next opened or released (fuse/fuse_ll.cpp SetAttr);
# mtpd commits an edit at EndEditObject (so a host that dies mid-edit leaves the previous content),
# so the device's disk shows the new size once AFT ends the edit: read the file through the mount
# (which ends it), then look at the device. The unmount check below proves no edit is left behind.
truncated_same() { cmp "$REF/$1" "$MNTS/$1" && same "$1"; }
check_truncate_zero() {
    cp "$REF/pieces.bin" "$REF/cut.bin" && cp "$REF/pieces.bin" "$MNTS/cut.bin" && same cut.bin &&
        truncate -s 0 "$MNTS/cut.bin" && truncate -s 0 "$REF/cut.bin" && truncated_same cut.bin
}
check_truncate_larger() {
    printf 'short' >"$MNTS/grow.bin" && printf 'short' >"$REF/grow.bin" &&
        truncate -s 200000 "$MNTS/grow.bin" && truncate -s 200000 "$REF/grow.bin" && truncated_same grow.bin
}
check_truncate_smaller() {
    truncate -s 1000 "$MNTS/pieces.bin" && truncate -s 1000 "$REF/pieces.bin" && truncated_same pieces.bin
}
check_two_files_open() {
    $FSOPS twofiles "$MNTS/one.bin" "$MNTS/two.bin" 5 && $FSOPS twofiles "$REF/one.bin" "$REF/two.bin" 5 &&
        same one.bin && same two.bin
}
check_rename() {
    mv "$MNTS/two.bin" "$MNTS/renamed é.bin" && mv "$REF/two.bin" "$REF/renamed é.bin" &&
        [[ ! -e $STORE/two.bin ]] && same "renamed é.bin" && check_listing
}
check_mkdir_and_file_inside() {
    mkdir "$MNTS/Album" && mkdir "$REF/Album" && [[ -d $STORE/Album ]] && mode_is "$STORE/Album" $FOLDER_MODE &&
        printf 'track\n' >"$MNTS/Album/t.txt" && printf 'track\n' >"$REF/Album/t.txt" && same Album/t.txt &&
        mode_is "$STORE/Album/t.txt" $FILE_MODE
}
# A move to another folder: whatever way AFT does it (MoveObject, or EXDEV and mv copies), the
# file is in the new folder with its bytes and gone from the old.
check_move_across_folders() {
    mv "$MNTS/renamed é.bin" "$MNTS/Album/moved.bin" && mv "$REF/renamed é.bin" "$REF/Album/moved.bin" &&
        [[ ! -e "$STORE/renamed é.bin" ]] && same Album/moved.bin && check_listing Album
}
check_delete() {
    rm "$MNTS/one.bin" && rm "$REF/one.bin" && [[ ! -e $STORE/one.bin ]] && ! ls "$MNTS" | grep -qx one.bin
}
check_rmdir_empty() {
    mkdir "$MNTS/Empty" && [[ -d $STORE/Empty ]] && rmdir "$MNTS/Empty" && [[ ! -e $STORE/Empty ]] && check_listing
}
# rmdir(2) of a folder that is not empty: aft-mtp-mount sends DeleteObject for it without looking
# inside (fuse/fuse_ll.cpp: RemoveDir is Unlink), and DeleteObject of a folder deletes what is in it
# (PTP/MTP; Android's MtpServer and mtpd alike, mtp-core OperationsTest#deleteObject), so the folder
# goes whole where a local rmdir says "Directory not empty": AFT's behaviour, not the device's.
# What the device owes is nothing half done: refused and kept whole, or gone whole.
check_rmdir_not_empty() {
    mkdir "$MNTS/Full" && printf 'one\n' >"$MNTS/Full/a.txt" && printf 'two\n' >"$MNTS/Full/b.txt" || return 1
    wait_for '[[ -f $STORE/Full/a.txt && -f $STORE/Full/b.txt ]]' 10 || { echo "the folder was not made"; return 1; }
    if rmdir "$MNTS/Full" 2>&1; then
        echo "aft-mtp-mount removed the non-empty folder"
        [[ ! -e $STORE/Full ]] || { echo "but the device kept part of it:"; find "$STORE/Full"; return 1; }
    else
        echo "refused"
        [[ $(cat "$STORE/Full/a.txt" "$STORE/Full/b.txt") == $'one\ntwo' ]] || { echo "the refused folder lost content"; return 1; }
        rm -r "$MNTS/Full" && [[ ! -e $STORE/Full ]] || return 1
    fi
    check_listing
}
check_rm_tree() {
    rm -r "$MNTS/in/uptree" && rm -r "$REF/in/uptree" && [[ ! -e $STORE/in/uptree ]] && check_listing in
}
no_temporaries() {
    local left
    left=$(find "$STORE" -name '.mtpbridge-*' | head)
    [[ -z $left ]] || { echo "temporary files left on the device: $left"; return 1; }
}
# After the unmount the device holds exactly what was written through the mount: every file the
# mount made or changed equals the reference (no edit left open, nothing lost at unmount).
check_after_unmount() {
    unmount_aft || { echo "still mounted"; return 1; }
    local f status=0
    while IFS= read -r -d '' f; do
        cmp "$f" "$STORE/${f#"$REF"/}" || status=1
    done < <(find "$REF" -type f -print0)
    return $status
}

# The mount works on the state the command-line checks left: the reference starts as a copy of the
# files it will touch.
if check fuse-mount mount_aft; then
    check fuse-listing-root check_listing
    check fuse-listing-folder-with-spaces eval 'check_listing "$ODD_FOLDER" && check_sizes_and_times "$ODD_FOLDER"'
    check fuse-sizes+dates check_sizes_and_times get
    check fuse-read check_fuse_read
    check fuse-copy-in-sizes+tree check_fuse_copy_in
    check fuse-create-write check_create_write
    check fuse-create-empty check_create_empty
    check fuse-odd-name check_odd_name
    check fuse-write-in-pieces check_pieces
    check fuse-overwrite-middle check_overwrite_middle
    check fuse-append check_append
    check fuse-read-back-while-open check_readback_while_open
    check fuse-truncate-to-0 check_truncate_zero
    check fuse-truncate-larger check_truncate_larger
    check fuse-truncate-smaller check_truncate_smaller
    check fuse-two-files-open check_two_files_open
    check fuse-rename check_rename
    check fuse-mkdir+file-inside-mode check_mkdir_and_file_inside
    check fuse-move-across-folders check_move_across_folders
    check fuse-delete check_delete
    check fuse-rmdir-empty check_rmdir_empty
    check fuse-rmdir-not-empty-nothing-half-done check_rmdir_not_empty
    check fuse-rm-r-tree check_rm_tree
    check fuse-listing-after check_listing
    check fuse-unmount+device-equals-reference check_after_unmount
    check fuse-no-temporaries no_temporaries
fi
unmount_aft
ffs_mtpd_down
exit 0
