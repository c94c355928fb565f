"""The window store's memory: a fixed-size table of moving windows and of in-flight slots.

One block of memory (a file mapped by every worker of a machine, or this process's own):

- a header: a magic, the layout version and sizes (a file of another layout is
  wiped and laid out again) and the last slot token handed out;
- ``SETS`` sets of ``WAYS`` windows.  A key (hashed to 64 bits) lives in one
  set, chosen by its hash; each set starts with the hash and the expiry of
  each of its windows, so one read finds the key, then come the windows'
  bodies: the newest bucket and a ring of ``RING`` hit counts (bucket ``b``
  at ``b % RING``).  A window whose newest bucket has left its period has
  expired and its place is free;
- ``SLOTS`` in-flight slots (client hash, expiry, token).  A client's slots
  lie in the ``RUN`` places from its hash on; a token says its place.

The caller takes turns (see :class:`~webdig.web.windowstore.WindowStore`):
nothing here locks.  A set's head, a window and a run of slots are each read
with one ``struct`` call; a hit writes only what it changes.
"""

from __future__ import annotations

import errno
import mmap
import os
import struct
from collections.abc import Sequence

BUCKETS = 60
"""Buckets per window period."""
RING = BUCKETS + 1
"""Buckets a window keeps: those overlapping the last period."""
SETS = 4096
WAYS = 16
SLOTS = 1024
RUN = 16
"""Places a client's in-flight slots may take: the most one client can hold at once."""

_MAGIC = b"webdigWS"
_VERSION = 1
_HEADER = struct.Struct("<8sIIIII")  # magic, version, sets, ways, slots, run
_TOKEN = struct.Struct("<Q")  # the last token handed out
_HEAD = struct.Struct("<" + "Qd" * WAYS)  # a set's head: each way's key hash and expiry
_WAY = struct.Struct("<Qd")
_WINDOW = struct.Struct(f"<q{RING}I")  # newest bucket, hit counts
_NEWEST = struct.Struct("<q")
_COUNT = struct.Struct("<I")
_NEVER = -(1 << 62)
"""The newest bucket of a window without hits: every bucket has left it."""
_RUN = struct.Struct("<" + "QdQ" * RUN)  # each place's client hash, expiry and token
_SLOT = struct.Struct("<QdQ")

_TOKEN_AT = 32
_SETS_AT = 64
_SET_SIZE = _HEAD.size + WAYS * _WINDOW.size
_SLOTS_AT = _SETS_AT + SETS * _SET_SIZE
_PLACES = SLOTS + RUN - 1  # a run never wraps around the end
SIZE = _SLOTS_AT + _PLACES * _SLOT.size
"""Bytes of the whole table (a file holding it has them all reserved: about 18 MB)."""


def open_memory(descriptor: int | None) -> mmap.mmap:
    """The table in the file open at ``descriptor`` (laid out anew unless it already is),
    or in this process's memory.  The caller holds the file's lock."""
    if descriptor is None:
        # Private: a forked child counts on its own, as it did with its own copy before.
        return mmap.mmap(-1, SIZE, flags=mmap.MAP_PRIVATE)
    header = _HEADER.pack(_MAGIC, _VERSION, SETS, WAYS, SLOTS, RUN)
    if os.fstat(descriptor).st_size != SIZE or os.pread(descriptor, len(header), 0) != header:
        # Wiped, not edited: a stale layout's counts mean nothing in this one.
        os.ftruncate(descriptor, 0)
        os.ftruncate(descriptor, SIZE)
        os.pwrite(descriptor, header, 0)
    _reserve(descriptor)
    return mmap.mmap(descriptor, SIZE)


def _reserve(descriptor: int) -> None:
    """Take the file's whole room now: on a full tmpfs, writing a page of a sparse mapping
    kills the process with SIGBUS, where this raises OSError (ENOSPC) for the caller."""
    if not hasattr(os, "posix_fallocate"):
        return  # macOS: sparse
    try:
        os.posix_fallocate(descriptor, 0, SIZE)
    except OSError as exc:
        if exc.errno not in (errno.EOPNOTSUPP, errno.EINVAL):
            raise  # a file system that cannot reserve room stays sparse


class Window:
    """One key's window as read from the table; :meth:`WindowTable.hit` counts in it."""

    __slots__ = ("counts", "key", "newest", "place")

    def __init__(self, place: int, key: int, newest: int, counts: Sequence[int]) -> None:
        self.place = place
        """Which way of which set (``set * WAYS + way``)."""
        self.key = key
        self.newest = newest
        """The newest bucket counted; the ring holds ``newest - BUCKETS`` … ``newest``."""
        self.counts = counts
        """Hits per bucket, bucket ``b`` at ``b % RING``, as read."""


