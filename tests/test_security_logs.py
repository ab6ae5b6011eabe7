"""Log folders other users can write (issue 14, item 1): never write through a link, never block
on a FIFO, never trust a folder others could plant files in when running as root.

Each attack below once worked: the rotation copied an attacker's file onto the target of a
planted `world-timer.log.YYYY-MM-DD` symlink, a symlinked `world-timer.log` got the lines
appended to its target, a dangling symlinked lock file made root create its target, and a FIFO
as the log or the lock file hung the run for ever. Real processes, real files; the attacker is
`nobody` through runuser where the machine allows it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

WORLD_TIMER = [sys.executable, "-m", "world_timer"]
LOG = "world-timer.log"
LOCK = ".world-timer.log.lock"
PRECIOUS = "precious\n"
ROOT = os.geteuid() == 0
RUNUSER = shutil.which("runuser")
as_root = pytest.mark.skipif(not ROOT, reason="the folder checks apply when running as root")


def run(
    log_dir: Path, *places: str, prefix: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    """`world-timer --format plain PLACES` logging to `log_dir` (run under `prefix`)."""
    environment = {**os.environ, "TZ": "UTC", "WORLD_TIMER_LOG_DIR": str(log_dir)}
    return subprocess.run(
        [*prefix, *WORLD_TIMER, "--format", "plain", *(places or ("Tokyo",))],
        env=environment,
        capture_output=True,
        text=True,
        timeout=30,  # a FIFO once hung this for ever
        check=False,
    )


def one_warning(done: subprocess.CompletedProcess[str], text: str) -> None:
    """Times printed, exit 0, and exactly one warning line that contains `text`."""
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Tokyo, Japan\tAsia/Tokyo\t"), done.stdout
    assert "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("warning: "), done.stderr
    assert text in done.stderr, done.stderr


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    """A file of ours outside the log folder (think authorized_keys)."""
    target = tmp_path / "precious"
    target.write_text(PRECIOUS, encoding="utf-8")
    return target


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A log folder of this process's own, safe by every check."""
    path = tmp_path / "logs"
    path.mkdir(mode=0o755)
    return path


def _yesterday() -> tuple[str, float]:
    moment = datetime.now(UTC) - timedelta(days=1)
    return moment.date().isoformat(), moment.replace(hour=12).timestamp()


def test_a_symlinked_dated_file_is_never_written_through(folder: Path, victim: Path) -> None:
    """The issue's reproduction in a folder the checks accept: rotation must not copy into it."""
    day, stamp = _yesterday()
    (folder / LOG).write_text("ssh-ed25519 AAAA attacker\n", encoding="utf-8")
    os.utime(folder / LOG, (stamp, stamp))
    (folder / f"{LOG}.{day}").symlink_to(victim)
    one_warning(
        run(folder), f"cannot write the log file {folder / f'{LOG}.{day}'}: a symbolic link"
    )
    assert victim.read_text(encoding="utf-8") == PRECIOUS


def test_a_dated_file_planted_meanwhile_as_a_link_is_replaced_not_followed(folder: Path) -> None:
    day, stamp = _yesterday()
    (folder / LOG).write_text("yesterday's line\n", encoding="utf-8")
    os.utime(folder / LOG, (stamp, stamp))
    done = run(folder)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert (folder / f"{LOG}.{day}").read_text(encoding="utf-8") == "yesterday's line\n"
    assert "query='Tokyo'" in (folder / LOG).read_text(encoding="utf-8")


def test_a_symlinked_log_file_gets_nothing_appended(folder: Path, victim: Path) -> None:
    (folder / LOG).symlink_to(victim)
    one_warning(run(folder), f"cannot write the log file {folder / LOG}: a symbolic link (refused)")
    assert victim.read_text(encoding="utf-8") == PRECIOUS


def test_a_hard_link_to_another_file_is_refused(folder: Path, victim: Path) -> None:
    os.link(victim, folder / LOG)
    one_warning(run(folder), f"cannot write the log file {folder / LOG}: has other hard links")
    assert victim.read_text(encoding="utf-8") == PRECIOUS


