# Side-by-side benchmark of the PC tool (issue 8), sourced by the pc-functionfs suite when
# VM_E2E_PC_BENCH=1: in one VM, alternating A/B/A/B,
#   - `mtpbridge get` vs `mtp-getfile` of the same 64 MiB file (goal: time ratio <= 1.0);
#   - `mtpbridge backup --full` of ~64 MiB of owner data vs `mtp-getfile` of a 64 MiB file
#     (goal: >= 0.9 of mtp-getfile's throughput).
# Each time is the whole command as a person runs it (JVM start, device open, session, transfer,
# close); next to it, the command's MTP session as mtpd logged it (OpenSession to CloseSession).
# VM_E2E_PC_BENCH_BASELINE=DIR adds, in every round, the same command through DIR/mtpbridge
# (another checkout's launcher and built jar, e.g. main before a change): A/B/C in one VM.
# mtpd runs as it ships (its launcher). VM_E2E_PC_BENCH_MTPD='LABEL:OPTIONS|LABEL:OPTIONS...' runs
# the backup phase once per mtpd variant, mtpd restarted with OPTIONS added after its shipped JVM
# options (MTPD_JAVA_OPTS; empty: as shipped), each block with its own mtp-getfile rounds, e.g.
# 'shipped:|c2:-XX:TieredStopAtLevel=4 -XX:CICompilerCount=2' (C2 for SHA-256 on the device). The
# device's CPU time (user + system of mtpd) for each command is printed beside its time.
# Figures go to the run's FIGURES section and $LOGS/pc-bench.txt.

BENCH=$((64 * 1024 * 1024))
BENCH_ROUNDS=${VM_E2E_PC_BENCH_ROUNDS:-2}
BENCH_BASELINE=${VM_E2E_PC_BENCH_BASELINE:-}
BENCH_MTPD=${VM_E2E_PC_BENCH_MTPD:-shipped:}

# mtp-tools under a time limit (mtp-checks.sh's `mtp` is not sourced here: calling it made the
# first timing fail with "command not found", its message swallowed by the $(...) around it)
getfile() { timeout -k 5 600 mtp-getfile "$@"; }

# mtpbridge through the baseline checkout's launcher, as mb runs the one under test
mb_baseline() { XDG_DATA_HOME=$PC_HOME HOME=$PC_HOME MTPBRIDGE_NO_BUILD=1 timeout -k 5 "$PC_TIMEOUT" "$BENCH_BASELINE/mtpbridge" "$@"; }

# mtpd's CPU time so far in clock ticks (user + system, every thread), read with shell built-ins
mtpd_ticks() {
    local stat
    { read -r stat <"/proc/$mtpd_pid/stat"; } 2>/dev/null || { echo 0; return; }
    stat=${stat##*) }
    # shellcheck disable=SC2086 # fields are words
    set -- $stat
    echo $((${12} + ${13}))
}

bench_time() { # bench_time COMMAND...: prints "seconds start end mtpd-cpu-seconds" (wall clock, for mtpd's log); fails when it fails, saying why on stderr (the log)
    local start status from ticks
    ticks=$(mtpd_ticks)
    start=$(now)
    from=$(date +%H:%M:%S.%3N)
    "$@" >"$PC_WORK/bench-cmd.out" 2>&1
    status=$?
    if [[ $status -ne 0 ]]; then
        echo "failed (exit $status): $*" >&2
        tail -n 20 "$PC_WORK/bench-cmd.out" | sed 's/\r/\n/g' | tail -n 20 >&2
        return 1
    fi
    echo "$(elapsed "$start") $from $(date +%H:%M:%S.%3N) $(awk -v a="$ticks" -v b="$(mtpd_ticks)" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", (b - a) / hz }')"
}

