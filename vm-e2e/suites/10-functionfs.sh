#!/bin/bash
# mtpd on FunctionFS, bound to dummy_hcd's UDC, driven by libmtp's mtp-tools through the guest
# kernel's real USB host stack (issue 3 parts 4 and 5). The gadget is made by the project's own
# udev-rules/gadget/mtp-gadget, exactly as on a device.
#
# VM_E2E_REFERENCE=umtprd runs the same checks against Debian's uMTP-Responder instead of mtpd:
# a side-by-side reference for the timings and for telling harness faults from mtpd faults.
# It is a developer aid, never part of CI.
set -uo pipefail
. "$REPO/vm-e2e/guest/lib.sh"
. "$REPO/vm-e2e/guest/mtp-checks.sh"

GADGET_SCRIPT=$REPO/udev-rules/gadget/mtp-gadget
FFS=/dev/ffs-mtp
STORE=/tmp/ffs-store
VID=0x1209
PID=0x000c
SERIAL=E2E0FFS00001
MTPD_JAR=$REPO/mtp-device/target/mtpd.jar
RESPONDER=${VM_E2E_REFERENCE:-mtpd}
export MTP_GADGET_FFS_DIR=$FFS

responder_pid=""

start_mtpd() {
    # As mtpd ships: its launcher, with the JVM options and the class-data archive it brings
    # (a 64 MiB heap among them: the 64 MiB transfers below must stream, not buffer).
    # --friendly-name-file: mtpd keeps device state (the name, object references) in that folder.
    mkdir -p "$E2E_TMP/mtpd-state"
    "$REPO/mtp-device/bin/mtpd" --functionfs "$FFS" --storage "Files=$STORE" --serial "$SERIAL" \
        --friendly-name-file "$E2E_TMP/mtpd-state/friendly-name" >"$LOGS/mtpd-functionfs.log" 2>&1 &
    responder_pid=$!
}

start_umtprd() {
    write_umtprd_conf "$STORE" "$E2E_TMP/umtprd.conf" "$SERIAL" "$VID" "$PID" "$FFS"
    umtprd -conf "$E2E_TMP/umtprd.conf" >"$LOGS/umtprd-functionfs.log" 2>&1 &
    responder_pid=$!
}

mtpd_in_tree() { compgen -G "$REPO/mtp-device/src/main/java/*" >/dev/null; }

if [[ $RESPONDER == mtpd ]]; then
    if [[ ! -f $MTPD_JAR ]]; then
        if mtpd_in_tree; then
            fail_now mtpd-jar "mtp-device/target/mtpd.jar is missing: build it first with 'mvn -q -DskipTests package'"
        else
            not_run functionfs-suite "mtpd does not exist in the tree yet (mtp-device/src/main/java is empty)"
        fi
        exit 0
    fi
fi
marker "responder: $RESPONDER"

prepare_device_files "$STORE"
check gadget-setup "$GADGET_SCRIPT" setup --vid=$VID --pid=$PID --serial=$SERIAL || exit 1

start=$(now)
if [[ $RESPONDER == umtprd ]]; then start_umtprd; else start_mtpd; fi
# mtp-gadget bind waits for the descriptors mtpd writes to ep0 (JVM start-up is slow under TCG).
if ! check responder-start+gadget-bind "$GADGET_SCRIPT" bind --udc=dummy_udc.0 --timeout=120; then
    tail -n 40 "$LOGS/$RESPONDER-functionfs.log"
    kill "$responder_pid" 2>/dev/null
    exit 1
fi
echo "$RESPONDER: $(elapsed "$start")s from start to descriptors written and gadget bound" >>"$E2E_TMP/figures.txt"
if ! check host-enumerates-device wait_for "usb_device_present ${VID#0x} ${PID#0x}" 30; then
    dmesg | tail -n 30
    exit 1
fi

run_mtp_checks "$STORE" "$VID" "$PID"

# A playlist libmtp writes (an AbstractAudioVideoPlaylist object NAME.pla whose object references
# are its tracks) must still be there, with its track, for the next host (issue 10: references
# persist). mtp-newplaylist creates it now; playlist-after-replug reads it after the re-plug.
playlist_id=""
track_id=""
make_playlist() {
    local list=$E2E_TMP/list-playlist.txt out
    mtp_list "$list" || return 1
    track_id=$(mtp_id s-513.dat "$list") || { echo "s-513.dat is not listed"; return 1; }
    out=$(mtp mtp-newplaylist -i "$track_id" -n e2e-mix -s 0 -p 0 2>&1)
    echo "$out"
    playlist_id=$(sed -n 's/^Created new playlist: //p' <<<"$out")
    [[ -n $playlist_id && $playlist_id != 0 ]] || return 1
    ls -l "$STORE"/e2e-mix.* || { echo "no playlist object in the storage"; return 1; }
}
playlist_has_track() {
    local out
    out=$(mtp mtp-playlists 2>&1)
    echo "$out"
    # the playlist, then (before the next playlist) a line for the track: "   ID: artist - title", or
    # "ID: INVALID TRACK REFERENCE!" for a file libmtp does not take for a track - either way the
    # reference came back
    awk -v pl="$playlist_id" -v tr="$track_id" '
        /^Playlist ID: / { inside = ($3 == pl) }
        inside && $1 == tr ":" { found = 1 }
        END { exit found ? 0 : 1 }' <<<"$out"
}
if [[ $RESPONDER == mtpd ]]; then
    check mtp-newplaylist make_playlist
fi

# A host unplug and re-plug (UDC unbind/bind: DISABLE, UNBIND, BIND, ENABLE on ep0) must leave
# mtpd serving the next host.
replug() {
    "$GADGET_SCRIPT" unbind && sleep 1 && "$GADGET_SCRIPT" bind --udc=dummy_udc.0 --timeout=30 &&
        wait_for "usb_device_present ${VID#0x} ${PID#0x}" 30 &&
        mtp_list "$E2E_TMP/list-replug.txt" && listing_ok "$E2E_TMP/list-replug.txt"
}
check replug-serves-next-host replug
if [[ $RESPONDER == mtpd && -n $playlist_id ]]; then
    check playlist-after-replug playlist_has_track
fi

if [[ $RESPONDER == mtpd ]]; then
    sigterm_exits_0() {
        kill -TERM "$responder_pid"
        local i
        for i in $(seq 1 100); do
            kill -0 "$responder_pid" 2>/dev/null || break
            sleep 0.2
        done
        if kill -0 "$responder_pid" 2>/dev/null; then
            echo "mtpd still running 20 s after SIGTERM"
            kill -KILL "$responder_pid"
            return 1
        fi
        wait "$responder_pid"
        local status=$?
        echo "mtpd exit status after SIGTERM: $status"
        [[ $status -eq 0 ]]
    }
    check mtpd-sigterm-exits-0 sigterm_exits_0
else
    kill "$responder_pid" 2>/dev/null
    wait "$responder_pid" 2>/dev/null
fi
responder_pid=""
# Leave the bus empty for the next suite: libmtp talks to the first MTP device it finds.
check gadget-teardown "$GADGET_SCRIPT" teardown
exit 0
