"""The progress of `host sync` on stderr: a Rich bar on a terminal, a plain line now and then
otherwise (logs, CI), nothing with --json or --quiet.

The bar is transient: when the sync answers, it gives way to the command's result lines.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from ecmactl.cli import _output

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID

    from ecmactl.host.progress import ImportProgress

OnProgress = Callable[[dict[str, "ImportProgress"]], None]
PLAIN_EVERY_S = 10.0  # without a terminal: one line per connector at most this often


@contextmanager
def import_progress(enabled: bool) -> Iterator[OnProgress | None]:
    """The callback for ``request_sync(on_progress=…)``, shown while the block runs."""
    if not enabled:
        yield None
        return
    err = _output.console(stderr=True)
    if not err.is_terminal:
        yield _PlainLines(err).show
        return
    bars = _Bars(err)
    with bars.progress:
        yield bars.show


class _Bars:
    def __init__(self, console: Console) -> None:
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        self.progress: Progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.fields[said]}"),  # rows of total and the percentage
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self.tasks: dict[str, TaskID] = {}

    def show(self, imports: dict[str, ImportProgress]) -> None:
        from rich.markup import escape

        for name, running in imports.items():
            said = escape(running.describe())
            task = self.tasks.get(name)
            if task is None:
                self.tasks[name] = self.progress.add_task(
                    escape(name), total=running.shown_total, completed=running.rows, said=said
                )
            else:
                self.progress.update(
                    task, total=running.shown_total, completed=running.rows, said=said
                )


class _PlainLines:
    def __init__(self, console: Console) -> None:
        self.console = console
        self.last: dict[str, float] = {}

    def show(self, imports: dict[str, ImportProgress]) -> None:
        now = time.monotonic()
        for name, running in imports.items():
            if now - self.last.get(name, -PLAIN_EVERY_S) >= PLAIN_EVERY_S:
                self.last[name] = now
                self.console.print(
                    f"{name}: imported {running.describe()}",
                    markup=False,
                    highlight=False,
                    soft_wrap=True,
                )
