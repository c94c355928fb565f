"""The folder of one gunicorn master's shared files: the rate-limit store and the progress board.

gunicorn.conf.py asks for it in the master, so every worker it forks inherits the
path (``WEBDIG_RATE_LIMIT_STORE``).  It lives in ``/dev/shm`` (memory: a file on
disk would have its pages written back), else in the temporary directory, and is
named ``webdig-limits-<16 hex digits>``.

A master that is killed (SIGKILL, the OOM killer, a container stopped hard while
its ``/dev/shm`` stays) never runs ``on_exit``, so its folder stays behind.  The
next master to start removes those: a folder is in use exactly while its
directory is ``flock``-ed, and the master takes that lock before the folder
gets its name and keeps it for its whole life.  Its workers inherit the open
descriptor, so the lock lasts until the last process that could use the folder
is gone, and the kernel drops it however they die.  Process ids are never
compared: they are reused, and they mean nothing across PID namespaces
(containers sharing one ``/dev/shm``), where a lock still holds.

Only this user's directories named like webdig's own are looked at, through
descriptors opened without following symbolic links, and removed with
:func:`shutil.rmtree`'s descriptor-based walk, which never follows one either.
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import secrets
import shutil
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from webdig.web.windowtable import open_memory

SHARED_MEMORY = "/dev/shm"  # noqa: S108 (the folder made in it is private: 0700, and locked)
STORE_FILE = "limits.store"
ENVIRONMENT = "WEBDIG_RATE_LIMIT_STORE"
DRAFT_GRACE_SECONDS = 60.0
"""A draft folder (named before it is locked) younger than this may be a master's at work."""

_NAME = re.compile(r"webdig-limits-[0-9a-f]{16}")
_DRAFT = re.compile(r"\.webdig-limits-[0-9a-f]{16}\.new")
_OPEN_DIRECTORY = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW


class StoreFolder:
    """A folder of this master's, locked while the master or any of its workers runs."""

    def __init__(self, path: str, descriptor: int) -> None:
        self.path = path
        self._descriptor: int | None = descriptor
        """The directory, open and locked; forked workers share it, and with it the lock."""

    @property
    def store(self) -> str:
        """The rate-limit store's file in the folder (the progress board is beside it)."""
        return os.path.join(self.path, STORE_FILE)

    def remove(self) -> None:
        """Remove the folder and everything in it, then let go of its lock."""
        shutil.rmtree(self.path, ignore_errors=True)
        if self._descriptor is not None:
            os.close(self._descriptor)
            self._descriptor = None


@dataclass
class Placement:
    """Where a master keeps its shared files, and what it found on the way, for its log."""

    folder: StoreFolder | None
    problems: list[str] = field(default_factory=list)
    """Places that could not hold the store, and why."""
    removed: list[str] = field(default_factory=list)
    """Folders left behind by masters that no longer run, removed."""
    pid: int = field(default_factory=os.getpid)


_placement: Placement | None = None


def places() -> list[str]:
    """Where a folder may go, best first: shared memory, then the temporary directory."""
    found = [SHARED_MEMORY, tempfile.gettempdir()]
    return list(dict.fromkeys(found))


def for_this_master(candidates: Sequence[str] | None = None) -> Placement | None:
    """This master's folder, made on first call and put in ``WEBDIG_RATE_LIMIT_STORE``.

    None when that variable names a store already (the operator's choice: nothing
    to make or remove).  gunicorn reads its configuration again on SIGHUP: the
    second call returns the same folder.
    """
    global _placement
    named = os.environ.get(ENVIRONMENT)
    if _placement is not None and _placement.pid == os.getpid():
        folder = _placement.folder
        if (folder.store if folder else None) == (named or None):
            return _placement
    if named:
        return None
    _placement = place(places() if candidates is None else candidates)
    if _placement.folder is not None:
        os.environ[ENVIRONMENT] = _placement.folder.store
    return _placement


