#!/usr/bin/env python3
"""A minimal PTP/MTP initiator straight on Linux usbfs (no libmtp, no libusb), for what the
mtp-tools and go-mtpfs cannot show: the response containers exactly as they cross a real USB stack.

    ptp-probe.py VID PID create-like-fuse-host NAME
        Creates an empty file in the first storage's root the way the issue's FUSE host does:
        GetObjectHandles, GetObjectInfo of each object, then SendObjectPropList(storage,
        0xFFFFFFFF, Undefined, size 0) naming the file. Like that host it reads FOUR response
        parameters (storage, parent, handle, index of the failed element): with fewer it gives up,
        closes the session and the file system call fails with "Input/output error" (exit 1).
        It also checks what they hold: the storage, 0xFFFFFFFF for the root, a handle that
        GetObjectInfo knows by NAME, and 0. Prints the response containers it got.
"""
import ctypes
import fcntl
import glob
import os
import struct
import sys

USBDEVFS_BULK = 0xC0185502            # _IOWR('U', 2, struct usbdevfs_bulktransfer), 64-bit layout
USBDEVFS_CLAIMINTERFACE = 0x8004550F  # _IOR('U', 15, unsigned int)
USBDEVFS_RELEASEINTERFACE = 0x80045510

COMMAND, DATA, RESPONSE = 1, 2, 3
OK = 0x2001


class BulkTransfer(ctypes.Structure):
    _fields_ = [("ep", ctypes.c_uint), ("len", ctypes.c_uint), ("timeout", ctypes.c_uint), ("data", ctypes.c_void_p)]


def find(vid, pid):
    for d in glob.glob("/sys/bus/usb/devices/*"):
        try:
            if open(d + "/idVendor").read().strip() == vid and open(d + "/idProduct").read().strip() == pid:
                bus = int(open(d + "/busnum").read())
                dev = int(open(d + "/devnum").read())
                eps = {}
                for ep in glob.glob(d + ":1.0/ep_*"):
                    kind = open(ep + "/type").read().strip()
                    direction = open(ep + "/direction").read().strip()
                    eps[(kind, direction)] = int(open(ep + "/bEndpointAddress").read(), 16)
                return "/dev/bus/usb/%03d/%03d" % (bus, dev), eps
        except OSError:
            continue
    sys.exit("no USB device %s:%s" % (vid, pid))


