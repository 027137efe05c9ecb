"""A sheet's valid rows after validation: one typed, frozen value between the stages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - this floor never imports numpy or pandas
    from typing import TypeAlias

    from numpy.typing import NDArray
    from pandas.api.extensions import ExtensionArray

    # A column's values: a list from the row path, an array from the bulk screen.
    Values: TypeAlias = Sequence[Any] | NDArray[Any] | ExtensionArray


@dataclass(frozen=True, slots=True)
class ValidRows:
    """One sheet's valid rows, column by column, in Excel row order.

    ``columns`` maps each form column key to the rows' parsed values;
    ``excel_rows`` gives each row's Excel row number (from 1). The row path
    gives lists (its workers never import pandas); the bulk screen gives
    arrays (numpy, pandas extension arrays) that stay in bulk up to the merge.
    Either way the value is never edited: a stage that needs other rows
    builds a new one.
    """

    columns: Mapping[str, Values]
    excel_rows: Sequence[int] | NDArray[Any]

    def __len__(self) -> int:
        return len(self.excel_rows)

    @classmethod
    def empty(cls, keys: Sequence[str]) -> ValidRows:
        """No rows, with the form's columns."""
        return cls({key: [] for key in keys}, [])

    @classmethod
    def from_records(cls, keys: Sequence[str], records: Sequence[tuple[int, Mapping[str, Any]]]) -> ValidRows:
        """Rows given one by one as (Excel row, parsed values by column key)."""
        return cls({key: [values.get(key) for _, values in records] for key in keys}, [row for row, _ in records])

    def records(self) -> list[tuple[int, dict[str, Any]]]:
        """The rows one by one: (Excel row, parsed values by column key)."""
        columns = {key: list(values) for key, values in self.columns.items()}
        return [
            (int(row), {key: values[i] for key, values in columns.items()}) for i, row in enumerate(self.excel_rows)
        ]
