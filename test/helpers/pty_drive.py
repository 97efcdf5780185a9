"""Runs a command on a pseudo-terminal and types into it, for the tests that
need a real terminal (the picker, openTty's prompts).

stdin: JSON {"argv": [...], "steps": [{"expect": TEXT, "send": TEXT}],
             "env": {...},            (optional; default: this process's)
             "stdin": "tty" | "null", (optional; default "tty")
             "stdout": PATH,          (optional; default: the terminal)
             "stderr": "tty" | "stdout", (optional; default "tty")
             "columns": N, "rows": N} (optional; default 120 x 30)
"stdin": "null" with "stderr": "stdout" leaves the command no way to reach
the user but its controlling terminal (/dev/tty); "stdin": "tty" with only
stdout in a file is an interactive session, as in `eval "$(awsmfa export)"`.
Each step waits until TEXT has appeared on the terminal after the previous
step's match, then types SEND. stdout: JSON {"transcript": str,
"status": int} (or {"error": ..., "transcript": ...} and exit 1 when an
expected text never came).
"""
import fcntl
import json
import os
import pty
import select
import struct
import sys
import termios
import time

cfg = json.load(sys.stdin)
pid, master = pty.fork()
if pid == 0:
    if cfg.get("stdin", "tty") == "null":
        # Keep one descriptor on the terminal: with none open, the parent's
        # reads fail (EIO) until the command opens /dev/tty itself.
        keep = os.dup(0)
        os.set_inheritable(keep, True)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
    if "stdout" in cfg:
        out = os.open(cfg["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(out, 1)
        os.close(out)
    if cfg.get("stderr", "tty") == "stdout":
        os.dup2(1, 2)
    if "env" in cfg:
        os.execvpe(cfg["argv"][0], cfg["argv"], cfg["env"])
    os.execvp(cfg["argv"][0], cfg["argv"])

fcntl.ioctl(master, termios.TIOCSWINSZ,
            struct.pack("HHHH", cfg.get("rows", 30), cfg.get("columns", 120), 0, 0))
seen = b""


def read_some(timeout):
    global seen
    ready, _, _ = select.select([master], [], [], timeout)
    if not ready:
        return True
    try:
        data = os.read(master, 65536)
    except OSError:
        return False  # EIO: the child closed the terminal (or is gone)
    if not data:
        return False
    seen += data
    return True


pos = 0
for step in cfg["steps"]:
    want = step["expect"].encode()
    deadline = time.monotonic() + 30
    while seen.find(want, pos) < 0:
        if time.monotonic() > deadline or not read_some(0.5):
            sys.stdout.write(json.dumps({"error": "never saw " + step["expect"],
                                         "transcript": seen.decode("utf-8", "replace")}))
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            sys.exit(1)
    pos = seen.find(want, pos) + len(want)
    os.write(master, step["send"].encode())

deadline = time.monotonic() + 30
while time.monotonic() < deadline and read_some(0.5):
    pass
_, status = os.waitpid(pid, 0)
sys.stdout.write(json.dumps({"transcript": seen.decode("utf-8", "replace"),
                             "status": os.waitstatus_to_exitcode(status)}))
