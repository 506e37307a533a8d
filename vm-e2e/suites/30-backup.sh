#!/bin/bash
# The backup round trip with mtp-tools only (issue 5 part 5), on device-sim over USB/IP with its
# demo data owners: mtp-newfolder in /Backups of the "Backup" storage -> wait until status.txt
# says done -> mtp-getfile backup.tar and manifest.json -> `tar -tvf` lists it and every SHA-256
# in manifest.json matches its tar entry -> change the owners' data on the device ->
# mtp-sendfile backup.tar into /Restore -> the result file says success -> every owner's data
# equals the backed-up state byte for byte.
set -uo pipefail
. "$REPO/vm-e2e/guest/lib.sh"

SIM_JAR=$REPO/device-sim/target/device-sim.jar
HOME_DIR=/tmp/backup-home      # device-sim keeps its demo storage and demo owners' data here
STORE=/tmp/backup-files
BUSID=1-1
SIM_LOG=$LOGS/device-sim-backup.log
WORK=$E2E_TMP/backup
BACKUP_TIMEOUT=${VM_E2E_BACKUP_TIMEOUT:-300}

# The piece this suite needs: the "Backup" storage of backup-bridge (section 2 (a) of
# backup.md: /Owners, /Backups, /Restore) wired into device-sim with the demo owners.
backup_storage_in_tree() {
    grep -rqs '"Backups"' "$REPO/backup-bridge/src/main/java" &&
        grep -rqs '"Restore"' "$REPO/backup-bridge/src/main/java" &&
        grep -rqs 'backup' "$REPO/device-sim/src/main/java/io/mtpbridge/sim/app/DeviceSim.java" &&
        ! grep -A3 'static List<MtpDevice.Extension> extensions' "$REPO/device-sim/src/main/java/io/mtpbridge/sim/app/DeviceSim.java" | grep -q 'return List.of();'
}
if ! backup_storage_in_tree; then
    not_run backup-suite "the Backup storage (/Backups, /Restore) is not in backup-bridge and wired into device-sim yet"
    exit 0
fi
if [[ ! -f $SIM_JAR ]]; then
    fail_now device-sim-jar "device-sim/target/device-sim.jar is missing: build it first with 'mvn -q -DskipTests package'"
    exit 0
fi
need_commands python3 tar sha256sum >/dev/null || { fail_now tools "$(need_commands python3 tar sha256sum)"; exit 1; }

mkdir -p "$WORK" "$HOME_DIR" "$STORE"
XDG_DATA_HOME=$HOME_DIR HOME=$HOME_DIR java -Xmx64m -XX:ErrorFile="$LOGS/hs_err_device-sim-backup_%p.log" -jar "$SIM_JAR" --storage "Files=$STORE" --busid "$BUSID" \
    >"$SIM_LOG" 2>&1 &
sim_pid=$!
cleanup() {
    local port
    port=$(usbip port 2>/dev/null | sed -n 's/^Port \([0-9][0-9]*\):.*[Ii]n [Uu]se.*/\1/p' | head -n1)
    [[ -z $port ]] || usbip detach -p "$port" >/dev/null 2>&1
    kill -TERM "$sim_pid" 2>/dev/null
    wait "$sim_pid" 2>/dev/null
}
trap cleanup EXIT

ready() { wait_for "grep -q 'is ready on USB/IP' '$SIM_LOG' || ! kill -0 $sim_pid" 180 && kill -0 "$sim_pid"; }
check device-sim-ready ready || { tail -n 30 "$SIM_LOG"; exit 1; }
attach() {
    usbip attach -r 127.0.0.1 -b "$BUSID" && wait_for "usb_device_present 1209 000c" 30
}
check usbip-attach attach || exit 1

