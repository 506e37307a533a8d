#!/bin/bash
# Runs inside the guest, chrooted into the host's read-only root: every suite in
# vm-e2e/suites/ (or those named in $SUITES), each under its own timeout so that one hung
# suite still lets the others run, then the table of checks and the final marker.
set -uo pipefail
export E2E_TMP=/tmp/vm-e2e
# shellcheck disable=SC1091
. /tmp/vm-e2e.env   # written by guest/init: the VM_E2E_* knobs given to vm-e2e/run
. "$REPO/vm-e2e/guest/lib.sh"

SUITE_TIMEOUT=${VM_E2E_SUITE_TIMEOUT:-1500}   # seconds per suite; a loaded machine is slow under TCG
marker "guest ready at $(uptime_s)s ($(nproc) vCPUs, $(awk '/MemTotal/ {print int($2/1024)}' /proc/meminfo) MiB)"
: >"$RESULTS"
uptime_s >"$E2E_TMP/boot.txt"
: >"$E2E_TMP/timings.tsv"

# A suite with the line "# vm-e2e: on-demand" (the performance suite) runs only when named;
# "# vm-e2e: timeout N" gives it its own time limit in seconds.
selected() { # selected SUITE-FILE: chosen by $SUITES ("all" or names like functionfs usbip)
    if [[ $SUITES == all ]]; then
        ! grep -q '^# vm-e2e: on-demand' "$1"
        return
    fi
    local name want
    name=$(basename "$1" .sh)
    name=${name#[0-9][0-9]-}
    for want in $SUITES; do [[ $want == "$name" ]] && return 0; done
    return 1
}

for suite in "$REPO"/vm-e2e/suites/[0-9][0-9]-*.sh; do
    selected "$suite" || continue
    name=$(basename "$suite" .sh)
    name=${name#[0-9][0-9]-}
    start=$(now)
    marker "suite $name starts"
    limit=$(sed -n 's/^# vm-e2e: timeout \([0-9][0-9]*\)$/\1/p' "$suite" | head -n1)
    limit=${limit:-$SUITE_TIMEOUT}
    ((limit >= SUITE_TIMEOUT)) || limit=$SUITE_TIMEOUT
    SUITE=$name timeout -k 10 "$limit" bash "$suite"
    status=$?
    took=$(elapsed "$start")
    if [[ $status -eq 124 || $status -eq 137 ]]; then
        SUITE=$name record "suite-finished" FAIL "$took" "the suite hung and was killed after ${limit}s"
    fi
    if [[ -f $E2E_TMP/started.$name ]]; then
        touch "$E2E_TMP/recorded.$name"
        grep -vxF -f "$E2E_TMP/recorded.$name" "$E2E_TMP/started.$name" | while read -r lost; do
            SUITE=$name record "$lost" FAIL 0 "the check was abandoned by a shell error before it recorded a result"
        done
    fi
    printf '%s\t%s\n' "$name" "$took" >>"$E2E_TMP/timings.tsv"
    marker "suite $name ends after ${took}s (exit $status)"
done

echo
echo "VM-E2E TABLE BEGIN"
printf '%-11s %-34s %-8s %8s  %s\n' suite check result seconds detail
awk -F'\t' '{ printf "%-11s %-34s %-8s %8s  %s\n", $1, $2, $3, $4, $5 }' "$RESULTS"
echo "VM-E2E TABLE END"
echo "VM-E2E TIMINGS: boot-to-checks $(awk '{print $1}' "$E2E_TMP/boot.txt" 2>/dev/null)s; $(awk -F'\t' '{ printf "%s %ss; ", $1, $2 }' "$E2E_TMP/timings.tsv")"
if [[ -s $E2E_TMP/figures.txt ]]; then
    echo "VM-E2E FIGURES (under TCG emulation: compare only side by side in the same VM):"
    sed 's/^/  /' "$E2E_TMP/figures.txt"
fi
cp "$RESULTS" "$E2E_TMP/timings.tsv" /tmp/out/ 2>/dev/null
[[ -f $E2E_TMP/figures.txt ]] && cp "$E2E_TMP/figures.txt" /tmp/out/

passed=$(awk -F'\t' '$3 == "PASS"' "$RESULTS" | wc -l)
failed=$(awk -F'\t' '$3 == "FAIL"' "$RESULTS" | wc -l)
notrun=$(awk -F'\t' '$3 == "NOT RUN"' "$RESULTS" | wc -l)
if [[ $failed -eq 0 && $passed -gt 0 ]]; then
    echo "VM-E2E RESULT: PASS ($passed passed, $notrun not run)"
    exit 0
fi
echo "VM-E2E RESULT: FAIL ($failed failed, $passed passed, $notrun not run)"
exit 1
