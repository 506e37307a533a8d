#!/bin/bash
# vm-e2e: on-demand
# vm-e2e: timeout 7200
#
# Side-by-side performance of mtpd and Debian's uMTP-Responder (umtprd, C) on the same gadget,
# the same storage and the same host tools, in one VM (issue 11). Run it by name only:
#
#     vm-e2e/run perf
#
# Under TCG emulation absolute figures mean nothing; the ratios do. Responders alternate
# A/B/A/B (round 1: umtprd, every mtpd variant; round 2: the same again, ...), so a slow patch of
# the host machine hits both. For each responder and round:
#
#   phase "list":  storage with FILES small files in folders of 200 (plus one 64 MiB file);
#                  start -> gadget bound; VmHWM when idle after start; CPU while idle;
#                  mtp-files LISTINGS times (the first is the first after start: cold JVM),
#                  wall time and the responder's own CPU (user+system ticks of its process);
#   phase "xfer":  storage with only the 64 MiB file: start -> bound again, mtp-getfile and
#                  mtp-sendfile of 64 MiB (byte-compared afterwards), VmHWM after them;
#   phase "big":   (mtpd variants, once; umtprd with VM_E2E_PERF_BIG_UMTPRD=1) BIG_FILES files in
#                  folders of 1,000: mtp-folders, whose cached device open asks libmtp's "every
#                  object's properties" (GetObjectPropList depth 0xFFFFFFFF); wall, CPU, VmHWM.
#
# Knobs (environment of vm-e2e/run):
#   VM_E2E_PERF_ROUNDS    rounds (2)
#   VM_E2E_PERF_FILES     files of the listing storage (2000)
#   VM_E2E_PERF_LISTINGS  mtp-files runs per round (3)
#   VM_E2E_PERF_IDLE      seconds of idle CPU sampling (20)
#   VM_E2E_PERF_GETS, VM_E2E_PERF_SENDS  mtp-getfile / mtp-sendfile runs per xfer phase (2 each;
#                         0 skips them: a get-only A/B spares umtprd's minute-long sends)
#   VM_E2E_PERF_BIG       files of the big listing (100000; 0 skips the phase)
#   VM_E2E_PERF_BIG_UMTPRD=1  also run the big listing against umtprd (slow: it has no
#                         depth-0xFFFFFFFF GetObjectPropList, libmtp falls back to one
#                         GetObjectInfo per object)
#   VM_E2E_PERF_MTPD      mtpd variants, "label:command|label:command", the command is
#                         followed by mtpd's options; @REPO@ and @JAR@ are replaced. Default:
#                         the shipped launcher, "mtpd:@REPO@/mtp-device/bin/mtpd".
#   VM_E2E_PERF_SKIP_UMTPRD=1  measure only the mtpd variants
#   VM_E2E_PERF_PHASES    phases per round, of "list xfer start" (default "list xfer"); "start" is
#                         start -> bound and VmHWM once idle, nothing else (for start-up experiments)
#   VM_E2E_PERF_FLOOR     runs of each mtpd variant's command with --help, the JVM's floor (3; 0 skips)
#   VM_E2E_PERF_SAMPLE=1  during each timed host command, once a second: the state and kernel wait
#                         channel of every thread of the responder and of the host tool, counted
#                         per thread in the log (where a slow transfer waits; two processes a second)
set -uo pipefail
. "$REPO/vm-e2e/guest/lib.sh"

GADGET_SCRIPT=$REPO/udev-rules/gadget/mtp-gadget
FFS=/dev/ffs-perf
VID=0x1209
PID=0x000c
SERIAL=E2E0PERF0001
MTPD_JAR=$REPO/mtp-device/target/mtpd.jar
ROUNDS=${VM_E2E_PERF_ROUNDS:-2}
FILES=${VM_E2E_PERF_FILES:-2000}
LISTINGS=${VM_E2E_PERF_LISTINGS:-3}
IDLE=${VM_E2E_PERF_IDLE:-20}
GETS=${VM_E2E_PERF_GETS:-2}
SENDS=${VM_E2E_PERF_SENDS:-2}
BIG_FILES=${VM_E2E_PERF_BIG:-100000}
VARIANTS=${VM_E2E_PERF_MTPD:-mtpd:@REPO@/mtp-device/bin/mtpd}
LIST_STORE=/tmp/perf-list
XFER_STORE=/tmp/perf-xfer
BIG_STORE=/tmp/perf-big
PERF=$E2E_TMP/perf
TSV=$LOGS/perf.results.tsv   # responder, round, metric, value; in the logs as it grows (a run cut short keeps its figures)
MB64=$((64 * 1024 * 1024))
export MTP_GADGET_FFS_DIR=$FFS MTP_GADGET_NAME=perf
CLK_TCK=$(getconf CLK_TCK)
mkdir -p "$PERF" "$E2E_TMP/dl"
: >"$TSV"

