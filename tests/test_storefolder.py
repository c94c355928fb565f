"""The per-master folder of the rate-limit store and the progress board: made, held, swept.

The unit tests hold folders from subprocesses (a lock dies with its process, however it
dies); the end-to-end tests start real gunicorn masters with the repository's
gunicorn.conf.py, each in a mount namespace of its own whose ``/dev/shm`` the test chooses,
and kill them with SIGKILL as the OOM killer would.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support.bind import free_port
from tests.support.gunicornapp import ROOT, launch, stop, wait_healthy
from webdig.web import storefolder
from webdig.web.windowtable import SIZE

_HOLD = """
import os, sys, time
from webdig.web import storefolder
folder = storefolder.create(sys.argv[1])
child = os.fork() if sys.argv[2] == "fork" else 1
if child == 0:
    time.sleep(120)  # a worker: it inherited the folder's open directory, and its lock
    os._exit(0)
print(folder.path, child, flush=True)
time.sleep(120)
"""

_RACE = """
import os, sys
from webdig.web import storefolder
place, held = sys.argv[1], []
for _ in range(40):
    held.append(storefolder.create(place))
    storefolder.sweep(place)
    lost = [folder.path for folder in held if not os.path.isdir(folder.path)]
    if lost:
        sys.exit(f"removed while held: {lost}")
"""


def _python(script: str, *args: str, output: int | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", script, *args],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=output,
        text=True,
    )


def _gone(pid: int) -> bool:
    """Whether ``pid`` has exited (a zombie has: its descriptors, and locks, are closed)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] in "ZX"
    except FileNotFoundError:
        return True