run_pc_bench() {
    local out=$LOGS/pc-bench.txt id r tg tm tb
    local tools=(getfile mb)
    [[ -z $BENCH_BASELINE ]] || tools+=(mb_baseline)
    if [[ -n $BENCH_BASELINE && ! -x $BENCH_BASELINE/mtpbridge ]]; then
        fail_now pc-bench "VM_E2E_PC_BENCH_BASELINE=$BENCH_BASELINE has no mtpbridge launcher"
        return 1
    fi
    make_file "$PC_STORE/bench-64.bin" "$BENCH"
    mtp_list "$PC_WORK/bench-list.txt" && id=$(mtp_id bench-64.bin "$PC_WORK/bench-list.txt") ||
        { fail_now pc-bench "mtp-files does not list bench-64.bin"; return 1; }
    : >"$out"
    echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out"
    # what SHA-256 can use here: the emulated CPU's SHA and AVX2 flags, and HotSpot's choice
    echo "guest CPU flags: $(grep -m1 '^flags' /proc/cpuinfo | grep -owE 'sha_ni|avx2|avx|ssse3' | tr '\n' ' ')" >>"$out"
    echo "HotSpot: $(java -XX:+UnlockDiagnosticVMOptions -XX:+PrintFlagsFinal -version 2>/dev/null | grep -wE 'UseSHA|UseSHA256Intrinsics|UseAVX' | awk '{print $2 "=" $4}' | tr '\n' ' ')" >>"$out"
    echo "mtpd: $(tr '\0' ' ' <"/proc/$mtpd_pid/cmdline" | cut -c1-1000)" >>"$out"
    [[ -z $BENCH_BASELINE ]] || echo "baseline: $BENCH_BASELINE ($(git -C "$BENCH_BASELINE" log --oneline -1 2>/dev/null || echo 'not a git checkout'))" >>"$out"
    local runs=$PC_WORK/bench-runs.tsv t
    : >"$runs"
    for r in $(seq 1 "$BENCH_ROUNDS"); do
        for t in "${tools[@]}"; do
            rm -f "$PC_WORK/bench-g.bin"
            if [[ $t == getfile ]]; then
                tg=$(bench_time getfile "$id" "$PC_WORK/bench-g.bin") || return 1
            else
                tg=$(bench_time "$t" get "/$PC_STORAGE/bench-64.bin" "$PC_WORK/bench-g.bin") || return 1
            fi
            cmp "$PC_STORE/bench-64.bin" "$PC_WORK/bench-g.bin" || return 1
            printf 'get\t%s\t%s\t%s %s\n' "$r" "$t" "$tg" "$BENCH" >>"$runs"
            echo "round $r: get 64 MiB with $t: $tg" >>"$out"
        done
    done
    # ~64 MiB of owner data: one 64 MiB note beside the small ones and the journal
    big_owner_data "$BENCH"
    local variant label opts first=1 phase
    IFS='|' read -ra variants <<<"$BENCH_MTPD"
    for variant in "${variants[@]}"; do
        label=${variant%%:*} opts=${variant#*:}
        phase=backup
        [[ ${#variants[@]} -eq 1 ]] || phase="backup/$label"
        if [[ $first -eq 0 || -n $opts ]]; then
            echo "mtpd restarted for '$label' (MTPD_JAVA_OPTS='$opts') at $(date +%T), load $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out"
            restart_mtpd "$opts" >>"$out" 2>&1 || { fail_now pc-bench "mtpd did not come back for variant $label"; return 1; }
            echo "mtpd: $(tr '\0' ' ' <"/proc/$mtpd_pid/cmdline" | cut -c1-1000)" >>"$out"
            # a new mtpd numbers its objects anew
            mtp_list "$PC_WORK/bench-list.txt" && id=$(mtp_id bench-64.bin "$PC_WORK/bench-list.txt") ||
                { fail_now pc-bench "mtp-files does not list bench-64.bin after the restart"; return 1; }
        fi
        first=0
        for r in $(seq 1 "$BENCH_ROUNDS"); do
            for t in "${tools[@]}"; do
                if [[ $t == getfile ]]; then
                    rm -f "$PC_WORK/bench-g.bin"
                    tg=$(bench_time getfile "$id" "$PC_WORK/bench-g.bin") || return 1
                    cmp "$PC_STORE/bench-64.bin" "$PC_WORK/bench-g.bin" || return 1
                    printf '%s\t%s\t%s\t%s %s\n' "$phase" "$r" "$t" "$tg" "$BENCH" >>"$runs"
                else
                    tb=$(bench_time "$t" -q backup --full) || return 1
                    local bytes
                    bytes=$(mb --json history | python3 -c 'import json,sys; print(json.load(sys.stdin)[-1]["bytes"])')
                    printf '%s\t%s\t%s\t%s %s\n' "$phase" "$r" "$t" "$tb" "$bytes" >>"$runs"
                    # keep the guest's memory (tmpfs) for the page cache: only the newest set stays
                    mb -q prune --repo "$(pc_repo)" --keep 1 >/dev/null 2>&1
                fi
                echo "round $r: $phase, $t: $(tail -n1 "$runs" | cut -f4)" >>"$out"
            done
        done
    done
    echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out"
    python3 - "$runs" "$LOGS/mtpd-pc.log" <<'PY' | tee -a "$out" | sed 's/^/pc-bench: /' >>"$E2E_TMP/figures.txt"
import re, sys
MiB = 1024 * 1024
def secs(hms):
    h, m, s = hms.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)
# mtpd's log: "HH:MM:SS.mmm INFO [main] MtpResponder: session N opened" / "... ended (...)"
events = []
for line in open(sys.argv[2], errors="replace"):
    m = re.match(r"(\d\d:\d\d:\d\d\.\d+) .*MtpResponder: session \d+ (opened|ended)", line)
    if m:
        events.append((secs(m.group(1)), m.group(2)))
def session(start, end):  # the MTP session inside [start, end]: OpenSession to CloseSession (None when not found)
    a, b = secs(start), secs(end)
    opened = [t for t, k in events if k == "opened" and a <= t <= b]
    ended = [t for t, k in events if k == "ended" and a <= t <= b]
    return ended[-1] - opened[0] if opened and ended and ended[-1] >= opened[0] else None
BENCH = 64 * MiB
runs = {}
phases = []
for line in open(sys.argv[1]):
    phase, rnd, tool, rest = line.rstrip("\n").split("\t")
    f = rest.split()
    if phase not in phases:
        phases.append(phase)
    # (whole seconds, session seconds, bytes, mtpd CPU seconds)
    runs.setdefault((phase, tool), []).append((float(f[0]), session(f[1], f[2]), int(f[4]), float(f[3])))
tools = sorted({t for _, t in runs}, key=["getfile", "mb", "mb_baseline"].index)
name = {"getfile": "mtp-getfile", "mb": "mtpbridge", "mb_baseline": "mtpbridge (baseline)"}
def fmt(xs):
    return " ".join(f"{x:.1f}" if x is not None else "?" for x in xs)
g = runs[("get", "getfile")]
for t in tools:
    r = runs[("get", t)]
    line = f"get 64 MiB, {name[t]}: whole {fmt(x[0] for x in r)} s, session {fmt(x[1] for x in r)} s, mtpd CPU {fmt(x[3] for x in r)} s"
    if t != "getfile":
        line += f"; time ratio to mtp-getfile: whole {sum(x[0] for x in r) / sum(x[0] for x in g):.2f} (goal <= 1.0)"
        if all(x[1] is not None for x in r + g):
            line += f", session {sum(x[1] for x in r) / sum(x[1] for x in g):.2f}"
    print(line)
def rate(r, i):
    return sum(x[2] for x in r) / MiB / sum(x[i] for x in r)
for phase in phases:
    if phase == "get":
        continue
    bg = runs[(phase, "getfile")]
    for t in tools:
        r = runs[(phase, t)]
        line = (f"{phase} phase, {name[t]}: whole {fmt(x[0] for x in r)} s ({rate(r, 0):.2f} MiB/s), session {fmt(x[1] for x in r)} s"
                + (f" ({rate(r, 1):.2f} MiB/s)" if all(x[1] is not None for x in r) else "")
                + f", mtpd CPU {fmt(x[3] for x in r)} s")
        if t != "getfile":
            line += f", {r[0][2]} archive bytes; throughput ratio to mtp-getfile: whole {rate(r, 0) / rate(bg, 0):.2f} (goal >= 0.9)"
            if all(x[1] is not None for x in r + bg):
                line += f", session {rate(r, 1) / rate(bg, 1):.2f}"
        print(line)
PY
    cat "$out"
}
