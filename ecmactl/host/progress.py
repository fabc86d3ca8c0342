"""The progress of a full import under way: rows read, of how many, said one way everywhere.

The host's log, `host status`, `agent status`, `agent test-connection` and `host sync` all show
it with this text, so the numbers read the same (thousands separators) wherever they appear;
JSON keeps plain integers. The total is counted when the import starts (see
``RowStore.count_rows``); an estimate is said as "about".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ecmactl.status_document import ConnectorStatus


@dataclass(frozen=True)
class ImportProgress:
    rows: int
    total: int | None = None
    exact: bool = True  # False: ``total`` is an estimate

    @classmethod
    def from_status(cls, connector: ConnectorStatus) -> ImportProgress | None:
        """From a connector's entry of the host's status, while an import runs."""
        rows = connector["imported_rows"]
        if not connector["import_running"] and rows is None:
            return None
        return cls(
            rows or 0, connector["import_total"], connector["import_total_exact"] is not False
        )

    @property
    def percent(self) -> int | None:
        """Whole percent read, at most 99 until the import is done; None without a total."""
        if not self.total:
            return None
        return min(self.rows * 100 // self.total, 99)

    @property
    def shown_total(self) -> int | None:
        """The total a progress bar can use: never below the rows already read."""
        return None if self.total is None else max(self.total, self.rows)

    def describe(self) -> str:
        """``1,000,000 of about 2,000,000 rows (50%)``, or ``1,000,000 rows so far``."""
        about = "" if self.exact else "about "
        if self.total is None:
            return f"{self.rows:,} rows so far"
        if self.rows >= self.total:  # rows added meanwhile, or an estimate that was low
            return f"{self.rows:,} rows so far ({about}{self.total:,} expected)"
        return f"{self.rows:,} of {about}{self.total:,} rows ({self.percent}%)"
