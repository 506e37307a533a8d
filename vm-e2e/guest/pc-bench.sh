# Side-by-side benchmark of the PC tool (issue 8), sourced by the pc-functionfs suite when
# VM_E2E_PC_BENCH=1: in one VM, alternating A/B/A/B,
#   - `mtpbridge get` vs `mtp-getfile` of the same 64 MiB file (goal: time ratio <= 1.0);
#   - `mtpbridge backup --full` of ~64 MiB of owner data vs `mtp-getfile` of a 64 MiB file
#     (goal: >= 0.9 of mtp-getfile's throughput).
# Each time is the whole command as a person runs it (JVM start, device open, session, transfer,
# close). Figures go to the run's FIGURES section and $LOGS/pc-bench.txt.

BENCH=$((64 * 1024 * 1024))
BENCH_ROUNDS=${VM_E2E_PC_BENCH_ROUNDS:-2}

# mtp-tools under a time limit (mtp-checks.sh's `mtp` is not sourced here: calling it made the
# first timing fail with "command not found", its message swallowed by the $(...) around it)
getfile() { timeout -k 5 600 mtp-getfile "$@"; }

bench_time() { # bench_time COMMAND...: prints the seconds it took; fails when it fails, saying why on stderr (the log)
    local start status
    start=$(now)
    "$@" >"$PC_WORK/bench-cmd.out" 2>&1
    status=$?
    if [[ $status -ne 0 ]]; then
        echo "failed (exit $status): $*" >&2
        tail -n 20 "$PC_WORK/bench-cmd.out" | sed 's/\r/\n/g' | tail -n 20 >&2
        return 1
    fi
    elapsed "$start"
}

run_pc_bench() {
    local out=$LOGS/pc-bench.txt id r tg tm
    make_file "$PC_STORE/bench-64.bin" "$BENCH"
    mtp_list "$PC_WORK/bench-list.txt" && id=$(mtp_id bench-64.bin "$PC_WORK/bench-list.txt") ||
        { fail_now pc-bench "mtp-files does not list bench-64.bin"; return 1; }
    : >"$out"
    echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out"
    local get_g=() get_m=()
    for r in $(seq 1 "$BENCH_ROUNDS"); do
        rm -f "$PC_WORK/bench-g.bin" "$PC_WORK/bench-m.bin"
        tg=$(bench_time getfile "$id" "$PC_WORK/bench-g.bin") || return 1
        cmp "$PC_STORE/bench-64.bin" "$PC_WORK/bench-g.bin" || return 1
        tm=$(bench_time mb get "/$PC_STORAGE/bench-64.bin" "$PC_WORK/bench-m.bin") || return 1
        cmp "$PC_STORE/bench-64.bin" "$PC_WORK/bench-m.bin" || return 1
        get_g+=("$tg")
        get_m+=("$tm")
        echo "round $r: mtp-getfile 64 MiB ${tg}s, mtpbridge get 64 MiB ${tm}s" >>"$out"
    done
    # ~64 MiB of owner data: one 64 MiB note beside the small ones and the journal
    big_owner_data "$BENCH"
    local bk_g=() bk_m=() bytes tb
    for r in $(seq 1 "$BENCH_ROUNDS"); do
        rm -f "$PC_WORK/bench-g.bin"
        tg=$(bench_time getfile "$id" "$PC_WORK/bench-g.bin") || return 1
        cmp "$PC_STORE/bench-64.bin" "$PC_WORK/bench-g.bin" || return 1
        tb=$(bench_time mb -q backup --full) || return 1
        bytes=$(mb --json history | python3 -c 'import json,sys; print(json.load(sys.stdin)[-1]["bytes"])')
        bk_g+=("$tg")
        bk_m+=("$tb:$bytes")
        echo "round $r: mtp-getfile 64 MiB ${tg}s, mtpbridge backup --full of $bytes archive bytes ${tb}s" >>"$out"
    done
    echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out"
    python3 - "$out" "${get_g[*]}" "${get_m[*]}" "${bk_g[*]}" "${bk_m[*]}" <<'PY' | tee -a "$out" | sed 's/^/pc-bench: /' >>"$E2E_TMP/figures.txt"
import sys
MiB = 1024 * 1024
g = [float(x) for x in sys.argv[2].split()]
m = [float(x) for x in sys.argv[3].split()]
bg = [float(x) for x in sys.argv[4].split()]
bm = [(float(t), int(b)) for t, b in (x.split(":") for x in sys.argv[5].split())]
ratio = sum(m) / sum(g)
print(f"get 64 MiB: mtp-getfile {' '.join(f'{x:.1f}' for x in g)} s, mtpbridge get {' '.join(f'{x:.1f}' for x in m)} s;"
      f" time ratio mtpbridge/mtp-getfile {ratio:.2f} (goal <= 1.0)")
getfile_rate = 64 * len(bg) / sum(bg)
backup_rate = sum(b for _, b in bm) / MiB / sum(t for t, _ in bm)
print(f"backup: mtp-getfile {getfile_rate:.2f} MiB/s ({' '.join(f'{x:.1f}' for x in bg)} s per 64 MiB), mtpbridge backup"
      f" {backup_rate:.2f} MiB/s ({', '.join(f'{b / MiB:.1f} MiB in {t:.1f} s' for t, b in bm)}); throughput ratio"
      f" {backup_rate / getfile_rate:.2f} (goal >= 0.9)")
PY
    cat "$out"
}