class Initiator:
    def __init__(self, path, eps):
        self.fd = os.open(path, os.O_RDWR)
        fcntl.ioctl(self.fd, USBDEVFS_CLAIMINTERFACE, struct.pack("I", 0))
        self.ep_in = eps[("Bulk", "in")]
        self.ep_out = eps[("Bulk", "out")]
        self.next_tid = 1
        self.packet = 512

    def bulk(self, ep, data=None, size=0, timeout=20000):
        buf = ctypes.create_string_buffer(data if data is not None else size, len(data) if data is not None else size)
        t = BulkTransfer(ep, len(buf), timeout, ctypes.cast(buf, ctypes.c_void_p))
        n = fcntl.ioctl(self.fd, USBDEVFS_BULK, t)
        return buf.raw[:n]

    def send(self, kind, code, tid, payload=b""):
        c = struct.pack("<IHHI", 12 + len(payload), kind, code, tid) + payload
        self.bulk(self.ep_out, c)
        if len(c) % self.packet == 0:
            self.bulk(self.ep_out, b"")  # ZLP ends a container of whole packets

    def receive(self):
        """The next container: (type, code, transaction id, payload)."""
        got = self.bulk(self.ep_in, size=1 << 20)
        length, kind, code, tid = struct.unpack_from("<IHHI", got)
        while len(got) < length:
            got += self.bulk(self.ep_in, size=1 << 20)
        return kind, code, tid, got[12:length]

    def transaction(self, code, params=(), data_out=None):
        """Runs one transaction; returns (response code, response params, data in)."""
        if code == 0x1002:  # OpenSession goes with TransactionID 0; the session's transactions count from 1
            tid, self.next_tid = 0, 1
        else:
            tid, self.next_tid = self.next_tid, self.next_tid + 1
        self.send(COMMAND, code, tid, b"".join(struct.pack("<I", p & 0xFFFFFFFF) for p in params))
        if data_out is not None:
            self.send(DATA, code, tid, data_out)
        data = b""
        kind, rcode, rtid, payload = self.receive()
        if kind == DATA:
            data = payload
            kind, rcode, rtid, payload = self.receive()
        if kind != RESPONSE or rtid != tid:
            sys.exit("protocol: container type %d tid %d after 0x%04X (tid %d)" % (kind, rtid, code, tid))
        rparams = list(struct.unpack("<%dI" % (len(payload) // 4), payload))
        print("0x%04X %s -> 0x%04X %s (response container %d bytes)" % (code, [hex(p) for p in params], rcode,
                                                                          [hex(p) for p in rparams], 12 + len(payload)))
        return rcode, rparams, data

    def close(self):
        fcntl.ioctl(self.fd, USBDEVFS_RELEASEINTERFACE, struct.pack("I", 0))
        os.close(self.fd)


def ptp_string(s):
    if not s:
        return b"\x00"
    u = (s + "\x00").encode("utf-16-le")
    return bytes([len(u) // 2]) + u


def read_string(b, at):
    n = b[at]
    return b[at + 1:at + 1 + 2 * n].decode("utf-16-le").rstrip("\x00"), at + 1 + 2 * n


def object_info_name(info):
    # ObjectInfo: 52 bytes of fixed fields, then Filename.
    return read_string(info, 52)[0]


def create_like_fuse_host(host, name):
    code, _, _ = host.transaction(0x1002, [1])
    if code == 0x201E:  # a session is open (an earlier host): close it and open ours, as go-mtpfs does
        host.transaction(0x1003)
        code, _, _ = host.transaction(0x1002, [1])
    if code != OK:
        sys.exit("OpenSession failed: 0x%04X" % code)
    code, _, data = host.transaction(0x1004)
    storage = struct.unpack_from("<I", data, 4)[0]
    code, _, data = host.transaction(0x1007, [storage, 0, 0xFFFFFFFF])
    count = struct.unpack_from("<I", data)[0]
    for i in range(count):
        host.transaction(0x1008, [struct.unpack_from("<I", data, 4 + 4 * i)[0]])
    plist = struct.pack("<I", 1) + struct.pack("<IHH", 0, 0xDC07, 0xFFFF) + ptp_string(name)
    code, params, _ = host.transaction(0x9808, [storage, 0xFFFFFFFF, 0x3000, 0, 0], plist)
    if code != OK:
        sys.exit("SendObjectPropList refused: 0x%04X %s" % (code, params))
    if len(params) < 4:
        host.transaction(0x1003)
        sys.exit("SendObjectPropList answered %d response parameters; this host reads four (MTP: storage, parent, "
                 "handle, index of the failed property), so it closed the session: Input/output error" % len(params))
    problems = []
    if params[0] != storage:
        problems.append("parameter 1 is not the storage 0x%08X" % storage)
    if params[1] != 0xFFFFFFFF:
        problems.append("parameter 2 is not 0xFFFFFFFF (the root)")
    if params[3] != 0:
        problems.append("parameter 4 (failed element) is not 0 on success")
    code, _, info = host.transaction(0x1008, [params[2]])
    if code != OK or object_info_name(info) != name:
        problems.append("parameter 3 is not the new object's handle")
    host.transaction(0x1003)
    if problems:
        sys.exit("; ".join(problems))
    print("created %s as handle 0x%08X" % (name, params[2]))


def main(argv):
    if len(argv) != 5 or argv[3] != "create-like-fuse-host":
        sys.exit(__doc__)
    path, eps = find(argv[1].lower().replace("0x", "").zfill(4), argv[2].lower().replace("0x", "").zfill(4))
    host = Initiator(path, eps)
    try:
        create_like_fuse_host(host, argv[4])
    finally:
        host.close()


if __name__ == "__main__":
    main(sys.argv)