# --- where things are -----------------------------------------------------------------------
# backup_storage_id: the StorageID (decimal, as mtp-newfolder wants it) described as "Backup".
backup_storage_id() {
    timeout 120 mtp-detect >"$WORK/detect.txt" 2>&1
    local hex
    hex=$(awk '/StorageID: 0x/ { id = $2 } /StorageDescription: Backup$/ { print id; exit }' "$WORK/detect.txt")
    [[ -n $hex ]] && echo $((16#${hex#0x}))
}
# folder_id NAME: id of a top-level folder of the Backup storage, from mtp-folders.
folder_id() {
    timeout 120 mtp-folders >"$WORK/folders.txt" 2>&1
    awk -v want="$1" '/^Storage: / { in_backup = ($0 == "Storage: Backup") }
        in_backup && $0 ~ "^[0-9]+\t" want "$" { print $1; exit }' "$WORK/folders.txt"
}
# id_in NAME PARENT LISTING: the File ID of NAME whose Parent ID is PARENT.
id_in() {
    awk -v want="$1" -v parent="$2" '
        /^File ID:/ { id = $3; name = "" }
        /^   Filename:/ { sub(/^   Filename: /, ""); name = $0 }
        /^   Parent ID:/ && name == want && $3 == parent { print id; exit }' "$3"
}
fetch() { # fetch NAME PARENT DEST: mtp-getfile of the object NAME in folder PARENT
    local id
    timeout 120 mtp-files >"$WORK/files.txt" 2>&1
    id=$(id_in "$1" "$2" "$WORK/files.txt")
    [[ -n $id ]] || return 1
    rm -f "$3"
    timeout 600 mtp-getfile "$id" "$3" >"$WORK/getfile.out" 2>&1
    ! grep -q 'Error getting file' "$WORK/getfile.out" && [[ -f $3 ]]
}

# The owners' data: the demo owners keep it under <device-sim home>/.../volumes/<volume>/
# (backup-bridge's DemoBackup: notes, settings, journal). Its state is a sorted list of
# sha256 + path of every file there.
owners_root() { echo "$HOME_DIR"; }
owner_files() { (cd "$(owners_root)" && find . -path '*/volumes/*' -type f | sort); }
owners_state() {
    (cd "$(owners_root)" && find . -path '*/volumes/*' -type f -print0 | sort -z | xargs -0 -r sha256sum)
}

STORAGE_ID=""
BACKUPS_ID=""
RESTORE_ID=""
find_layout() {
    STORAGE_ID=$(backup_storage_id)
    BACKUPS_ID=$(folder_id Backups)
    RESTORE_ID=$(folder_id Restore)
    echo "Backup storage $STORAGE_ID, /Backups $BACKUPS_ID, /Restore $RESTORE_ID"
    [[ -n $STORAGE_ID && -n $BACKUPS_ID && -n $RESTORE_ID ]]
}
check backup-storage-visible find_layout || exit 1

owners_state >"$WORK/state-before.txt"
snapshot_taken() {
    echo "owners' files at backup time: $(wc -l <"$WORK/state-before.txt")"
    [[ -s $WORK/state-before.txt ]]
}
check owners-have-data snapshot_taken || exit 1

# --- backup --------------------------------------------------------------------------------
BACKUP_FOLDER_ID=""
start_backup() {
    timeout 120 mtp-newfolder e2e-backup "$BACKUPS_ID" "$STORAGE_ID" | tee "$WORK/newfolder.out"
    BACKUP_FOLDER_ID=$(sed -n 's/^New folder created with ID: \([0-9]*\).*/\1/p' "$WORK/newfolder.out")
    [[ -n $BACKUP_FOLDER_ID ]]
}
check backup-mtp-newfolder start_backup || exit 1

backup_done() {
    local deadline=$((SECONDS + BACKUP_TIMEOUT))
    while ((SECONDS < deadline)); do
        if fetch status.txt "$BACKUP_FOLDER_ID" "$WORK/status.txt"; then
            if grep -qi 'failed' "$WORK/status.txt"; then
                cat "$WORK/status.txt"
                return 1
            fi
            if grep -qi 'done' "$WORK/status.txt"; then
                cat "$WORK/status.txt"
                return 0
            fi
        fi
        sleep 3
    done
    echo "no status.txt saying done within ${BACKUP_TIMEOUT}s"
    return 1
}
check backup-status-done backup_done || exit 1
check backup-mtp-getfile-tar fetch backup.tar "$BACKUP_FOLDER_ID" "$WORK/backup.tar" || exit 1
check backup-mtp-getfile-manifest fetch manifest.json "$BACKUP_FOLDER_ID" "$WORK/manifest.json"
check backup-tar-tvf tar -tvf "$WORK/backup.tar"

# Every object in manifest.json that carries a sha256 and names a tar entry must match it.
verify_hashes() {
    python3 - "$WORK/backup.tar" "$WORK/manifest.json" <<'EOF'
import hashlib, json, sys, tarfile
tar_path, manifest_path = sys.argv[1], sys.argv[2]
with tarfile.open(tar_path) as tar:
    digests = {}
    for member in tar:
        if member.isfile():
            h = hashlib.sha256()
            f = tar.extractfile(member)
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
            digests[member.name] = h.hexdigest()
with open(manifest_path) as f:
    manifest = json.load(f)
inner = digests
checked, bad, missing = 0, [], []
# manifest.json: owners[] { id, volumes[] { name, streams[] { name, kind, size, sha256 } } };
# a stream's name is its tar entry, or relative to owners/<id>/<volume>/ (files/ for files).
for owner in manifest.get("owners", []):
    for volume in owner.get("volumes", []):
        for stream in volume.get("streams", []):
            digest, name = stream.get("sha256"), stream.get("name")
            if not isinstance(digest, str) or not isinstance(name, str):
                continue
            base = f"owners/{owner.get('id')}/{volume.get('name')}/"
            entry = next((c for c in (name, base + name, base + "files/" + name) if c in inner), None)
            if entry is None:
                missing.append(name)
                continue
            checked += 1
            if inner[entry] != digest.lower():
                bad.append(f"{entry}: manifest {digest}, tar {inner[entry]}")
for name in missing:
    bad.append(f"{name}: in manifest.json, not in backup.tar")
print(f"{checked} streams checked, {len(bad)} mismatches")
for line in bad:
    print(line)
sys.exit(0 if checked > 0 and not bad else 1)
EOF
}
check backup-sha256-match-manifest verify_hashes

# --- change the owners' data ------------------------------------------------------------------
change_data() {
    local root files
    root=$(owners_root)
    owner_files >"$WORK/owner-files.txt"
    mapfile -t files <"$WORK/owner-files.txt"
    ((${#files[@]} >= 2)) || { echo "fewer than 2 owner files to change"; return 1; }
    echo "changed after backup" >>"$root/${files[0]}"
    rm -f "$root/${files[1]}"
    owners_state >"$WORK/state-changed.txt"
    echo "appended to ${files[0]}, deleted ${files[1]}"
    ! cmp -s "$WORK/state-before.txt" "$WORK/state-changed.txt"
}
check owners-data-changed change_data || exit 1

# --- restore -------------------------------------------------------------------------------
restore() {
    timeout 600 mtp-sendfile "$WORK/backup.tar" /Restore >"$WORK/sendfile.out" 2>&1
    tr '\r' '\n' <"$WORK/sendfile.out" | grep -v '^Progress'
    grep -q '^New file ID: [0-9]' "$WORK/sendfile.out" || return 1
    local deadline=$((SECONDS + BACKUP_TIMEOUT)) name
    while ((SECONDS < deadline)); do
        timeout 120 mtp-files >"$WORK/files.txt" 2>&1
        name=$(awk -v parent="$RESTORE_ID" '/^   Filename:/ { sub(/^   Filename: /, ""); n = $0 }
            /^   Parent ID:/ && $3 == parent && n ~ /\.result\.txt$/ { print n; exit }' "$WORK/files.txt")
        if [[ -n $name ]] && fetch "$name" "$RESTORE_ID" "$WORK/result.txt"; then
            cat "$WORK/result.txt"
            grep -qi 'success' "$WORK/result.txt"
            return
        fi
        sleep 3
    done
    echo "no .result.txt in /Restore within ${BACKUP_TIMEOUT}s"
    return 1
}
check restore-result-success restore
data_equal() {
    owners_state >"$WORK/state-after.txt"
    diff "$WORK/state-before.txt" "$WORK/state-after.txt"
}
check owners-data-equal-after-restore data_equal
exit 0
