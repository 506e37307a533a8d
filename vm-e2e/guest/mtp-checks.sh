# The mtp-tools checks every device transport must pass (sourced by the functionfs and usbip
# suites after the device is attached): detect, list, get and send at the boundary sizes with a
# byte-for-byte compare, folders, rename, delete, a file made on the device side, cancel in both
# directions, and the 64 MiB timings. libmtp's tools exit 0 even when an operation fails, so
# every check verifies the effect (the file on the device, the bytes received), never the status.

# Sizes around the high-speed packet size (512) and the 64 KiB I/O unit, plus one well past
# both with an odd tail.
MTP_SIZES=${VM_E2E_SIZES:-0 1 511 512 513 65536 16777217}
BIG=$((64 * 1024 * 1024))
MTP_TIMEOUT=${MTP_TIMEOUT:-120}

# run_mtp_checks STORE VID PID: STORE is the device's storage directory (seen from the device
# side), VID/PID the USB ids the host side must see. Files g-* are made on the device side
# before the call by prepare_device_files; s-* are sent by the host.
prepare_device_files() {
    local store=$1 size
    mkdir -p "$store"
    for size in $MTP_SIZES; do make_file "$store/g-$size.dat" "$size"; done
    make_file "$store/g-big.dat" "$BIG"
}

mtp() { timeout -k 5 "$MTP_TIMEOUT" "$@"; }

listing_ok() { # listing_ok FILE: mtp-files found the device and listed objects
    grep -q '^File ID:' "$1"
}