class WindowTable:
    """Windows and in-flight slots in ``memory`` (see :func:`open_memory`)."""

    def __init__(self, memory: mmap.mmap) -> None:
        self._memory = memory

    def read(self, key: int, now: float) -> Window:
        """The window of ``key``: its own, or an empty one in a free place of its set,
        or, when every place is live, in the place of the window holding the fewest hits
        (of those, the one expiring first)."""
        first = key % SETS * WAYS
        head = _HEAD.unpack_from(self._memory, _set_at(first))
        keys, expiries = head[0::2], head[1::2]
        if key in keys:
            way = keys.index(key)
            if expiries[way] > now:
                window = _WINDOW.unpack_from(self._memory, _window_at(first + way))
                return Window(first + way, key, window[0], window[1:])
        else:
            way = min(range(WAYS), key=expiries.__getitem__)
            if expiries[way] > now:  # every place is live: forget the one losing least
                way = min(range(WAYS), key=lambda w: (self._hits(first + w), expiries[w]))
        return Window(first + way, key, _NEVER, (0,) * RING)

    def hit(self, window: Window, current: int, width: float, now: float, amount: int = 1) -> None:
        """Count ``amount`` hits in bucket ``current`` of ``window`` (buckets ``width`` s wide).

        Only what changes is written: the buckets that left the ring, the one count,
        the newest bucket and the expiry (a whole window is 62 numbers to convert)."""
        if window.newest == _NEVER:
            # A new window takes its place now: another new one, hit just before, may
            # have taken the place this one was read in.
            window.place = self.read(window.key, now).place
        memory, place = self._memory, window.place
        at = _window_at(place)
        gone = current - window.newest
        if gone <= -RING:
            return  # a clock gone back over a whole period: that bucket has left the window
        if gone > 0:
            # The oldest buckets' places become the newest ones': zeroed, in at most
            # two runs as the ring wraps.
            start, end = (window.newest + 1) % RING, (window.newest + 1) % RING + min(gone, RING)
            for low, high in ((start, min(end, RING)), (0, end - RING)):
                if high > low:
                    memory[_count_at(at, low) : _count_at(at, high)] = bytes((high - low) * 4)
            window.newest = current
            _NEWEST.pack_into(memory, at, current)
        count_at = _count_at(at, current % RING)
        _COUNT.pack_into(memory, count_at, _COUNT.unpack_from(memory, count_at)[0] + amount)
        head_at = _set_at(place) + place % WAYS * _WAY.size
        _WAY.pack_into(memory, head_at, window.key, (window.newest + RING) * width)

    def _hits(self, place: int) -> int:
        return sum(_WINDOW.unpack_from(self._memory, _window_at(place))[1:])

    def claim(self, client: int, limit: int, expires: float, now: float) -> int | None:
        """Take a slot of ``client`` until ``expires`` unless it holds ``limit`` live ones;
        its token, or None (also when the client's run of places is full)."""
        start = client % SLOTS
        run = _RUN.unpack_from(self._memory, _SLOTS_AT + start * _SLOT.size)
        owners, expiries = run[0::3], run[1::3]
        held = 0
        if client in owners:  # mostly not: no loop then
            held = sum(o == client and e > now for o, e in zip(owners, expiries, strict=True))
        if held >= limit:
            return None
        free = next((place for place, e in enumerate(expiries) if e <= now), None)
        if free is None:
            return None
        (last,) = _TOKEN.unpack_from(self._memory, _TOKEN_AT)
        _TOKEN.pack_into(self._memory, _TOKEN_AT, last + 1)
        token: int = (last + 1) * _PLACES + start + free
        _SLOT.pack_into(
            self._memory, _SLOTS_AT + (start + free) * _SLOT.size, client, expires, token
        )
        return token

    def release(self, token: int) -> None:
        """Free the slot ``token`` (nothing if it has expired and been taken again)."""
        at = _SLOTS_AT + token % _PLACES * _SLOT.size
        if _SLOT.unpack_from(self._memory, at)[2] == token:
            _SLOT.pack_into(self._memory, at, 0, 0.0, 0)


def _set_at(place: int) -> int:
    """Where the set of window ``place`` starts."""
    return _SETS_AT + place // WAYS * _SET_SIZE


def _window_at(place: int) -> int:
    return _set_at(place) + _HEAD.size + place % WAYS * _WINDOW.size


def _count_at(window_at: int, index: int) -> int:
    return window_at + _NEWEST.size + index * _COUNT.size
