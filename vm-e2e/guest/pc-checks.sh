# The PC tool's checks (issue 8), sourced by the pc-functionfs and pc-usbip suites once a device
# with data owners is on the guest's USB bus: everything goes through `mtpbridge` (usb4java ->
# libusb -> usbfs), nothing through mtp-tools, except the side-by-side benchmark.
#
# The suite defines, before calling run_pc_checks:
#   PC_STORE      the device's storage folder (device side), PC_STORAGE its name on MTP
#   owners_state  prints the owners' data as "sha256  path" lines (device side)
#   change_owners N   changes the owners' data (device side), differently for each N
#   big_owner_data BYTES  gives an owner that much more data (for the unplug check)
#   unplug / replug   pull and put back the device (gadget unbind/bind, usbip detach/attach)

MTPBRIDGE_JAR=$REPO/host-tools/target/mtpbridge.jar
PC_SIZES=${VM_E2E_PC_SIZES:-${VM_E2E_SIZES:-0 512 16777217}}
PC_HOME=$E2E_TMP/pc-home-$SUITE
PC_WORK=$E2E_TMP/pc-$SUITE
PC_TIMEOUT=${PC_TIMEOUT:-900}

# mb ARGS...: mtpbridge as a person runs it (the ./mtpbridge launcher; the jar is built, the
# checkout read-only); its own HOME so backups go to $PC_HOME.
mb() { XDG_DATA_HOME=$PC_HOME HOME=$PC_HOME MTPBRIDGE_NO_BUILD=1 timeout -k 5 "$PC_TIMEOUT" "$REPO/mtpbridge" "$@"; }