def _wait_for(condition: object, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_folder_is_kept_while_any_process_holding_it_runs(tmp_path: Path) -> None:
    master = _python(_HOLD, str(tmp_path), "fork", output=subprocess.PIPE)
    assert master.stdout is not None
    with master.stdout:
        path, worker = master.stdout.readline().split()
    assert storefolder.sweep(str(tmp_path)) == []
    master.kill()  # SIGKILL: no on_exit
    master.wait()
    assert storefolder.sweep(str(tmp_path)) == []  # its worker still runs
    assert os.path.isdir(path)
    os.kill(int(worker), signal.SIGKILL)
    _wait_for(lambda: _gone(int(worker)))
    assert storefolder.sweep(str(tmp_path)) == [os.path.basename(path)]
    assert os.listdir(tmp_path) == []


def test_sweep_removes_only_this_users_unheld_webdig_folders(tmp_path: Path) -> None:
    place, outside = tmp_path / "shm", tmp_path / "outside"
    place.mkdir()
    outside.mkdir()
    (outside / "keep").write_text("")
    dead = place / "webdig-limits-0123456789abcdef"
    dead.mkdir()
    (dead / "limits.store").write_text("")
    (dead / "link").symlink_to(outside)  # removed as a link: what it points at stays
    (place / "webdig-limits-1111111111111111").symlink_to(outside)
    (place / "webdig-limits-3333333333333333").write_text("")
    (place / "webdig-limits-8vc93pic").mkdir()  # an older webdig's: it may still run
    (place / "webdig-limits").mkdir()
    (place / ".webdig-limits-4444444444444444.new").mkdir()  # a master naming its folder
    old_draft = place / ".webdig-limits-5555555555555555.new"
    old_draft.mkdir()
    long_ago = time.time() - storefolder.DRAFT_GRACE_SECONDS - 1
    os.utime(old_draft, (long_ago, long_ago))
    kept = {
        "webdig-limits-1111111111111111",
        "webdig-limits-3333333333333333",
        "webdig-limits-8vc93pic",
        "webdig-limits",
        ".webdig-limits-4444444444444444.new",
    }
    if os.geteuid() == 0:
        theirs = place / "webdig-limits-2222222222222222"
        theirs.mkdir()
        os.chown(theirs, 65534, 65534)
        kept.add(theirs.name)
    removed = storefolder.sweep(str(place))
    assert sorted(removed) == [old_draft.name, dead.name]
    assert set(os.listdir(place)) == kept
    assert os.listdir(outside) == ["keep"]


def test_masters_starting_at_once_never_remove_each_others_folders(tmp_path: Path) -> None:
    racers = [_python(_RACE, str(tmp_path)) for _ in range(4)]
    assert [racer.wait(timeout=60) for racer in racers] == [0, 0, 0, 0]
    # Their processes are gone: every folder left is free now (a racer that finished
    # first had its folders swept by the others).
    storefolder.sweep(str(tmp_path))
    assert os.listdir(tmp_path) == []


def test_a_missing_place_is_passed_over_and_the_store_is_reserved(tmp_path: Path) -> None:
    missing = tmp_path / "missing"
    placement = storefolder.place([str(missing), str(tmp_path)])
    assert placement.problems == [f"cannot make a folder in {missing}: No such file or directory"]
    folder = placement.folder
    assert folder is not None
    assert Path(folder.path).parent == tmp_path
    assert os.stat(folder.store).st_blocks * 512 >= SIZE  # taken now, not at the first write
    folder.remove()
    assert os.listdir(tmp_path) == []
    nowhere = storefolder.place([str(missing)])
    assert nowhere.folder is None
    assert len(nowhere.problems) == 1


def test_a_master_makes_one_folder_and_leaves_a_named_store_alone(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(storefolder.ENVIRONMENT, str(tmp_path / "named.store"))
    assert storefolder.for_this_master([str(tmp_path)]) is None
    assert os.listdir(tmp_path) == []
    monkeypatch.setenv(storefolder.ENVIRONMENT, "")
    placement = storefolder.for_this_master([str(tmp_path)])
    assert placement is not None
    assert placement.folder is not None
    assert os.environ[storefolder.ENVIRONMENT] == placement.folder.store
    # gunicorn reads its configuration again on SIGHUP: still the same folder.
    assert storefolder.for_this_master([str(tmp_path)]) is placement
    storefolder.release()
    assert os.listdir(tmp_path) == []


@contextmanager
def _master(mount: str, log: Path, **env: str) -> Iterator[subprocess.Popen[bytes]]:
    """gunicorn with gunicorn.conf.py, after ``mount`` in a mount namespace of its own."""
    port = free_port("127.0.0.1")
    command = ["unshare", "-m", "sh", "-c", f'{mount} && exec "$@"', "sh", sys.executable]
    command += ["-m", "gunicorn", "--config", str(ROOT / "gunicorn.conf.py")]
    command += ["--bind", f"127.0.0.1:{port}", "--access-logfile", "/dev/null", "--workers", "2"]
    with log.open("w+b") as output:
        process = launch(command, {"PYTHONPATH": str(ROOT), **env}, output)
        try:
            wait_healthy("127.0.0.1", port, process, output)
            yield process
        finally:
            if process.poll() is None:
                stop(process)


def _folders(place: Path) -> list[str]:
    return sorted(name for name in os.listdir(place) if name.startswith("webdig-limits-"))


def test_the_next_master_removes_the_folder_of_a_killed_one(tmp_path: Path) -> None:
    shm = tmp_path / "shm"
    shm.mkdir()
    mount = f"mount --bind {shm} /dev/shm"
    with _master(mount, tmp_path / "killed.log") as killed:
        (lost,) = _folders(shm)
        with _master(mount, tmp_path / "live.log"):
            (live,) = set(_folders(shm)) - {lost}
            assert {"limits.store", "gunicorn.ctl"} <= set(os.listdir(shm / live))
            os.killpg(killed.pid, signal.SIGKILL)  # the master and its workers
            killed.wait()
            assert _folders(shm) == sorted([lost, live])
            with _master(mount, tmp_path / "next.log"):
                log = (tmp_path / "next.log").read_text()
                assert f"removed /dev/shm/{lost}, left by a webdig master" in log
                (new,) = set(_folders(shm)) - {live}
                assert new != lost
                assert live in _folders(shm)
            assert _folders(shm) == [live]  # a master stopped in order removes its own
    assert os.listdir(shm) == []


@pytest.mark.parametrize(
    ("options", "reason"),
    [("ro", "Read-only file system"), ("size=1m", "No space left on device")],
    ids=["read-only", "full"],
)
def test_a_dev_shm_that_cannot_hold_the_store_is_passed_over(
    tmp_path: Path, options: str, reason: str
) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    mount = f"mount -t tmpfs -o {options} webdig-test /dev/shm"
    log = tmp_path / "gunicorn.log"
    with _master(mount, log, TMPDIR=str(temporary)) as master:
        text = log.read_text()
        assert "rate-limit store: cannot " in text
        assert f"in /dev/shm: {reason}" in text
        (folder,) = _folders(temporary)
        assert f"rate-limit store and progress board in {temporary / folder}" in text
        assert os.listdir(f"/proc/{master.pid}/root/dev/shm") == []
    assert os.listdir(temporary) == []
