#!/usr/bin/env python3
"""Where the time of an edit goes, from mtpd's log at --log-level trace.

Usage: mtpd-edit-timing.py MTPD-LOG HANDLE

For each TruncateObject and SendPartialObject of the object HANDLE (the first parameter) it
splits the transaction into: the command's arrival (TRACE "command") to its handler (DEBUG line),
the handler to the response sent (TRACE "response"; includes a data phase from the host), and the
response to the next command's arrival (the host's side: usbfs, the host program, FUSE, the
application). Prints count, sum, median, 10th and 90th percentile and mean, in ms.
"""
import re
import sys

LINE = re.compile(r'(\d\d):(\d\d):(\d\d)\.(\d\d\d) (TRACE|DEBUG) +\[\S+\] \w+: (\w+) (?:Command|Response)'
                  r'\[0x(\w+) tid=(\d+) params=\[(.*)\]\]')
NAMES = {'95C3': 'TruncateObject', '95C2': 'SendPartialObject'}


def main(log, handle):
    tx, order = {}, []
    with open(log, encoding='utf-8', errors='replace') as f:
        for line in f:
            m = LINE.match(line)
            if not m:
                continue
            t = int(m[1]) * 3600 + int(m[2]) * 60 + int(m[3]) + int(m[4]) / 1000
            tid = int(m[8])
            if m[6] == 'command':
                order.append(tid)
                tx[tid] = {'code': m[7].upper(), 'params': m[9], 'cmd': t}
            elif tid in tx:
                tx[tid]['resp' if m[6] == 'response' else 'start'] = t
    stats = {}
    for i, tid in enumerate(order[:-1]):
        x = tx[tid]
        if x['code'] not in NAMES or not x['params'].startswith(handle + ','):
            continue
        if 'resp' not in x or 'start' not in x:
            continue
        s = stats.setdefault(x['code'], {'command->handler': [], 'handler->response sent': [],
                                         'response sent->next command': []})
        s['command->handler'].append(x['start'] - x['cmd'])
        s['handler->response sent'].append(x['resp'] - x['start'])
        s['response sent->next command'].append(tx[order[i + 1]]['cmd'] - x['resp'])
    for code, s in stats.items():
        for part, v in s.items():
            v.sort()
            n = len(v)
            print('%-17s %-28s n=%d sum=%5.1fs median=%3.0f p10=%3.0f p90=%3.0f mean=%5.1f' % (
                NAMES[code], part, n, sum(v), 1000 * v[n // 2], 1000 * v[n // 10], 1000 * v[9 * n // 10], 1000 * sum(v) / n))


if __name__ == '__main__':
    if len(sys.argv) != 3:
        sys.exit('usage: mtpd-edit-timing.py MTPD-LOG HANDLE')
    main(sys.argv[1], sys.argv[2])