check_detect() {
    local out=$E2E_TMP/detect.txt
    mtp mtp-detect >"$out" 2>&1
    cat "$out"
    grep -qi "$(printf '%s:%s' "${1#0x}" "${2#0x}")" "$out" &&
        grep -q 'Manufacturer:' "$out" && grep -q 'Model:' "$out" && grep -q 'Serial number:' "$out" &&
        grep -q 'Supported operations:' "$out" && ! grep -qi 'unable to open raw device' "$out"
}

check_listing_has_device_files() {
    local store=$1 out=$E2E_TMP/list1.txt size
    mtp_list "$out"
    listing_ok "$out" || { cat "$out"; return 1; }
    for size in $MTP_SIZES; do
        [[ $(mtp_size_in_listing "g-$size.dat" "$out") == "$size" ]] ||
            { echo "g-$size.dat missing or wrong size in mtp-files"; cat "$out"; return 1; }
    done
}

check_getfile() { # check_getfile STORE SIZE: device -> host, byte for byte
    local store=$1 size=$2 id out=$E2E_TMP/getfile.out
    id=$(mtp_id "g-$size.dat" "$E2E_TMP/list1.txt") || { echo "no id for g-$size.dat"; return 1; }
    rm -f "$E2E_TMP/dl/g-$size.dat"
    mtp mtp-getfile "$id" "$E2E_TMP/dl/g-$size.dat" >"$out" 2>&1
    tr '\r' '\n' <"$out" | grep -v '^Progress'
    ! grep -q 'Error getting file' "$out" || return 1
    [[ -f $E2E_TMP/dl/g-$size.dat ]] || { echo "mtp-getfile wrote nothing"; return 1; }
    cmp "$store/g-$size.dat" "$E2E_TMP/dl/g-$size.dat"
}

check_sendfile() { # check_sendfile STORE NAME [FOLDER]: host -> device of data/NAME, byte for byte
    local store=$1 name=$2 folder=${3:-} out=$E2E_TMP/sendfile.out
    mtp mtp-sendfile "$E2E_TMP/data/$name" "/$folder" >"$out" 2>&1
    tr '\r' '\n' <"$out" | grep -v '^Progress'
    # The tool exits 0 whatever happens; only this line says the device took the object.
    grep -q '^New file ID: [0-9]' "$out" || { echo "mtp-sendfile reported no new file ID"; return 1; }
    local target=$store/${folder:+$folder/}$name
    [[ -f $target ]] || { echo "$target not on the device"; ls -la "$store" "$store/$folder"; return 1; }
    cmp "$E2E_TMP/data/$name" "$target"
}

check_listing_has_sent_files() {
    local out=$E2E_TMP/list2.txt size
    mtp_list "$out"
    for size in $MTP_SIZES; do
        [[ $(mtp_size_in_listing "s-$size.dat" "$out") == "$size" ]] ||
            { echo "s-$size.dat missing or wrong size in mtp-files"; cat "$out"; return 1; }
    done
}

check_newfolder() {
    local store=$1
    mtp mtp-newfolder e2e-folder 0 0
    [[ -d $store/e2e-folder ]] || { echo "no directory e2e-folder on the device"; ls -la "$store"; return 1; }
    mtp mtp-folders | tee "$E2E_TMP/folders.txt"
    grep -q 'e2e-folder' "$E2E_TMP/folders.txt"
}

check_rename() {
    local store=$1 id
    mtp_list "$E2E_TMP/list3.txt"
    id=$(mtp_id s-511.dat "$E2E_TMP/list3.txt") || { echo "no id for s-511.dat"; return 1; }
    mtp "$TOOLS/mtp-rename" "$id" renamed-511.dat || return 1
    [[ -f $store/renamed-511.dat && ! -e $store/s-511.dat ]] || { echo "not renamed on the device"; ls -la "$store"; return 1; }
    cmp "$E2E_TMP/data/s-511.dat" "$store/renamed-511.dat"
}

check_delfile() {
    local store=$1 id
    mtp_list "$E2E_TMP/list4.txt"
    id=$(mtp_id renamed-511.dat "$E2E_TMP/list4.txt") || { echo "no id for renamed-511.dat"; return 1; }
    mtp mtp-delfile -n "$id"
    [[ ! -e $store/renamed-511.dat ]] || { echo "renamed-511.dat still on the device"; return 1; }
    mtp_list "$E2E_TMP/list5.txt"
    listing_ok "$E2E_TMP/list5.txt" && ! mtp_id renamed-511.dat "$E2E_TMP/list5.txt"
}

check_device_side_file() {
    local store=$1
    echo "made on the device at $(date)" >"$store/device-made.txt"
    mtp_list "$E2E_TMP/list6.txt"
    [[ $(mtp_size_in_listing device-made.txt "$E2E_TMP/list6.txt") == "$(size_of "$store/device-made.txt")" ]] ||
        { echo "device-made.txt not listed"; cat "$E2E_TMP/list6.txt"; return 1; }
}

# Kill mtp-getfile once a few MiB have arrived, then a new session must work.
check_cancel_getfile() {
    local id pid
    id=$(mtp_id g-big.dat "$E2E_TMP/list1.txt") || { echo "no id for g-big.dat"; return 1; }
    rm -f "$E2E_TMP/dl/cancel.dat"
    mtp-getfile "$id" "$E2E_TMP/dl/cancel.dat" >"$E2E_TMP/cancel-get.out" 2>&1 &
    pid=$!
    wait_for '(( $(progress_bytes "$E2E_TMP/cancel-get.out") > 2000000 )) || ! kill -0 $pid 2>/dev/null' 60
    if ! kill -0 "$pid" 2>/dev/null || (($(progress_bytes "$E2E_TMP/cancel-get.out") <= 2000000)); then
        echo "the download never got going (or ended by itself):"
        tr '\r' '\n' <"$E2E_TMP/cancel-get.out" | tail -n 20
        kill "$pid" 2>/dev/null
        return 1
    fi
    kill "$pid"
    wait "$pid" 2>/dev/null
    echo "killed mtp-getfile after $(progress_bytes "$E2E_TMP/cancel-get.out") of $BIG bytes"
    mtp_list "$E2E_TMP/list7.txt"
    listing_ok "$E2E_TMP/list7.txt" || { echo "mtp-files after the kill:"; cat "$E2E_TMP/list7.txt"; return 1; }
    echo "mtp-files works after the killed download"
}

# Kill mtp-sendfile mid-way: afterwards the device must hold no trace of the upload.
check_cancel_sendfile() {
    local store=$1 pid before after
    before=$(cd "$store" && find . | sort)
    mtp-sendfile "$E2E_TMP/data/c-big.dat" / >"$E2E_TMP/cancel-send.out" 2>&1 &
    pid=$!
    # Progress lines mean the data phase is running; kill a few MiB into it.
    wait_for '(( $(progress_bytes "$E2E_TMP/cancel-send.out") > 2000000 )) || ! kill -0 $pid 2>/dev/null' 60
    if ! kill -0 "$pid" 2>/dev/null || (($(progress_bytes "$E2E_TMP/cancel-send.out") <= 2000000)); then
        echo "the upload never got going (or ended by itself):"
        tr '\r' '\n' <"$E2E_TMP/cancel-send.out" | tail -n 20
        kill "$pid" 2>/dev/null
        return 1
    fi
    kill "$pid"
    wait "$pid" 2>/dev/null
    echo "killed mtp-sendfile after $(progress_bytes "$E2E_TMP/cancel-send.out") of $BIG bytes"
    mtp_list "$E2E_TMP/list8.txt"
    listing_ok "$E2E_TMP/list8.txt" || { echo "mtp-files after the kill:"; cat "$E2E_TMP/list8.txt"; return 1; }
    ! mtp_id c-big.dat "$E2E_TMP/list8.txt" || { echo "the host still lists c-big.dat"; return 1; }
    # The device may need a moment to notice the abandoned data phase and clean up.
    if ! wait_for "[[ \"\$(cd '$store' && find . | sort)\" == \"\$before\" ]]" 15; then
        after=$(cd "$store" && find . | sort)
        echo "the device storage changed after the killed upload:"
        diff <(echo "$before") <(echo "$after")
        ls -la "$store"
        return 1
    fi
    echo "no partial file left"
}

time_transfer() { # time_transfer LABEL COMMAND...: appends "LABEL: N s, X MB/s" to the figures
    local label=$1 start took
    shift
    start=$(now)
    "$@" | tr '\r' '\n' | grep -v '^Progress' | tail -n 3
    took=$(elapsed "$start")
    echo "$label: 64 MiB in ${took}s ($(awk -v t="$took" 'BEGIN { printf "%.2f", 64 / t }') MiB/s)" | tee -a "$E2E_TMP/figures.txt"
}

check_perf_get() {
    local store=$1 id
    id=$(mtp_id g-big.dat "$E2E_TMP/list1.txt") || return 1
    rm -f "$E2E_TMP/dl/g-big.dat"
    time_transfer "$SUITE mtp-getfile" mtp mtp-getfile "$id" "$E2E_TMP/dl/g-big.dat"
    cmp "$store/g-big.dat" "$E2E_TMP/dl/g-big.dat"
}

check_perf_send() {
    local store=$1
    time_transfer "$SUITE mtp-sendfile" mtp mtp-sendfile "$E2E_TMP/data/s-big.dat" /
    cmp "$E2E_TMP/data/s-big.dat" "$store/s-big.dat"
}

run_mtp_checks() {
    local store=$1 vid=$2 pid=$3 size
    mkdir -p "$E2E_TMP/data" "$E2E_TMP/dl"
    for size in $MTP_SIZES; do [[ -f $E2E_TMP/data/s-$size.dat ]] || make_file "$E2E_TMP/data/s-$size.dat" "$size"; done
    [[ -f $E2E_TMP/data/s-big.dat ]] || make_file "$E2E_TMP/data/s-big.dat" "$BIG"
    [[ -f $E2E_TMP/data/c-big.dat ]] || make_file "$E2E_TMP/data/c-big.dat" "$BIG"
    [[ -f $E2E_TMP/data/firmware.bin ]] || make_file "$E2E_TMP/data/firmware.bin" 4097

    check mtp-detect check_detect "$vid" "$pid"
    check mtp-files check_listing_has_device_files "$store" || return 1
    for size in $MTP_SIZES; do check "mtp-getfile-$size" check_getfile "$store" "$size"; done
    for size in $MTP_SIZES; do check "mtp-sendfile-$size" check_sendfile "$store" "s-$size.dat"; done
    check mtp-files-lists-sent check_listing_has_sent_files
    check mtp-newfolder+mtp-folders check_newfolder "$store"
    check mtp-sendfile-into-folder check_sendfile "$store" s-513.dat e2e-folder
    # libmtp derives the format from the extension: .bin is 0xB802 (firmware), a format the
    # device need not list; a file-system device must still take it.
    check sendfile-format-not-listed-bin check_sendfile "$store" firmware.bin
    check rename-SetObjectPropValue check_rename "$store"
    check mtp-delfile check_delfile "$store"
    check device-side-file-listed check_device_side_file "$store"
    check cancel-getfile-then-files check_cancel_getfile
    check cancel-sendfile-no-partial check_cancel_sendfile "$store"
    check time-getfile-64MiB check_perf_get "$store"
    check time-sendfile-64MiB check_perf_send "$store"
}
