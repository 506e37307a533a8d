# Helpers shared by guest/main.sh and the suites (sourced, bash, inside the guest's chroot).
# Results go to $RESULTS as tab-separated rows: suite, check, PASS|FAIL|NOT RUN, seconds, detail.

: "${REPO:?}"
E2E_TMP=${E2E_TMP:-/tmp/vm-e2e}
RESULTS=$E2E_TMP/results.tsv
LOGS=/tmp/out/logs
TOOLS=$REPO/vm-e2e/target/bin
SUITE=${SUITE:-main}
mkdir -p "$E2E_TMP" "$LOGS"

uptime_s() { cut -d' ' -f1 /proc/uptime; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
marker() { echo "VM-E2E [$(uptime_s)s] $SUITE: $*"; }

record() { # record CHECK STATUS SECONDS DETAIL
    printf '%s\t%s\t%s\t%s\t%s\n' "$SUITE" "$1" "$2" "$3" "${4:-}" >>"$RESULTS"
    echo "$1" >>"$E2E_TMP/recorded.$SUITE"
    echo "VM-E2E CHECK $SUITE/$1: $2 (${3}s) ${4:-}"
}

CHECK_SEQ=0
# check NAME COMMAND...: runs the command with its output in a log; exit 0 = PASS.
# On failure the log's tail goes to the console, which is the only channel out of the VM.
check() {
    local name=$1
    shift
    CHECK_SEQ=$((CHECK_SEQ + 1))
    local log
    log=$LOGS/$SUITE.$(printf '%02d' "$CHECK_SEQ").${name//[^A-Za-z0-9_.-]/_}.log
    local start status
    # A shell error inside the command (an unbound variable, say) can abandon this function
    # before it records anything; main.sh reports every started check that has no result.
    echo "$name" >>"$E2E_TMP/started.$SUITE"
    start=$(now)
    "$@" >"$log" 2>&1
    status=$?
    if [[ $status -eq 0 ]]; then
        record "$name" PASS "$(elapsed "$start")"
    else
        record "$name" FAIL "$(elapsed "$start")" "exit $status, log ${log#/tmp/out/}"
        echo "----- last lines of ${log#/tmp/out/} -----"
        tail -n 25 "$log" | sed 's/\r/\n/g' | grep -v '^Progress:' | tail -n 25
        echo "-----"
    fi
    return $status
}

# not_run CHECK WHY: a piece the check needs is not in the tree yet. Loud on purpose.
not_run() {
    record "$1" "NOT RUN" 0 "$2"
    echo "VM-E2E NOT RUN: $SUITE/$1: $2"
}

fail_now() { # fail_now CHECK DETAIL: a precondition failed; record it as a failed check
    record "$1" FAIL 0 "$2"
}

# Succeeds when every named command exists in the guest (they come from the host's root).
need_commands() {
    local c missing=""
    for c in "$@"; do command -v "$c" >/dev/null || missing+=" $c"; done
    [[ -z $missing ]] || { echo "missing commands:$missing"; return 1; }
}

# wait_for CONDITION-COMMAND SECONDS: polls every 0.2 s.
wait_for() {
    local deadline
    deadline=$(awk -v n="$(now)" -v s="$2" 'BEGIN { printf "%.0f", n + s }')
    until eval "$1"; do
        (($(date +%s) < deadline)) || return 1
        sleep 0.2
    done
}

# usb_device_present VID PID: the host side of the guest sees a device with these ids.
usb_device_present() {
    local d
    for d in /sys/bus/usb/devices/*; do
        [[ -r $d/idVendor ]] || continue
        [[ $(cat "$d/idVendor") == "$1" && $(cat "$d/idProduct") == "$2" ]] && return 0
    done
    return 1
}

make_file() { # make_file PATH SIZE: random content, so a shifted or repeated block cannot match
    head -c "$2" /dev/urandom >"$1"
}

size_of() { stat -c %s "$1"; }

# mtp_list FILE: mtp-files output, saved; mtp_id NAME [LISTING]: the File ID of NAME in it.
mtp_list() {
    timeout -k 5 "${MTP_TIMEOUT:-120}" mtp-files >"$1" 2>&1
    local status=$?
    cp "$1" "$LOGS/$SUITE.$(basename "$1")"   # every listing is kept for the post-mortem
    return $status
}
mtp_id() {
    awk -v want="$1" '
        /^File ID:/ { id = $3 }
        /^   Filename:/ { sub(/^   Filename: /, ""); if ($0 == want) { print id; found = 1; exit } }
        END { if (!found) exit 1 }' "$2"
}
mtp_size_in_listing() {
    awk -v want="$1" '
        /^   Filename:/ { sub(/^   Filename: /, ""); hit = ($0 == want) }
        /^   File size/ && hit { print $3; exit }' "$2"
}

# progress_bytes OUTPUT: bytes done according to the last "Progress: N of M" line of a tool.
progress_bytes() {
    local n
    n=$(tr '\r' '\n' <"$1" | awk '/^Progress: [0-9]+ of/ { n = $2 } END { print n + 0 }')
    echo "${n:-0}"
}

# write_umtprd_conf STORE CONF SERIAL VID PID FFS-DIR: a uMTP-Responder (Debian's umtprd, the C
# reference responder) configuration serving STORE as "Files" on the FunctionFS instance at
# FFS-DIR, with the same identity and packet size as mtpd's gadget.
write_umtprd_conf() {
    cat >"$2" <<EOF
loop_on_disconnect 1
storage "$1" "Files" "rw"
manufacturer "MTP Bridge reference"
product "uMTP-Responder reference"
serial "$3"
firmware_version "ref"
interface "MTP"
usb_vendor_id $4
usb_product_id $5
usb_class 0x6
usb_subclass 0x1
usb_protocol 0x1
usb_dev_version 0x0100
usb_functionfs_mode 0x1
usb_dev_path "$6/ep0"
usb_epin_path "$6/ep1"
usb_epout_path "$6/ep2"
usb_epint_path "$6/ep3"
usb_max_packet_size 0x200
EOF
}