def test_a_dangling_symlinked_lock_file_creates_nothing(folder: Path, tmp_path: Path) -> None:
    target = tmp_path / "created-by-root"
    (folder / LOCK).symlink_to(target)
    one_warning(run(folder), f"cannot write the lock file {folder / LOCK}: a symbolic link")
    assert not target.exists() and not target.is_symlink()
    assert not (folder / LOG).exists()


@pytest.mark.parametrize("name", [LOG, LOCK])
def test_a_fifo_never_hangs_the_run(folder: Path, name: str) -> None:
    os.mkfifo(folder / name)
    kind = "lock file" if name == LOCK else "log file"
    done = run(folder)
    one_warning(done, f"cannot write the {kind} {folder / name}: not a regular file (refused)")
    assert run(folder).returncode == 0  # nor the next one


def test_a_folder_as_the_log_file_is_one_warning(folder: Path) -> None:
    (folder / LOG).mkdir()
    one_warning(run(folder), f"cannot write the log file {folder / LOG}: ")


def test_retention_never_follows_a_link(folder: Path, victim: Path) -> None:
    old = [f"{LOG}.2020-01-{day:02d}" for day in range(1, 32)]
    for name in old[:-1]:
        (folder / name).write_text("old\n", encoding="utf-8")
    (folder / old[-1]).symlink_to(victim)  # newest name, a link: never counted, never deleted
    done = run(folder)
    assert done.returncode == 0, done.stderr
    assert victim.read_text(encoding="utf-8") == PRECIOUS


# --- As root: folders others could plant files in ----------------------------------------------


@as_root
@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        (0o777, "writable by anyone, without the sticky bit (refused when running as root)"),
        (0o775, "writable by group 65534, without the sticky bit"),
    ],
)
def test_root_refuses_a_folder_others_can_write(folder: Path, mode: int, reason: str) -> None:
    os.chown(folder, 0, 65534)
    folder.chmod(mode)
    one_warning(run(folder), f"cannot write logs to {folder}: {reason}")
    assert list(folder.iterdir()) == []


@as_root
def test_root_accepts_a_sticky_folder_like_tmp(folder: Path) -> None:
    folder.chmod(0o1777)
    done = run(folder)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert "query='Tokyo'" in (folder / LOG).read_text(encoding="utf-8")


@pytest.fixture
def searchable() -> Iterator[Path]:
    """A folder that `nobody` can reach (pytest's own temporary folders are private to root)."""
    path = Path(tempfile.mkdtemp(prefix="wt-security-"))
    path.chmod(0o755)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _runuser_works(user: str, *command: str) -> bool:
    if not ROOT or RUNUSER is None:
        return False
    probe = subprocess.run(
        [RUNUSER, "-u", user, "--", *command], capture_output=True, timeout=30, check=False
    )
    return probe.returncode == 0


@as_root
@pytest.mark.skipif(RUNUSER is None, reason="runuser (util-linux) is not installed")
def test_the_issue_reproduction_an_attacker_owned_folder(searchable: Path, victim: Path) -> None:
    """`nobody` owns the folder and plants today's file and a dated symlink to root's file."""
    if not _runuser_works("nobody", "true"):
        pytest.skip("runuser cannot switch to nobody here")
    folder = searchable / "attacker"
    folder.mkdir(mode=0o755)
    os.chown(folder, 65534, 65534)
    day, stamp = _yesterday()
    plant = (
        f"echo 'ssh-ed25519 AAAA attacker' > {folder / LOG};"
        f" touch -d @{int(stamp)} {folder / LOG}; ln -s {victim} {folder / f'{LOG}.{day}'}"
    )
    subprocess.run([RUNUSER, "-u", "nobody", "--", "sh", "-c", plant], check=True, timeout=30)
    one_warning(run(folder), f"cannot write logs to {folder}: owned by another user (uid 65534)")
    assert victim.read_text(encoding="utf-8") == PRECIOUS
    assert (folder / LOG).read_text(encoding="utf-8") == "ssh-ed25519 AAAA attacker\n"


