#!/usr/bin/env python3
"""File operations the go-mtpfs suite applies twice: to a file in the FUSE mount of the device and
to a reference copy on the guest's own disk. The device's file must then equal the reference byte
for byte. Content is derived from a seed, so both runs write the same bytes.

usage: fsops.py pieces PATH SEED          create PATH, write it in pieces of odd sizes, close
       fsops.py overwrite PATH OFFSET TEXT write TEXT at OFFSET of an existing file (no truncation)
       fsops.py twofiles A B SEED          open A and B, interleave writes to both, close both
       fsops.py readback PATH SEED         open r+, write, read back before closing: the bytes just written
       fsops.py hold PATH OFFSET TEXT READY write TEXT at OFFSET, touch READY, then stay open forever
"""
import os
import sys
import time


def chunk(seed, n, length):
    """length deterministic bytes for piece n of seed (no repeating blocks that could hide a shift)."""
    out = bytearray()
    x = (seed * 1000003 + n * 7919) & 0xFFFFFFFF
    while len(out) < length:
        x = (x * 1103515245 + 12345) & 0xFFFFFFFF
        out += x.to_bytes(4, "little")
    return bytes(out[:length])


SIZES = [1, 511, 512, 513, 4096, 65536, 131072 + 7, 3]


def write_all(fd, data):
    while data:
        n = os.write(fd, data)
        data = data[n:]


def pieces(path, seed):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    for i, size in enumerate(SIZES):
        write_all(fd, chunk(seed, i, size))
    os.close(fd)


def overwrite(path, offset, text):
    fd = os.open(path, os.O_WRONLY)
    os.lseek(fd, offset, os.SEEK_SET)
    write_all(fd, text.encode())
    os.close(fd)


def twofiles(a, b, seed):
    fa = os.open(a, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    fb = os.open(b, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    for i, size in enumerate(SIZES):
        write_all(fa, chunk(seed, i, size))
        write_all(fb, chunk(seed + 1, i, size))
    os.close(fb)
    os.close(fa)


def readback(path, seed):
    fd = os.open(path, os.O_RDWR)
    data = chunk(seed, 99, 10000)
    os.lseek(fd, 50, os.SEEK_SET)
    write_all(fd, data)
    got = os.pread(fd, len(data), 50)
    os.close(fd)
    if got != data:
        sys.exit("read back %d bytes before close, %d differ" % (len(got), sum(1 for x, y in zip(got, data) if x != y) + abs(len(got) - len(data))))


def hold(path, offset, text, ready):
    fd = os.open(path, os.O_WRONLY)
    os.lseek(fd, offset, os.SEEK_SET)
    write_all(fd, text.encode())
    # FUSE passes the write to go-mtpfs at once (no write-back cache): it is on the device now.
    open(ready, "w").close()
    while True:
        time.sleep(3600)


def main(argv):
    op = argv[1]
    if op == "pieces":
        pieces(argv[2], int(argv[3]))
    elif op == "overwrite":
        overwrite(argv[2], int(argv[3]), argv[4])
    elif op == "twofiles":
        twofiles(argv[2], argv[3], int(argv[4]))
    elif op == "readback":
        readback(argv[2], int(argv[3]))
    elif op == "hold":
        hold(argv[2], int(argv[3]), argv[4], argv[5])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
