"""Group commit: on SQLite, small writes from many sessions share one transaction.

A workshop of fifty people sends dozens of answers a second. Written one transaction
each, every answer paid for a pool checkout, ``BEGIN IMMEDIATE`` and ``COMMIT`` on top
of its own statements, and each statement gave up Python's interpreter lock while
fifty session threads competed for it: the writes queued behind each other for tens
of milliseconds (profiled under ``make bench``'s load). Here one writer thread takes
every write waiting at that moment and runs them in a single transaction; each caller
waits for its own result, so a write still returns only once it is committed.

Jobs must raise their domain errors (assessment gone, workshop closed) *before* they
write anything, so one refused job never undoes the others. An error of the database
itself fails the whole batch, and every caller in it sees that error.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from sqlalchemy import Connection

from ktmsc.storage.errors import StorageError

T = TypeVar("T")
MAX_BATCH = 200
_STOP = object()


class GroupCommit:
    def __init__(self, transaction: Callable[[], contextlib.AbstractContextManager[Connection]]) -> None:
        self._transaction = transaction
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    def run(self, job: Callable[[Connection], T]) -> T:
        """Run ``job(connection)`` in the next shared transaction; return its result once committed."""
        future: Future[T] = Future()
        self._ensure_thread()
        self._queue.put((job, future))
        return future.result()

    def close(self) -> None:
        if self._thread is not None:
            self._queue.put(_STOP)
            self._thread.join(timeout=10)
            self._thread = None

    def _ensure_thread(self) -> None:
        if self._thread is None:
            with self._start_lock:
                if self._thread is None:
                    self._thread = threading.Thread(target=self._loop, name="ktmsc-group-commit", daemon=True)
                    self._thread.start()

    def _loop(self) -> None:
        while True:
            first = self._queue.get()
            if first is _STOP:
                return
            batch = [first]
            while len(batch) < MAX_BATCH:
                try:
                    waiting = self._queue.get_nowait()
                except queue.Empty:
                    break
                if waiting is _STOP:
                    self._queue.put(_STOP)  # finish this batch, then stop
                    break
                batch.append(waiting)
            self._commit(batch)

    def _commit(self, batch: list[tuple[Callable[[Connection], Any], Future]]) -> None:
        outcomes: list[tuple[Future, Any, BaseException | None]] = []
        try:
            with self._transaction() as conn:
                for job, future in batch:
                    try:
                        outcomes.append((future, job(conn), None))
                    except StorageError as refused:
                        # A domain error, raised before the job wrote anything.
                        outcomes.append((future, None, refused))
        except BaseException as failed:  # the transaction itself failed: nothing was written
            for _, future in batch:
                if not future.done():
                    future.set_exception(failed)
            return
        for future, result, error in outcomes:
            if error is None:
                future.set_result(result)
            else:
                future.set_exception(error)
