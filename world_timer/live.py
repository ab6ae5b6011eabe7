"""Live view: redraw a frame in place on a terminal every second, until `q` or Ctrl-C.

The terminal is put in cbreak mode (keys arrive one by one, unechoed; Ctrl-C still raises
KeyboardInterrupt) and always restored, with the cursor shown again, in a `finally`. Frames are
redrawn in place by moving the cursor up over the previous frame (ECMA-48 CPL and ED), so the
last frame stays on screen after quitting. Imported only by the live commands: termios and tty
are POSIX-only and the plain `world-timer` never needs them.
"""

from __future__ import annotations

import os
import re
import select
import shutil
import signal
import termios
import time
import tty
from collections.abc import Callable
from datetime import datetime
from typing import TextIO

HIDE_CURSOR = "\x1b[?25l"
SHOW_CURSOR = "\x1b[?25h"
CLEAR_BELOW = "\x1b[J"
QUIT_KEYS = (b"q", b"Q")
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def run_live(
    frame: Callable[[datetime], str],
    now: Callable[[], datetime],
    out: TextIO,
    keys: TextIO | None,
    max_frames: int | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Draw `frame(now())` every second (on the second) in place on `out` until `q` is pressed.

    `keys` is the terminal to read keys from (put in cbreak mode, restored on return), or None
    to only stop on Ctrl-C. `max_frames` bounds the loop (None: until `q` or Ctrl-C); `sleep`
    waits between frames when there are no keys to wait for. Ctrl-C raises KeyboardInterrupt
    after the terminal has been restored.
    """
    fd = keys.fileno() if keys is not None and keys.isatty() else None
    saved = termios.tcgetattr(fd) if fd is not None else None
    rows = 0
    drawn = 0
    # SIGTERM and SIGHUP must restore the terminal too: turn them into SystemExit(128 + n),
    # which runs the `finally` below (as KeyboardInterrupt does for Ctrl-C).
    previous = {sig: signal.signal(sig, _exit_on_signal) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        if fd is not None:
            tty.setcbreak(fd, termios.TCSANOW)
        out.write(HIDE_CURSOR)
        while max_frames is None or drawn < max_frames:
            text = frame(now())
            up = f"\x1b[{rows}F" if rows else "\r"
            out.write(up + CLEAR_BELOW + text)
            out.flush()
            drawn += 1
            rows = screen_rows(text, shutil.get_terminal_size().columns)
            wait = 1 - now().microsecond / 1_000_000
            if fd is None:
                sleep(wait)
            elif _quit_pressed(fd, wait):
                return
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if fd is not None and saved is not None:
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)
        out.write(SHOW_CURSOR)
        out.flush()


def _exit_on_signal(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


def _quit_pressed(fd: int, timeout: float) -> bool:
    """Wait up to `timeout` seconds for keys; True when one of them is a quit key."""
    ready, _, _ = select.select([fd], [], [], max(timeout, 0))
    if not ready:
        return False
    pressed = os.read(fd, 64)
    if not pressed:  # end of input: nothing more to wait for but Ctrl-C
        time.sleep(max(timeout, 0))
        return False
    return any(key in pressed for key in QUIT_KEYS)


def screen_rows(text: str, columns: int) -> int:
    """Terminal rows `text` (ending in a newline) takes at `columns` wide, long lines wrapping."""
    width = max(columns, 1)
    lines = text.removesuffix("\n").split("\n")
    return sum(max(1, -(-len(_ANSI.sub("", line)) // width)) for line in lines)
