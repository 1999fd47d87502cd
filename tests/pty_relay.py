#!/usr/bin/env python3
"""pty_relay.py: a slow link between a terminal and a program, for the lag
tests (tests/e2e_lag.sh) and the slow-link measurement in README.md.

    pty_relay.py [--rate BYTES_PER_S] [--delay-file F] [--log F] -- CMD ARG...

Runs CMD on a pseudo-terminal of this terminal's size. What CMD writes
reaches the terminal at most --rate bytes a second (0: as fast as it
comes), as an SSH session over a slow line would; --log gets, each second,
how long the bytes written in that second had waited, what was still
waiting, and what CMD had written in all ("t=12 delay=3.41 queued=10240
sent=51234"). Keys go straight through; the terminal's cursor-position
answers (ESC [ row ; col R) are held back by the number of seconds in
--delay-file, read at each answer (no file: none), so a test can make the
answers late and then on time again. Exits with CMD's status.
"""
import argparse
import collections
import fcntl
import os
import pty
import re
import select
import struct
import sys
import termios
import time
import tty

CPR = re.compile(rb"\x1b\[[0-9]+;[0-9]+R")


def answer_delay(path):
    try:
        with open(path) as f:
            return float(f.read().strip() or 0)
    except (OSError, ValueError, TypeError):
        return 0.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rate", type=float, default=0)
    ap.add_argument("--delay-file")
    ap.add_argument("--log")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    size = fcntl.ioctl(0, termios.TIOCGWINSZ, b"\0" * 8)
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(cmd[0], cmd)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, size)
    saved = termios.tcgetattr(0)
    tty.setraw(0)
    log = open(a.log, "w", buffering=1) if a.log else None
    out = collections.deque()  # [bytes, arrival time]
    held = []  # (due time, answer bytes)
    queued = sent = 0
    t0 = last = time.monotonic()
    worst, second = 0.0, 0
    child_open = True
    try:
        while child_open or out:
            now = time.monotonic()
            rl = [0] + ([fd] if child_open else [])
            r, _, _ = select.select(rl, [], [], 0.01)
            now = time.monotonic()
            if fd in r:
                try:
                    data = os.read(fd, 65536)
                except OSError:
                    data = b""
                if data:
                    out.append([data, now])
                    queued += len(data)
                    sent += len(data)
                else:
                    child_open = False
            if 0 in r:
                data = os.read(0, 4096)
                if a.delay_file:
                    for m in CPR.finditer(data):
                        held.append((now + answer_delay(a.delay_file), m.group(0)))
                    data = CPR.sub(b"", data)
                if data and child_open:
                    os.write(fd, data)
            for due, ans in [h for h in held if h[0] <= now]:
                if child_open:
                    os.write(fd, ans)
            held = [h for h in held if h[0] > now]
            budget = int((now - last) * a.rate) if a.rate > 0 else 1 << 30
            if a.rate > 0 and budget <= 0:
                continue
            last = now
            while out and budget > 0:
                chunk, t = out[0]
                n = min(len(chunk), budget)
                os.write(1, chunk[:n])
                budget -= n
                queued -= n
                worst = max(worst, now - t)
                if n == len(chunk):
                    out.popleft()
                else:
                    out[0][0] = chunk[n:]
            if log and int(now - t0) > second:
                second = int(now - t0)
                log.write("t=%d delay=%.2f queued=%d sent=%d\n" % (second, worst, queued, sent))
                worst = 0.0
    finally:
        termios.tcsetattr(0, termios.TCSADRAIN, saved)
    _, status = os.waitpid(pid, 0)
    sys.exit(os.waitstatus_to_exitcode(status))


if __name__ == "__main__":
    main()
