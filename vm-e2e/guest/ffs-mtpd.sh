# mtpd on FunctionFS bound to dummy_hcd, for the suites that drive it with one more host stack
# (sourced after lib.sh): the gadget made by udev-rules/gadget/mtp-gadget and mtpd started through
# its launcher, as the functionfs suite does, then the device's USB port as hosts name it.
FFS_GADGET=$REPO/udev-rules/gadget/mtp-gadget
FFS_DIR=/dev/ffs-mtp
FFS_VID=0x1209
FFS_PID=0x000c
export MTP_GADGET_FFS_DIR=$FFS_DIR
ffs_mtpd_pid=""

# ffs_mtpd_up NAME STORE SERIAL [mtpd options...]: gadget setup, mtpd, bind, the host sees the
# device; each step a check. mtpd's log: $LOGS/mtpd-NAME.log. Fails (and cleans up) when a step fails.
ffs_mtpd_up() {
    local name=$1 store=$2 serial=$3
    shift 3
    if [[ ! -f $REPO/mtp-device/target/mtpd.jar ]]; then
        fail_now mtpd-jar "mtp-device/target/mtpd.jar is missing: build it first with 'mvn -q -DskipTests package'"
        return 1
    fi
    check gadget-setup "$FFS_GADGET" setup --vid=$FFS_VID --pid=$FFS_PID --serial="$serial" || return 1
    mkdir -p "$E2E_TMP/$name-mtpd-state"
    "$REPO/mtp-device/bin/mtpd" --functionfs "$FFS_DIR" --storage "Files=$store" --serial "$serial" \
        --friendly-name-file "$E2E_TMP/$name-mtpd-state/friendly-name" "$@" >"$LOGS/mtpd-$name.log" 2>&1 &
    ffs_mtpd_pid=$!
    if ! check mtpd-start+gadget-bind "$FFS_GADGET" bind --udc=dummy_udc.0 --timeout=120 ||
        ! check host-enumerates-device wait_for "usb_device_present ${FFS_VID#0x} ${FFS_PID#0x}" 30; then
        tail -n 40 "$LOGS/mtpd-$name.log"
        ffs_mtpd_down
        return 1
    fi
}

# ffs_mtpd_down: SIGTERM to mtpd, then the gadget torn down (the next suite finds an empty bus).
ffs_mtpd_down() {
    if [[ -n $ffs_mtpd_pid ]]; then
        kill -TERM "$ffs_mtpd_pid" 2>/dev/null
        wait_for "! kill -0 $ffs_mtpd_pid 2>/dev/null" 20 || kill -KILL "$ffs_mtpd_pid" 2>/dev/null
        wait "$ffs_mtpd_pid" 2>/dev/null
        ffs_mtpd_pid=""
    fi
    check gadget-teardown "$FFS_GADGET" teardown
}

# ffs_port: usb:BUS,DEV of the device with mtpd's ids, as libgphoto2 and gvfs name it.
ffs_port() {
    local d
    for d in /sys/bus/usb/devices/*; do
        [[ -r $d/idVendor && $(cat "$d/idVendor") == "${FFS_VID#0x}" && $(cat "$d/idProduct") == "${FFS_PID#0x}" ]] || continue
        printf 'usb:%03d,%03d\n' "$(cat "$d/busnum")" "$(cat "$d/devnum")"
        return 0
    done
    return 1
}