# ---- the responders ----

declare -A COMMAND=()
LABELS=()
if [[ ${VM_E2E_PERF_SKIP_UMTPRD:-0} != 1 ]]; then LABELS+=(umtprd); fi
IFS='|' read -r -a entries <<<"$VARIANTS"
for entry in "${entries[@]}"; do
    label=${entry%%:*}
    cmd=${entry#*:}
    cmd=${cmd//@REPO@/$REPO}
    cmd=${cmd//@JAR@/$MTPD_JAR}
    COMMAND[$label]=$cmd
    LABELS+=("$label")
done

responder_pid=""

start_responder() { # start_responder LABEL STORE LOG
    local label=$1 store=$2 log=$3
    if [[ $label == umtprd ]]; then
        write_umtprd_conf "$store" "$PERF/umtprd.conf" "$SERIAL" "$VID" "$PID" "$FFS"
        umtprd -conf "$PERF/umtprd.conf" >"$log" 2>&1 &
    else
        # word splitting of the variant's command is intended (a launcher and its JVM options)
        # shellcheck disable=SC2086
        ${COMMAND[$label]} --functionfs "$FFS" --storage "Files=$store" --serial "$SERIAL" >"$log" 2>&1 &
    fi
    responder_pid=$!
}

stop_responder() { # SIGTERM (mtpd closes its session and exits 0); umtprd gets 3 s before SIGKILL
    [[ -n $responder_pid ]] || return 0
    kill -TERM "$responder_pid" 2>/dev/null
    local i tries=150
    [[ $(cat "/proc/$responder_pid/comm" 2>/dev/null) == umtprd ]] && tries=15
    for i in $(seq 1 "$tries"); do
        kill -0 "$responder_pid" 2>/dev/null || break
        sleep 0.2
    done
    kill -KILL "$responder_pid" 2>/dev/null
    wait "$responder_pid" 2>/dev/null
    responder_pid=""
}

# ---- what /proc says about the responder ----

cpu_ticks() { # user + system ticks of the whole process (all threads)
    awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null || echo 0
}
status_kb() { # status_kb PID FIELD: VmHWM, VmRSS, ... in kB
    awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status" 2>/dev/null
}
threads_snapshot() { # threads_snapshot PID FILE: per-thread "name ticks", for where CPU went
    local t comm
    for t in /proc/"$1"/task/*; do
        comm=$(cat "$t/comm" 2>/dev/null) || continue
        awk -v comm="${comm// /_}" '{ sub(/^.*\) /, ""); print comm, $12 + $13 }' "$t/stat" 2>/dev/null
    done >"$2"
}
threads_delta() { # threads_delta BEFORE AFTER: CPU ticks per thread name in between, busiest first
    awk 'NR == FNR { used[$1] -= $2; next } { used[$1] += $2 }
        END { for (n in used) if (used[n] > 0) print used[n], n }' "$1" "$2" | sort -nr | awk '{ printf "%s=%s ", $2, $1 }'
}
# children_cpu: user + system seconds of every child this shell has waited for so far (the "times"
# builtin; a host tool run under timeout counts once timeout is waited for). Written to a file: a
# command substitution would run "times" in a subshell, whose children are its own.
children_cpu() { times >"$PERF/times"; awk 'NR == 2 { s = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); s += a[1] * 60 + a[2] } printf "%.2f", s }' "$PERF/times"; }
ticks_to_s() { awk -v t="$1" -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", t / hz }'; }

put() { # put LABEL ROUND METRIC VALUE; memory figures go to the check's log too
    printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$TSV"
    case $3 in vm*-kb | threads) echo "$1: $3 $4" ;; esac
}

# ---- storages ----

make_list_store() {
    rm -rf "$LIST_STORE"
    mkdir -p "$LIST_STORE"
    python3 - "$LIST_STORE" "$FILES" <<'EOF'
import os, random, sys
root, n = sys.argv[1], int(sys.argv[2])
rnd = random.Random(11)
for i in range(n):
    folder = os.path.join(root, "folder-%02d" % (i // 200))
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "photo-%05d.jpg" % i), "wb") as f:
        f.write(rnd.randbytes(rnd.randint(100, 4096)))
EOF
    make_file "$LIST_STORE/big.dat" "$MB64"
}

make_xfer_store() {
    rm -rf "$XFER_STORE"
    mkdir -p "$XFER_STORE"
    make_file "$XFER_STORE/big.dat" "$MB64"
}

make_big_store() {
    rm -rf "$BIG_STORE"
    mkdir -p "$BIG_STORE"
    python3 - "$BIG_STORE" "$BIG_FILES" <<'EOF'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    folder = os.path.join(root, "folder-%03d" % (i // 1000))
    if i % 1000 == 0:
        os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "img-%06d.jpg" % i), "wb") as f:
        f.write(b"x")
EOF
}

# ---- one responder, one phase ----

# up LABEL STORE LOG ROUND PHASE: gadget, responder, bind (timed), enumeration
up() {
    local label=$1 store=$2 log=$3 round=$4 phase=$5 start took
    "$GADGET_SCRIPT" setup --vid=$VID --pid=$PID --serial=$SERIAL >/dev/null || { echo "gadget setup failed"; return 1; }
    echo "$label: started at $(date +%T.%N | cut -c1-12) (guest load $(cut -d' ' -f1-3 /proc/loadavg))"
    start=$(now)
    start_responder "$label" "$store" "$log"
    if ! "$GADGET_SCRIPT" bind --udc=dummy_udc.0 --timeout=180 >/dev/null; then
        echo "$label never bound; its log:"
        tail -n 30 "$log"
        return 1
    fi
    took=$(elapsed "$start")
    put "$label" "$round" "start-bound-$phase" "$took"
    wait_for "usb_device_present ${VID#0x} ${PID#0x}" 60 || { echo "the host never saw the device"; return 1; }
    echo "$label: start -> gadget bound in ${took}s"
}

down() {
    stop_responder
    "$GADGET_SCRIPT" teardown >/dev/null 2>&1
}

# measure_idle LABEL ROUND WHAT: CPU ticks over $IDLE seconds of nothing
measure_idle() {
    local label=$1 round=$2 what=$3 before after
    before=$(cpu_ticks "$responder_pid")
    sleep "$IDLE"
    after=$(cpu_ticks "$responder_pid")
    put "$label" "$round" "idle-cpu-$what" "$(ticks_to_s $((after - before)))"
    echo "$label: $((after - before)) ticks of CPU in ${IDLE}s idle ($what)"
}

# sample_waits PID... : once a second until the first PID ends, "comm state wchan" of every thread
# of the PIDs (state R running, S/D waiting; wchan the kernel function it waits in). Only shell
# built-ins in the loop: a process start costs seconds in a loaded TCG guest.
sample_waits() {
    local main=$1 p t st comm wchan tick fifo=$PERF/sample.fifo
    rm -f "$fifo" && mkfifo "$fifo" && exec {tick}<>"$fifo"
    while [[ -d /proc/$main ]]; do
        for p in "$@"; do
            for t in /proc/"$p"/task/*; do
                read -r st <"$t/stat" 2>/dev/null || continue
                wchan=?
                read -r wchan <"$t/wchan" 2>/dev/null # no newline: read fails but sets it
                comm=${st#*(}
                comm=${comm%)*}
                st=${st##*) }
                printf '%s %s %s\n' "${comm// /_}" "${st%% *}" "${wchan:-0}"
            done
        done
        read -r -t 1 -u "$tick" _
    done >>"$PERF/samples"
    exec {tick}>&-
}

# timed_host LABEL ROUND METRIC OUTPUT COMMAND...: wall time of a host tool and the responder's
# CPU meanwhile; per-thread CPU goes to the log (and with VM_E2E_PERF_SAMPLE=1, where threads waited).
timed_host() {
    local label=$1 round=$2 metric=$3 output=$4 start took c0 c1 h0 h1 host_cpu host_pid sampler=""
    shift 4
    threads_snapshot "$responder_pid" "$PERF/threads.before"
    children_cpu >"$PERF/h0"
    h0=$(cat "$PERF/h0")
    c0=$(cpu_ticks "$responder_pid")
    start=$(now)
    timeout -k 5 1800 "$@" >"$output" 2>&1 &
    host_pid=$!
    if [[ ${VM_E2E_PERF_SAMPLE:-0} == 1 ]]; then
        : >"$PERF/samples"
        sleep 0.2
        # timeout's child is the host tool
        sample_waits "$host_pid" "$responder_pid" $(pgrep -P "$host_pid") &
        sampler=$!
    fi
    wait "$host_pid"
    local status=$?
    took=$(elapsed "$start")
    if [[ -n $sampler ]]; then
        kill "$sampler" 2>/dev/null
        wait "$sampler" 2>/dev/null
        echo "  waits (samples per thread, state, wchan):"
        sort "$PERF/samples" | uniq -c | sort -nr | head -n 25 | sed 's/^/    /'
    fi
    c1=$(cpu_ticks "$responder_pid")
    children_cpu >"$PERF/h1"
    h1=$(cat "$PERF/h1")
    host_cpu=$(awk -v a="$h0" -v b="$h1" 'BEGIN { printf "%.2f", b - a }')
    threads_snapshot "$responder_pid" "$PERF/threads.after"
    put "$label" "$round" "$metric-wall" "$took"
    put "$label" "$round" "$metric-cpu" "$(ticks_to_s $((c1 - c0)))"
    put "$label" "$round" "$metric-hostcpu" "$host_cpu"
    echo "$label $metric: ${took}s wall, $(ticks_to_s $((c1 - c0)))s responder CPU, ${host_cpu}s host tool CPU (exit $status)"
    echo "  threads (ticks): $(threads_delta "$PERF/threads.before" "$PERF/threads.after")"
    return $status
}

phase_list() { # phase_list LABEL ROUND
    local label=$1 round=$2 i out count
    up "$label" "$LIST_STORE" "$LOGS/perf.$label.r$round.list.log" "$round" list || return 1
    put "$label" "$round" vmhwm-idle-kb "$(status_kb "$responder_pid" VmHWM)"
    measure_idle "$label" "$round" after-start
    put "$label" "$round" vmrss-idle-kb "$(status_kb "$responder_pid" VmRSS)"
    for i in $(seq 1 "$LISTINGS"); do
        out=$PERF/list.$label.r$round.$i.txt
        timed_host "$label" "$round" "files$i" "$out" mtp-files || true
        count=$(grep -c '^File ID:' "$out")
        cp "$out" "$LOGS/perf.$label.r$round.files$i.txt"
        if ((count < FILES)); then
            echo "mtp-files listed $count objects, expected at least $FILES"
            tail -n 20 "$out"
            return 1
        fi
    done
    put "$label" "$round" vmhwm-listed-kb "$(status_kb "$responder_pid" VmHWM)"
    measure_idle "$label" "$round" after-listing
    if ((round == 1)); then
        # Untimed: which requests libmtp's mtp-files makes of this responder, and how many.
        LIBMTP_DEBUG=4 timeout -k 5 1800 mtp-files >"$PERF/list.debug.txt" 2>&1
        grep -o 'REQUEST: 0x[0-9a-fA-F]*' "$PERF/list.debug.txt" | sort | uniq -c | sort -nr >"$LOGS/perf.$label.requests.txt"
        echo "requests of one mtp-files: $(awk '{ n += $1 } END { print n + 0 }' "$LOGS/perf.$label.requests.txt") ($(head -n 4 "$LOGS/perf.$label.requests.txt" | tr -s ' ' | tr '\n' ';'))"
        put "$label" "$round" files-requests "$(awk '{ n += $1 } END { print n + 0 }' "$LOGS/perf.$label.requests.txt")"
    fi
    put "$label" "$round" threads "$(status_kb "$responder_pid" Threads)"
    down
}

phase_xfer() { # phase_xfer LABEL ROUND
    local label=$1 round=$2 id
    rm -f "$XFER_STORE"/sent-*.dat "$E2E_TMP/dl/big.dat"
    up "$label" "$XFER_STORE" "$LOGS/perf.$label.r$round.xfer.log" "$round" xfer || return 1
    mtp_list "$PERF/xfer-list.txt" || true
    id=$(mtp_id big.dat "$PERF/xfer-list.txt") || { echo "big.dat not listed"; cat "$PERF/xfer-list.txt"; return 1; }
    # Each transfer twice: the first right after start (a JVM still compiling the transfer path),
    # the second is the bulk speed the goal is about.
    local n
    for n in $(seq 1 "$GETS"); do
        rm -f "$E2E_TMP/dl/big.dat"
        timed_host "$label" "$round" "get64-$n" "$PERF/get.out" mtp-getfile "$id" "$E2E_TMP/dl/big.dat" || true
        cmp "$XFER_STORE/big.dat" "$E2E_TMP/dl/big.dat" || { echo "mtp-getfile: the bytes differ"; return 1; }
    done
    for n in $(seq 1 "$SENDS"); do
        cp "$PERF/sent.dat" "$PERF/sent-$n.dat"
        timed_host "$label" "$round" "send64-$n" "$PERF/send.out" mtp-sendfile "$PERF/sent-$n.dat" / || true
        cmp "$PERF/sent.dat" "$XFER_STORE/sent-$n.dat" || { echo "mtp-sendfile: the bytes differ"; return 1; }
    done
    put "$label" "$round" vmhwm-xfer-kb "$(status_kb "$responder_pid" VmHWM)"
    down
}

phase_start() { # phase_start LABEL ROUND: start -> bound, then VmHWM and CPU once idle
    local label=$1 round=$2
    up "$label" "$XFER_STORE" "$LOGS/perf.$label.r$round.start.log" "$round" start || return 1
    put "$label" "$round" cpu-at-bound "$(ticks_to_s "$(cpu_ticks "$responder_pid")")"
    measure_idle "$label" "$round" after-start
    put "$label" "$round" vmhwm-idle-kb "$(status_kb "$responder_pid" VmHWM)"
    put "$label" "$round" threads "$(status_kb "$responder_pid" Threads)"
    down
}

phase_big() { # phase_big LABEL
    local label=$1 out=$PERF/big.$label.txt
    up "$label" "$BIG_STORE" "$LOGS/perf.$label.big.log" 1 big || return 1
    put "$label" 1 vmhwm-big-idle-kb "$(status_kb "$responder_pid" VmHWM)"
    timed_host "$label" 1 big-folders "$out" mtp-folders || true
    cp "$out" "$LOGS/perf.$label.big-folders.txt"
    put "$label" 1 vmhwm-big-kb "$(status_kb "$responder_pid" VmHWM)"
    local folders
    folders=$(grep -c 'folder-[0-9]' "$out")
    echo "mtp-folders listed $folders folders"
    if ((folders < BIG_FILES / 1000)); then
        echo "expected $((BIG_FILES / 1000)) folders; the responder's log:"
        tail -n 20 "$LOGS/perf.$label.big.log"
        down
        return 1
    fi
    down
}

# ---- the run ----

if [[ ${VM_E2E_PERF_SKIP_UMTPRD:-0} != 1 ]] && ! command -v umtprd >/dev/null; then
    fail_now umtprd-installed "umtprd is missing: vm-e2e/run installs Debian's umtp-responder for this suite"
    exit 0
fi
[[ -f $MTPD_JAR ]] || { fail_now mtpd-jar "mtp-device/target/mtpd.jar is missing: build it first with 'mvn -q -DskipTests package'"; exit 0; }
marker "responders: ${LABELS[*]}; rounds $ROUNDS; $FILES files; big listing $BIG_FILES; load of the host is not visible here"

make_stores() { make_list_store && make_xfer_store && make_file "$PERF/sent.dat" "$MB64"; }
check make-storages make_stores || exit 0

# Round 0 warms the guest's page cache (the JDK and the jars come over 9p) for every responder;
# it is not counted.
warm_up() { up "$1" "$XFER_STORE" "$LOGS/perf.$1.warmup.log" 0 warmup; local s=$?; down; return $s; }
for label in "${LABELS[@]}"; do check "warm-up-$label" warm_up "$label"; done
: >"$TSV"

PHASES=${VM_E2E_PERF_PHASES:-list xfer}
# The JVM's own floor, for reading start -> bound: the same command with --help (a JVM that starts,
# parses the options, prints and exits; nothing of FunctionFS, the storages or the responder).
jvm_floor() {
    local label=$1 i start
    for ((i = 1; i <= ${VM_E2E_PERF_FLOOR:-3}; i++)); do
        start=$(now)
        # shellcheck disable=SC2086
        ${COMMAND[$label]} --help >/dev/null 2>&1
        put "$label" "$i" help-wall "$(elapsed "$start")"
    done
}
for label in "${LABELS[@]}"; do
    [[ $label == umtprd ]] || check "jvm-floor-$label" jvm_floor "$label"
done

for round in $(seq 1 "$ROUNDS"); do
    for label in "${LABELS[@]}"; do
        for phase in $PHASES; do
            check "$phase-$label-r$round" "phase_$phase" "$label" "$round" || down
        done
    done
done

if ((BIG_FILES > 0)); then
    check make-big-storage make_big_store || true
    for label in "${LABELS[@]}"; do
        [[ $label == umtprd && ${VM_E2E_PERF_BIG_UMTPRD:-0} != 1 ]] && continue
        check "big-$label" phase_big "$label" || down
    done
fi

# ---- the table ----

# median LABEL METRIC: median over rounds (the value itself for one round), or "-"
median() {
    awk -F'\t' -v l="$1" -v m="$2" '$1 == l && $3 == m { v[++n] = $4 }
        END {
            if (n == 0) { print "-"; exit }
            for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
            if (n % 2) print v[(n + 1) / 2]; else printf "%.2f\n", (v[n / 2] + v[n / 2 + 1]) / 2
        }' "$TSV"
}
all_rounds() { awk -F'\t' -v l="$1" -v m="$2" '$1 == l && $3 == m { printf "%s%s", sep, $4; sep = " " }' "$TSV"; }
mb() { [[ $1 == - ]] && echo - || awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
ratio() { [[ $1 == - || $2 == - ]] && echo - || awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "-"; else printf "%.2f", a / b }'; }

table() {
    local ref=umtprd label
    for label in "${LABELS[@]}"; do
        [[ $label == umtprd ]] && continue
        echo "PERF TABLE $label vs uMTP-Responder (median of $ROUNDS rounds; ratio = $label / umtprd; TCG: compare ratios only)"
        printf '| %-52s | %14s | %14s | %6s | %s |\n' "" "uMTP-Responder" "$label" ratio goal
        row() { # row TEXT METRIC GOAL [mb]
            local a b
            a=$(median "$ref" "$2")
            b=$(median "$label" "$2")
            if [[ ${4:-} == mb ]]; then a=$(mb "$a"); b=$(mb "$b"); fi
            printf '| %-52s | %14s | %14s | %6s | %s |\n' "$1" "$a" "$b" "$(ratio "$b" "$a")" "$3"
        }
        row "mtp-files $FILES files, first after start: wall s" files1-wall "<= 0.5"
        row "  responder CPU s" files1-cpu ""
        local i
        for i in $(seq 2 "$LISTINGS"); do
            row "mtp-files $FILES files, run $i (warm): wall s" "files$i-wall" ""
            row "  responder CPU s" "files$i-cpu" "<= 2 (warm)"
        done
        row "  requests libmtp made for one mtp-files" files-requests ""
        row "start -> gadget bound (list storage) s" start-bound-list "<= 2"
        row "start -> gadget bound (1-file storage) s" start-bound-xfer "<= 2"
        row "start -> gadget bound (start phase) s" start-bound-start "<= 2"
        row "  responder CPU until bound s" cpu-at-bound ""
        row "the same command with --help (the JVM's floor) s" help-wall ""
        row "mtp-getfile 64 MiB, first after start s" get64-1-wall ""
        row "mtp-getfile 64 MiB, again s" get64-2-wall "<= 0.2"
        row "mtp-sendfile 64 MiB, first after start s" send64-1-wall ""
        row "mtp-sendfile 64 MiB, again s" send64-2-wall "<= 0.2"
        row "responder CPU idle ${IDLE} s after start" idle-cpu-after-start "none"
        row "responder CPU idle ${IDLE} s after listings" idle-cpu-after-listing "none"
        row "VmHWM idle after start MB" vmhwm-idle-kb "<= 48 MB" mb
        row "VmRSS idle after start MB" vmrss-idle-kb "" mb
        row "VmHWM after $LISTINGS listings MB" vmhwm-listed-kb "<= 64 MB" mb
        row "VmHWM after get+send 64 MiB MB" vmhwm-xfer-kb "<= 64 MB" mb
        row "threads" threads ""
        if ((BIG_FILES > 0)); then
            row "mtp-folders $BIG_FILES files (depth-all list): wall s" big-folders-wall ""
            row "  responder CPU s" big-folders-cpu ""
            row "  VmHWM MB" vmhwm-big-kb "<= 64 MB" mb
        fi
        echo "every round (A/B/A/B order):"
        local m
        for m in files1-wall files1-cpu files2-cpu start-bound-list start-bound-xfer start-bound-start cpu-at-bound get64-1-wall get64-2-wall send64-1-wall send64-2-wall vmhwm-idle-kb vmhwm-xfer-kb; do
            printf '  %-18s umtprd: %-24s %s: %s\n' "$m" "$(all_rounds "$ref" "$m")" "$label" "$(all_rounds "$label" "$m")"
        done
    done
}
table | tee "$LOGS/perf.table.txt" >>"$E2E_TMP/figures.txt"
cat "$LOGS/perf.table.txt"
exit 0