def _as_nobody() -> tuple[str, ...]:
    """A prefix that runs this Python as uid 65534: runuser when nobody can reach the
    interpreter, else setpriv keeping only CAP_DAC_READ_SEARCH (to search a private folder on
    the interpreter's path, such as /root/.pyenv); skips when neither works here."""
    check = (sys.executable, "-c", "import world_timer")
    if RUNUSER is not None and _runuser_works("nobody", *check):
        return (RUNUSER, "-u", "nobody", "--")
    setpriv = shutil.which("setpriv")
    if setpriv is not None:
        prefix = (setpriv, "--reuid", "65534", "--regid", "65534", "--clear-groups")
        prefix += ("--inh-caps", "+dac_read_search", "--ambient-caps", "+dac_read_search")
        probe = subprocess.run([*prefix, *check], capture_output=True, timeout=30, check=False)
        if probe.returncode == 0:
            return prefix
    pytest.skip(f"cannot run {sys.executable} as nobody here")


@as_root
@pytest.mark.parametrize("planted", ["symlink", "fifo"])
def test_a_non_root_owner_refuses_links_and_fifos_too(searchable: Path, planted: str) -> None:
    """World Timer run by `nobody` in its own folder, with a link to a file of its, or a FIFO."""
    prefix = _as_nobody()
    folder = searchable / "nobody"
    folder.mkdir()
    os.chown(folder, 65534, 65534)
    mine = searchable / "mine"
    mine.write_text(PRECIOUS, encoding="utf-8")
    os.chown(mine, 65534, 65534)
    if planted == "symlink":
        (folder / LOG).symlink_to(mine)
    else:
        os.mkfifo(folder / LOG, 0o666)
        os.chown(folder / LOG, 65534, 65534, follow_symlinks=False)
    reason = "a symbolic link" if planted == "symlink" else "not a regular file"
    one_warning(run(folder, prefix=prefix), f"{folder / LOG}: {reason} (refused)")
    assert mine.read_text(encoding="utf-8") == PRECIOUS
    done = run(folder, prefix=prefix)  # and in a folder of its own, `nobody` is not refused
    assert done.returncode == 0 and "cannot write logs to" not in done.stderr


def test_a_handler_closed_by_dictconfig_keeps_writing(folder: Path) -> None:
    """Granian's start runs logging.config.dictConfig, which closes every existing handler: the
    log folder's descriptor is then opened again (same checks) rather than lines lost."""
    import logging.config

    from world_timer.ops.logs import configure_logging, log_event

    configure_logging(folder)
    log_event("before")
    logging.config.dictConfig({"version": 1, "disable_existing_loggers": False})
    log_event("after")
    text = (folder / LOG).read_text(encoding="utf-8")
    assert "event=before" in text and "event=after" in text


def test_batched_lines_are_written_together_in_order_with_the_same_checks(folder: Path) -> None:
    """`now` logs its places inside `batched()`: one lock and one open for the lot (1,000 places
    took 1,000 of each, ~0.1 s); nothing is written before the block ends, nothing lost."""
    from world_timer.ops.logs import batched, configure_logging, log_event

    configure_logging(folder)
    with batched():
        for name in ("first", "second", "third"):
            log_event(name)
        assert not (folder / LOG).exists() or "event=first" not in (folder / LOG).read_text()
    lines = (folder / LOG).read_text(encoding="utf-8").splitlines()
    assert [line.split("event=")[1].split()[0] for line in lines] == ["first", "second", "third"]
    (folder / LOG).unlink()
    (folder / LOG).symlink_to(folder / "elsewhere")  # planted meanwhile: refused, as ever
    with batched():
        log_event("fourth")
    assert not (folder / "elsewhere").exists()
