#!/usr/bin/env python3
"""Compares `aft-mtp-cli lsext-r` output with the device's storage folder (one process: a loop of
stat/date/awk per file took tens of seconds in a loaded guest).

usage: aft-lsext.py LSEXT-OUTPUT STORE

lsext-r prints one line per object: id, storage id, format, size, a date, then the path relative to
the storage and a space. The date is ObjectInfo's CaptureDate (MTP's DateCreated) when the device
sends one, else its ModificationDate; AFT turns YYYYMMDDThhmmss into "YYYY-MM-DD hh:mm:ss" and
prints any other form (such as tenths, YYYYMMDDThhmmss.s) as it came. mtpd's DateCreated is the
file's birth time, but never later than its modification time (a file copied onto the device with
its date kept shows that date, as on Android), and the modification time where the file system
keeps no birth time. Every file of STORE must be listed with its size and that date (to the second,
in the guest's time zone, which is mtpd's). Exit status 0 when all match; each mismatch is printed.
"""
import datetime
import os
import re
import subprocess
import sys

LINE = re.compile(r"^\s*(\d+)\s+(\d+)\s+(\S+)\s+(\d+)\s+(.*)$")


def date_created(path):
    # os.stat has no birth time on Linux; stat(1) reads it with statx (%W: 0 or '-' when unknown)
    out = subprocess.run(["stat", "-c", "%W %Y", path], capture_output=True, text=True, check=True).stdout.split()
    born, modified = out[0], int(out[1])
    return min(int(born), modified) if born.isdigit() and born != "0" else modified


def main():
    listing, store = sys.argv[1], sys.argv[2]
    rows = []
    with open(listing, encoding="utf-8", errors="replace") as f:
        for raw in f:
            m = LINE.match(raw.rstrip("\n"))
            if m:
                rows.append((int(m.group(4)), m.group(5)))
    status = 0
    for root, _dirs, files in os.walk(store):
        for name in files:
            path = os.path.join(root, name)
            rel = os.path.relpath(path, store)
            hits = [(size, rest) for size, rest in rows if rest.rstrip(" ").endswith(" " + rel)]
            if not hits:
                print(f"MISSING {rel}")
                status = 1
                continue
            size, rest = hits[0]
            shown = re.sub(r"\D", "", rest.rstrip(" ")[: -len(rel) - 1])[:14]
            want = datetime.datetime.fromtimestamp(date_created(path)).strftime("%Y%m%d%H%M%S")
            got_size = os.path.getsize(path)
            ok = size == got_size and shown == want
            print(f"{'OK   ' if ok else 'WRONG'} {rel}: device size {got_size} date {want}; AFT size {size} date {shown}")
            status |= 0 if ok else 1
    return status


if __name__ == "__main__":
    sys.exit(main())