def release() -> None:
    """Remove this master's folder (gunicorn's ``on_exit``)."""
    global _placement
    if _placement is not None and _placement.pid == os.getpid():
        if _placement.folder is not None:
            _placement.folder.remove()
        _placement = None


def place(candidates: Sequence[str]) -> Placement:
    """A new folder in the first of ``candidates`` that can hold the store, with it laid out.

    Every place is swept first (:func:`sweep`), used or not.  A place that is
    missing, read-only or too full to hold the whole table is noted and the next
    one tried: finding that now beats a worker killed by SIGBUS when it first
    writes a page that does not fit.
    """
    placement = Placement(None)
    for candidate in candidates:
        placement.removed += [os.path.join(candidate, name) for name in sweep(candidate)]
    for candidate in candidates:
        try:
            folder = create(candidate)
        except OSError as exc:
            placement.problems.append(f"cannot make a folder in {candidate}: {_reason(exc)}")
            continue
        try:
            _lay_out(folder.store)
        except OSError as exc:
            folder.remove()
            placement.problems.append(f"cannot keep the store in {candidate}: {_reason(exc)}")
            continue
        placement.folder = folder
        break
    return placement


def create(parent: str) -> StoreFolder:
    """A new, locked folder in ``parent``.

    It is made under a draft name, locked, and only then renamed to the name
    :func:`sweep` looks at, so a master starting at the same moment never
    takes it for a dead one.
    """
    for _ in range(8):
        token = secrets.token_hex(8)
        draft = os.path.join(parent, f".webdig-limits-{token}.new")
        final = os.path.join(parent, f"webdig-limits-{token}")
        os.mkdir(draft, 0o700)
        descriptor = None
        try:
            descriptor = os.open(draft, _OPEN_DIRECTORY)
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if not os.path.lexists(final):  # rename would replace an empty folder there
                os.rename(draft, final)
                return StoreFolder(final, descriptor)
        except BaseException:
            if descriptor is not None:
                os.close(descriptor)
            shutil.rmtree(draft, ignore_errors=True)
            raise
        os.close(descriptor)
        os.rmdir(draft)
    raise FileExistsError(errno.EEXIST, "no free folder name", parent)


def sweep(parent: str) -> list[str]:
    """Remove the folders in ``parent`` that no running master or worker holds; their names.

    Never raises: a place that cannot be read is simply not swept.
    """
    try:
        descriptor = os.open(parent, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return []
    removed = []
    try:
        with os.scandir(descriptor) as entries:
            names = [entry.name for entry in entries]
        for name in names:
            if _NAME.fullmatch(name):
                grace = 0.0  # a folder gets this name already locked
            elif _DRAFT.fullmatch(name):
                grace = DRAFT_GRACE_SECONDS
            else:
                continue
            if _remove_unused(descriptor, name, grace):
                removed.append(name)
    except OSError:
        pass
    finally:
        os.close(descriptor)
    return removed


def _remove_unused(parent: int, name: str, grace: float) -> bool:
    """Remove ``name`` in ``parent`` if it is this user's directory and nobody holds its lock."""
    try:
        descriptor = os.open(name, _OPEN_DIRECTORY, dir_fd=parent)
    except OSError:
        return False  # gone meanwhile, a symbolic link, not a directory, or not ours to read
    try:
        found = os.fstat(descriptor)
        if found.st_uid != os.geteuid() or time.time() - found.st_mtime < grace:
            return False
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False  # its master, or one of its workers, still runs
        # Holding the lock, make sure the name still means the directory locked (another
        # master may have removed it and a new folder may have taken the name since).
        now = os.stat(name, dir_fd=parent, follow_symlinks=False)
        if (now.st_dev, now.st_ino) != (found.st_dev, found.st_ino):
            return False
        shutil.rmtree(name, dir_fd=parent)
        return True
    except OSError:
        return False
    finally:
        os.close(descriptor)


def _lay_out(path: str) -> None:
    """Create the rate-limit store at ``path`` with all its room taken (see :func:`place`)."""
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        open_memory(descriptor).close()
    finally:
        os.close(descriptor)


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)