pc_repo() { ls -d "$PC_HOME"/mtpbridge/backups/*/ 2>/dev/null | head -n1; }
pc_sets() { mb -q history 2>/dev/null | wc -l; }

pc_devices() {
    mb devices | tee "$PC_WORK/devices.txt"
    grep -q "1209:000c" "$PC_WORK/devices.txt" && grep -q "serial $1" "$PC_WORK/devices.txt" &&
        grep -q "/$PC_STORAGE" "$PC_WORK/devices.txt" || return 1
    mb --json devices | tee "$PC_WORK/devices.json"
    python3 - "$PC_WORK/devices.json" "$1" <<'PY'
import json, sys
devices = json.load(open(sys.argv[1]))
d = [x for x in devices if x["serial"] == sys.argv[2]]
sys.exit(0 if len(d) == 1 and d[0]["backup"] is True and d[0]["usbId"] == "1209:000c" else 1)
PY
}

pc_ls() {
    mb ls / | tee "$PC_WORK/ls-root.txt"
    grep -qx "$PC_STORAGE/" "$PC_WORK/ls-root.txt" || return 1
    mb ls -l "/$PC_STORAGE" | tee "$PC_WORK/ls-storage.txt"
    local size
    for size in $PC_SIZES; do
        grep -Eq "^-  +$size  .* pcg-$size\.dat$" "$PC_WORK/ls-storage.txt" || { echo "pcg-$size.dat with $size bytes not listed"; return 1; }
    done
}

pc_get() { # pc_get SIZE: device -> PC, byte for byte, DateModified kept
    local size=$1
    mb get "/$PC_STORAGE/pcg-$size.dat" "$PC_WORK/dl/" || return 1
    cmp "$PC_STORE/pcg-$size.dat" "$PC_WORK/dl/pcg-$size.dat" || return 1
    [[ $(stat -c %Y "$PC_STORE/pcg-$size.dat") == $(stat -c %Y "$PC_WORK/dl/pcg-$size.dat") ]] ||
        { echo "mtime not kept: device $(stat -c %Y "$PC_STORE/pcg-$size.dat"), PC $(stat -c %Y "$PC_WORK/dl/pcg-$size.dat")"; return 1; }
    ! ls -A "$PC_WORK/dl" | grep -q mtpbridge-part
}

pc_put() { # pc_put SIZE: PC -> device, byte for byte, mtime kept as DateModified
    local size=$1
    make_file "$PC_WORK/up/pcs-$size.dat" "$size"
    touch -d '2020-02-03 04:05:06' "$PC_WORK/up/pcs-$size.dat"
    mb put "$PC_WORK/up/pcs-$size.dat" "/$PC_STORAGE/" || return 1
    cmp "$PC_WORK/up/pcs-$size.dat" "$PC_STORE/pcs-$size.dat" || return 1
    [[ $(stat -c %Y "$PC_WORK/up/pcs-$size.dat") == $(stat -c %Y "$PC_STORE/pcs-$size.dat") ]] ||
        { echo "mtime not kept on the device: $(stat -c %Y "$PC_STORE/pcs-$size.dat")"; return 1; }
}

pc_tree_put() {
    local t=$PC_WORK/tree
    rm -rf "$t" && mkdir -p "$t/a/b" "$t/empty"
    make_file "$t/top.bin" 1000
    make_file "$t/a/mid.bin" 70000
    make_file "$t/a/b/deep.bin" 513
    : >"$t/a/b/zero.bin"
    mb put "$t" "/$PC_STORAGE/" || return 1
    diff -r "$t" "$PC_STORE/tree"
}

pc_tree_get() {
    rm -rf "$PC_WORK/tree-back"
    mb get "/$PC_STORAGE/tree" "$PC_WORK/tree-back" || return 1
    diff -r "$PC_STORE/tree" "$PC_WORK/tree-back"
}

pc_mkdir_mv_rm() {
    mb mkdir "/$PC_STORAGE/pc-folder" && [[ -d $PC_STORE/pc-folder ]] || return 1
    cp "$PC_STORE/tree/top.bin" "$PC_WORK/top.bin"
    mb mv "/$PC_STORAGE/tree/top.bin" "/$PC_STORAGE/pc-folder/renamed.bin" || return 1
    cmp "$PC_WORK/top.bin" "$PC_STORE/pc-folder/renamed.bin" && [[ ! -e $PC_STORE/tree/top.bin ]] || return 1
    # (captured, not piped into grep: under pipefail the refusal's exit status 1 failed the pipe)
    local out
    out=$(mb rm "/$PC_STORAGE/pc-folder" 2>&1) && { echo "rm of a folder without -r succeeded: $out"; return 1; }
    [[ $out == *"use rm -r"* ]] || { echo "rm of a folder without -r did not refuse: $out"; return 1; }
    [[ -e $PC_STORE/pc-folder/renamed.bin ]] || { echo "rm without -r deleted the folder"; return 1; }
    mb rm -r "/$PC_STORAGE/pc-folder" && [[ ! -e $PC_STORE/pc-folder ]]
}

# --- backups ----------------------------------------------------------------------------------
SET_FULL=""
SET_INC=""
pc_backup_full() {
    owners_state >"$PC_WORK/state-1.txt"
    [[ -s $PC_WORK/state-1.txt ]] || { echo "the owners have no data"; return 1; }
    SET_FULL=$(mb -q backup) || return 1
    echo "full set: $SET_FULL"
    mb history
    [[ -n $SET_FULL && $(pc_sets) == 1 ]]
}

pc_backup_incremental() {
    change_owners 1 || return 1
    owners_state >"$PC_WORK/state-2.txt"
    ! cmp -s "$PC_WORK/state-1.txt" "$PC_WORK/state-2.txt" || { echo "changing the owners' data changed nothing"; return 1; }
    SET_INC=$(mb -q backup) || return 1
    echo "incremental set: $SET_INC"
    mb --json history | tee "$PC_WORK/history.json"
    python3 - "$PC_WORK/history.json" "$SET_FULL" "$SET_INC" <<'PY'
import json, sys
sets = json.load(open(sys.argv[1]))
full, inc = sys.argv[2], sys.argv[3]
ids = [s["id"] for s in sets]
ok = ids == [full, inc] and sets[0]["parent"] is None and sets[0]["type"] == "full" \
    and sets[1]["parent"] == full and sets[1]["type"] == "incremental" \
    and all(o["status"] == "ok" for s in sets for o in s["owners"]) and all(s["bytes"] > 0 for s in sets)
print("history as expected" if ok else "unexpected history")
sys.exit(0 if ok else 1)
PY
}

pc_restore_incremental() {
    change_owners 2 || return 1
    owners_state >"$PC_WORK/state-3.txt"
    ! cmp -s "$PC_WORK/state-2.txt" "$PC_WORK/state-3.txt" || { echo "changing the owners' data changed nothing"; return 1; }
    mb restore "$SET_INC" || return 1
    owners_state >"$PC_WORK/state-after-inc.txt"
    diff "$PC_WORK/state-2.txt" "$PC_WORK/state-after-inc.txt"
}

pc_restore_full() {
    mb restore "$SET_FULL" || return 1
    owners_state >"$PC_WORK/state-after-full.txt"
    diff "$PC_WORK/state-1.txt" "$PC_WORK/state-after-full.txt"
}

pc_verify() {
    mb verify
}

# descendants PID: every process below PID, depth first (a backgrounded shell function is a
# subshell; below it run timeout and then the JVM the launcher exec'd).
descendants() {
    local c
    for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
        echo "$c"
        descendants "$c"
    done
}
# proc_state PID: the state letter of /proc/PID/stat (R, S, T stopped, Z zombie; "gone" when reaped)
proc_state() { sed 's/.*) //' /proc/"$1"/stat 2>/dev/null | cut -d' ' -f1 || true; }
ps_line() { echo "pid $1 $(tr '\0' ' ' </proc/"$1"/cmdline 2>/dev/null | cut -c1-120) state $(proc_state "$1")"; }
busy_part_size() { local f; f=$(ls -A "$PC_WORK/busy" | grep mtpbridge-part | head -n1); [[ -n $f ]] && size_of "$PC_WORK/busy/$f"; }
stamp() { date +%T.%N | cut -c1-12; }

# busy_find_java SUBSHELL: sets BUSY_JAVA to the JVM below SUBSHELL (for wait_for)
busy_find_java() {
    local p
    for p in $(descendants "$1"); do
        [[ $(cat /proc/"$p"/comm 2>/dev/null) == java ]] && { BUSY_JAVA=$p; return 0; }
    done
    return 1
}

# A second mtpbridge while one holds the device: one line saying busy.
# The first one is paused in the middle of its copy, so the second tries while the interface is
# certainly claimed (on a quiet machine a whole copy ends before a second JVM has started). The
# pause must reach the JVM: `mb ... &` is a subshell, and SIGSTOP to it stops only that shell
# while timeout's child, the JVM, copies on (that made the check pass the device to the second
# one). And it must come in time: under emulation on a loaded machine a poll that forks a few
# processes takes seconds, longer than the copy itself, so the JVM is found while it starts and
# the part file is then watched with builtins only, the JVM stopped the moment it appears. The
# check asserts it really is paused mid-copy: state T, its .mtpbridge-part still there and not
# growing while the second one runs.
pc_busy() {
    local total=$((48 * 1024 * 1024))
    make_file "$PC_STORE/pc-busy.bin" "$total"
    rm -rf "$PC_WORK/busy" && mkdir -p "$PC_WORK/busy"
    mb get "/$PC_STORAGE/pc-busy.bin" "$PC_WORK/busy/" >"$PC_WORK/busy-first.out" 2>&1 &
    local first=$! java="" p tick
    local parts=()
    echo "$(stamp) first mtpbridge started: subshell $first"
    BUSY_JAVA=""
    wait_for "busy_find_java $first || ! kill -0 $first 2>/dev/null || [[ \$(proc_state $first) == Z ]]" 900
    java=$BUSY_JAVA
    [[ -n $java ]] || { echo "$(stamp) no JVM below $first (state $(proc_state "$first"))"; cat "$PC_WORK/busy-first.out"; wait "$first"; return 1; }
    for p in $(descendants "$first"); do ps_line "$p"; done
    exec {tick}<> <(:)   # read -t on an empty pipe: a sleep without a process
    local was_nullglob=0
    shopt -q nullglob && was_nullglob=1
    shopt -s nullglob
    while kill -0 "$java" 2>/dev/null; do
        parts=("$PC_WORK"/busy/.*.mtpbridge-part)
        ((${#parts[@]} > 0)) && break
        read -r -t 0.05 -u "$tick" _ || true
    done
    ((${#parts[@]} > 0)) && kill -STOP "$java" 2>/dev/null
    ((was_nullglob)) || shopt -u nullglob
    exec {tick}>&-
    ((${#parts[@]} > 0)) || { echo "$(stamp) the first mtpbridge ended before a part file was seen"; cat "$PC_WORK/busy-first.out"; wait "$first"; return 1; }
    wait_for "[[ \$(proc_state $java) == T ]]" 30 || { echo "the JVM $java did not stop: state $(proc_state "$java")"; kill -CONT "$java"; wait "$first"; return 1; }
    local part_before
    part_before=$(busy_part_size) || { echo "$(stamp) the first JVM is stopped but its part file is gone: the copy had ended"; ls -la "$PC_WORK/busy"; kill -CONT "$java"; wait "$first"; return 1; }
    echo "$(stamp) first JVM $java stopped (state $(proc_state "$java")) with $part_before of $total bytes copied"
    mb ls / >"$PC_WORK/busy-second.out" 2>&1
    local status=$?
    local part_after
    part_after=$(busy_part_size || echo gone)
    echo "$(stamp) second mtpbridge exit $status; first JVM state $(proc_state "$java"), part file $part_after bytes"
    kill -CONT "$java"
    echo "--- second mtpbridge said:"
    cat "$PC_WORK/busy-second.out"
    wait "$first"
    local first_status=$?
    echo "--- first mtpbridge said (exit $first_status, $(stamp)):"
    sed 's/\r/\n/g' "$PC_WORK/busy-first.out" | tail -n 5
    [[ $part_after == "$part_before" ]] || { echo "the first one went on copying while paused"; return 1; }
    [[ $status -eq 1 && $(wc -l <"$PC_WORK/busy-second.out") -eq 1 ]] && grep -q "is busy" "$PC_WORK/busy-second.out" ||
        { echo "the second mtpbridge did not say busy"; return 1; }
    [[ $first_status -eq 0 ]] && cmp "$PC_STORE/pc-busy.bin" "$PC_WORK/busy/pc-busy.bin" ||
        { echo "the first mtpbridge did not finish its copy after the pause"; return 1; }
    echo "the second said busy; the first finished its copy after the pause"
}

# Pull the device while a backup streams: a clear error, no new set, nothing half-written.
pc_unplug_mid_backup() {
    big_owner_data $((40 * 1024 * 1024)) || return 1
    local before
    before=$(pc_sets)
    mb backup --full >"$PC_WORK/unplug.out" 2>"$PC_WORK/unplug.err" &
    local pid=$!
    local repo
    repo=$(pc_repo)
    # the hidden .incomplete-* folder of the running backup grows as the archive arrives
    wait_for "[[ \$(du -sbc '$repo'.incomplete-* 2>/dev/null | tail -n1 | cut -f1) -gt 4000000 ]] || ! kill -0 $pid" 900 ||
        { echo "the backup never got going"; kill "$pid"; return 1; }
    unplug
    wait "$pid"
    local status=$?
    echo "mtpbridge backup exit $status after the unplug:"
    cat "$PC_WORK/unplug.err"
    replug || { echo "could not plug the device back"; return 1; }
    local after leftovers
    after=$(pc_sets)
    leftovers=$(ls -A "$repo" | grep -Ec '^\.(incomplete|deleting)-' || true) # .lock is the repository's lock file
    echo "sets before $before, after $after; hidden leftovers $leftovers"
    [[ $status -eq 1 && $(wc -l <"$PC_WORK/unplug.err") -eq 1 ]] && grep -Eq "went away|unplugged|lost the device" "$PC_WORK/unplug.err" &&
        [[ $after == "$before" && $leftovers == 0 ]]
}

run_pc_checks() { # run_pc_checks SERIAL
    local serial=$1 size
    mkdir -p "$PC_WORK/dl" "$PC_WORK/up" "$PC_HOME"
    check pc-devices pc_devices "$serial" || return 1
    check pc-ls pc_ls
    for size in $PC_SIZES; do check "pc-get-$size" pc_get "$size"; done
    for size in $PC_SIZES; do check "pc-put-$size" pc_put "$size"; done
    check pc-folder-tree-put pc_tree_put
    check pc-folder-tree-get pc_tree_get
    check pc-mkdir-mv-rm pc_mkdir_mv_rm
    check pc-backup-full pc_backup_full || return 1
    check pc-backup-incremental pc_backup_incremental || return 1
    check pc-verify pc_verify
    check pc-restore-incremental pc_restore_incremental
    check pc-restore-full pc_restore_full
    check pc-busy-second-mtpbridge pc_busy
    check pc-unplug-mid-backup pc_unplug_mid_backup
}

# make_pc_device_files STORE: what the get checks fetch (made on the device side).
make_pc_device_files() {
    local size
    mkdir -p "$1"
    for size in $PC_SIZES; do
        make_file "$1/pcg-$size.dat" "$size"
        touch -d '2019-05-06 07:08:09' "$1/pcg-$size.dat"
    done
}
