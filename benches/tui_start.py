#!/usr/bin/env python3
"""Times `rolecall` from spawn to its first frame, in a pseudo-terminal.

Used by benches/tui_start.sh. Each run forks rolecall on a new pty whose window
size is set (TIOCSWINSZ) before exec, reads what it writes until the first
frame's last row has been drawn, records the time since the fork, then sends
`q` and waits for it to exit (it must exit 0).

The first frame is complete when the title's profile count (e.g.
"10000 profiles") and then the status line's last hint ("? help") have been
written: ratatui writes a frame row by row, and the status line is the last row.

    tui_start.py --runs 20 [--time-v FILE] -- ROLECALL [ARGS...]

With --time-v, rolecall runs under `/usr/bin/time -v -o FILE` (for its peak RSS).
Prints one line per run and then median and p95 in milliseconds.
"""

import argparse
import fcntl
import os
import pty
import select
import statistics
import struct
import sys
import termios
import time

COLS, ROWS = 120, 40
TIMEOUT = 30.0


def read_until(fd, markers, deadline):
    """Reads from fd until every marker has appeared, in order; returns the bytes."""
    seen = b""
    at = 0
    for marker in markers:
        while True:
            found = seen.find(marker, at)
            if found >= 0:
                at = found + len(marker)
                break
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no {marker!r} in the output; got {seen[-400:]!r}")
            ready, _, _ = select.select([fd], [], [], left)
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:  # EIO: the child closed the pty
                    chunk = b""
                if not chunk:
                    raise EOFError(f"rolecall exited before {marker!r}; got {seen[-400:]!r}")
                seen += chunk
    return seen


def drain_and_wait(fd, pid, deadline):
    """Reads until the child exits (so it never blocks writing); returns its status."""
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        if time.monotonic() > deadline:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            raise TimeoutError("rolecall did not exit after q")
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                os.read(fd, 65536)
            except OSError:
                pass


def one_run(argv, markers):
    start = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(1, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
        try:
            os.execv(argv[0], argv)
        finally:
            os._exit(127)
    deadline = start + TIMEOUT
    try:
        read_until(fd, markers, deadline)
        elapsed = time.monotonic() - start
        os.write(fd, b"q")
        status = drain_and_wait(fd, pid, deadline)
    finally:
        os.close(fd)
    if not (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0):
        raise RuntimeError(f"rolecall ended with wait status {status}")
    return elapsed


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--runs", type=int, default=20)
    p.add_argument("--profiles", type=int, default=10000)
    p.add_argument("--time-v", metavar="FILE")
    p.add_argument("command", nargs=argparse.REMAINDER)
    a = p.parse_args()
    command = a.command[1:] if a.command[:1] == ["--"] else a.command
    if not command:
        p.error("no rolecall command given")
    if a.time_v:
        command = ["/usr/bin/time", "-v", "-o", a.time_v] + command
    markers = [str(a.profiles).encode(), b"profiles", b"? help"]
    times = []
    for i in range(a.runs):
        t = one_run(command, markers)
        times.append(t * 1000)
        print(f"run {i + 1:2}: {t * 1000:7.1f} ms", flush=True)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(
        f"spawn to first frame, {len(times)} runs: median {statistics.median(times):.1f} ms,"
        f" p95 {p95:.1f} ms, min {times[0]:.1f} ms, max {times[-1]:.1f} ms"
    )


if __name__ == "__main__":
    sys.exit(main())
