"""A second process that lays out the PDFs: `PdfJob`s in, `PdfResult`s out, through two pipes.

A cold build spends a third of a second or more importing WeasyPrint before it can lay out
anything, and as long again reading settings, the workbook and the archive and writing the
pack's HTML, which does not need WeasyPrint. `reportgen build` therefore forks this process
first thing (`LayoutProcess.start`), so that WeasyPrint is imported on the machine's other core
while the build does the rest; the build then hands it each pack's job and, while it is laid
out, makes the Word pack itself. The child only computes bytes: it holds no file, lock or
connection of the build's (it is forked before any is opened) and writes nothing but its own
temporary files (in a folder `close` removes), so what is written, when, and what happens on
failure are as they were; the bytes are the same as those
laid out in the build's own process.

A job's relayout questions (`render.pdf.write`'s `relayout`) are asked back through the pipe
and answered by the caller. The child exits when its pipe closes, skipping the interpreter's
teardown; `close` kills it, and a thread reaps it. If it dies, or a job is abandoned midway (the
pack's time limit ran out), it is killed and `usable` turns False: the caller lays out in its
own process from then on. After each job the child collects the job's garbage
(`gctune.release_memory`) while the build writes the pack.
"""

from __future__ import annotations

import os
import pickle
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, Any

from ..errors import RenderError

if TYPE_CHECKING:  # only the types: forked first thing, this module must import little
    from .pdfjob import PdfJob, PdfResult, Relayout


class LayoutProcess:
    """The forked child and the two pipes to it (see the module)."""

    def __init__(self, pid: int, send: IO[bytes], receive: IO[bytes], scratch: str) -> None:
        self.pid = pid
        self._send, self._receive = send, receive
        self._scratch = scratch  # the child's temporary folder (WeasyPrint's font copies)
        self._ready = False
        self._pending = False  # a job was submitted and its result not yet read
        self.usable = True

    @classmethod
    def start(cls) -> LayoutProcess:
        """Fork the child, which imports WeasyPrint and waits for jobs."""
        scratch = tempfile.mkdtemp(prefix="reportgen-layout-")
        jobs_out, jobs_in = os.pipe()  # (read end, write end): this process → the child
        answers_out, answers_in = os.pipe()  # the child → this process
        pid = os.fork()
        if pid == 0:  # the child: never returns
            os.close(jobs_in)
            os.close(answers_out)
            tempfile.tempdir = scratch
            _serve(os.fdopen(jobs_out, "rb"), os.fdopen(answers_in, "wb"))
        os.close(jobs_out)
        os.close(answers_in)
        return cls(pid, os.fdopen(jobs_in, "wb"), os.fdopen(answers_out, "rb"), scratch)

    def ready(self) -> bool:
        """Wait until the child has imported WeasyPrint (so that a pack's time limit does not
        count the import); False when it cannot take jobs."""
        if self.usable and not self._ready:
            try:
                self._ready = self._read() == ("ready", None)
            except (EOFError, OSError, pickle.UnpicklingError):
                pass
            if not self._ready:
                self.close()
        return self.usable

    def submit(self, job: PdfJob) -> bool:
        """Hand `job` to the child; False (and the child closed) when it cannot take it, or
        when the result of the job before was never asked for (the pack failed meanwhile)."""
        if self._pending:
            self.close()
        if not self.ready():
            return False
        try:
            self._write(job)
        except OSError:
            self.close()
            return False
        self._pending = True
        return True

    def result(self, relayout: Relayout | None) -> PdfResult:
        """The submitted job's result, answering its relayout questions on the way. The job's
        own errors (its time limit, a refused font) are raised as they were in the child."""
        try:
            while True:
                kind, value = self._read()
                if kind == "pages":
                    self._write(relayout(value) if relayout is not None else None)
                elif kind == "done":
                    self._pending = False
                    return value
                else:
                    self._pending = False
                    error = value
                    break
        except (EOFError, OSError, pickle.UnpicklingError):
            self.close()
            raise RenderError("the process laying out the PDF stopped (out of memory?)") from None
        except BaseException:  # the pack's time limit, or relayout's own error: abandon the job
            self.close()
            raise
        raise error

    def close(self) -> None:
        """Kill the child (it holds nothing worth keeping), remove its temporary folder, and
        reap it in the background: the system takes a while to free a process's memory, and
        this one need not wait for it."""
        if not self.usable:
            return
        self.usable = False
        for stream in (self._send, self._receive):
            try:
                stream.close()
            except OSError:
                pass
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        shutil.rmtree(self._scratch, ignore_errors=True)
        threading.Thread(target=_reap, args=(self.pid, self._scratch), daemon=True,
                         name="reap the layout process").start()

    def _read(self) -> tuple[str, Any]:
        return pickle.load(self._receive)

    def _write(self, message: object) -> None:
        pickle.dump(message, self._send, pickle.HIGHEST_PROTOCOL)
        self._send.flush()


def _reap(pid: int, scratch: str) -> None:
    os.waitpid(pid, 0)
    shutil.rmtree(scratch, ignore_errors=True)  # anything it wrote while it was being killed


@contextmanager
def layout_process(wanted: bool = True) -> Iterator[LayoutProcess | None]:
    """A started `LayoutProcess` for the block, killed after it; None unless `wanted`."""
    if not wanted:
        yield None
        return
    process = LayoutProcess.start()
    try:
        yield process
    finally:
        process.close()


def _serve(receive: IO[bytes], send: IO[bytes]) -> None:
    """The child: import WeasyPrint, say so, then lay out each job it is sent until the pipe
    closes. Exits without the interpreter's teardown, whatever happens."""
    status = 0
    try:
        from ..gctune import release_memory
        from . import pdf

        pdf.font_config()

        def reply(message: object) -> None:
            pickle.dump(message, send, pickle.HIGHEST_PROTOCOL)
            send.flush()

        def relayout(pages: object) -> str | None:
            reply(("pages", pages))
            return pickle.load(receive)

        reply(("ready", None))
        while True:
            try:
                job = pickle.load(receive)
            except EOFError:
                break
            try:
                reply(("done", pdf.write(job, relayout)))
            except Exception as exc:  # the job's own failure, for the caller to report
                reply(("error", _picklable(exc)))
            release_memory()
    except BaseException:  # the parent went away, or Ctrl-C: nothing to clean up
        status = 1
    finally:
        os._exit(status)


def _picklable(error: Exception) -> Exception:
    """`error`, or a RenderError saying what it was when it cannot cross the pipe."""
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        return RenderError(f"laying out the PDF failed ({type(error).__name__}: {error})")
    return error
