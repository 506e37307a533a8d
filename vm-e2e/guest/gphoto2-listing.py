#!/usr/bin/env python3
"""Compares gphoto2's listings with the device's storage folder (used by suites/15-gphoto2.sh).

    gphoto2-listing.py OUTPUT STORE STORAGE_DIR folders|files|times

OUTPUT is what `gphoto2 --list-folders --list-files` printed (other actions' output may be mixed
in), STORE the storage's folder on the device side, STORAGE_DIR gphoto2's name for the storage
(/store_XXXXXXXX). gphoto2 prints, per folder, a header "There are N folders in folder 'F'."
followed by lines " - NAME", and "There are N files in folder 'F'." followed by lines
"#I NAME PERMS SIZE KB MIME MTIME". One process for every comparison: each process start costs
seconds in the emulated guest.

  folders  every folder of STORE is listed under its parent, each folder's count is right
  files    every file of STORE is listed in its folder, each folder's count is right
  times    the MTIME gphoto2 shows for each file is its modification time on the device
Prints what differs and exits 1, or exits 0.
"""
import os
import re
import sys

HEADER = re.compile(r"^There (?:are|is) (\d+|no) (folders?|files?) in folder '(.*)'\.?$")


def parse(path):
    """{(kind, folder): (count, {name: fields})} from gphoto2's output."""
    listing = {}
    current = None
    with open(path, encoding="utf-8", errors="replace") as out:
        for line in out:
            line = line.rstrip("\n")
            header = HEADER.match(line)
            if header:
                count = 0 if header.group(1) == "no" else int(header.group(1))
                kind = "folder" if header.group(2).startswith("folder") else "file"
                current = (kind, header.group(3))
                listing[current] = (count, {})
                continue
            if current is None:
                continue
            kind = current[0]
            if kind == "folder" and line.startswith(" - "):
                listing[current][1][line[3:]] = []
            elif kind == "file" and re.match(r"^#\d+ ", line):
                fields = line.split()
                listing[current][1][fields[1]] = fields
            else:
                current = None
    return listing


def main():
    output, store, storage_dir, what = sys.argv[1:5]
    listing = parse(output)
    problems = []
    for root, dirs, files in os.walk(store):
        rel = os.path.relpath(root, store)
        folder = storage_dir if rel == "." else storage_dir + "/" + rel
        kind, names = ("folder", dirs) if what == "folders" else ("file", files)
        entry = listing.get((kind, folder))
        if entry is None:
            problems.append(f"no {kind} listing of {folder}")
            continue
        count, listed = entry
        if count != len(names) or len(listed) != len(names):
            problems.append(f"{folder}: gphoto2 says {count} {kind}s and lists {sorted(listed)}, the device has {sorted(names)}")
        for name in names:
            if name not in listed:
                problems.append(f"{folder}/{name} not listed")
            elif what == "times":
                mtime = int(os.stat(os.path.join(root, name)).st_mtime)
                shown = listed[name][-1]
                print(f"{folder}/{name}: device mtime {mtime}, gphoto2 shows {shown}")
                if shown != str(mtime):
                    problems.append(f"{folder}/{name}: gphoto2 shows time {shown}, the device's file has {mtime}")
    for problem in problems:
        print(problem)
    if not problems:
        print(f"gphoto2's {what} agree with {store}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
