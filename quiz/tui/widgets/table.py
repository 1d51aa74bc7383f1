"""A row table whose one flexible column takes whatever width the fixed columns leave."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import DataTable

__all__ = ["FillTable"]


class FillTable(DataTable[Text]):
    """A ``DataTable`` of Rich text with fixed-width columns around one that fills the rest.

    Cells that may be long should be built with ``no_wrap`` and ``overflow="ellipsis"`` so
    they end in "…" instead of pushing the other columns off screen.
    """

    def __init__(
        self,
        fill: tuple[str, str],
        fixed: Sequence[tuple[str, str, int]],
        *,
        fill_at: int = 0,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.fill_key = fill[1]
        self.fixed_width = sum(width for _, _, width in fixed)
        self._columns_spec = [(label, key, width) for label, key, width in fixed]
        self._columns_spec.insert(fill_at, (fill[0], fill[1], 0))

    def on_mount(self) -> None:
        for label, key, width in self._columns_spec:
            self.add_column(label, key=key, width=width or None)

    def on_resize(self) -> None:
        column = self.columns.get(self.fill_key)  # type: ignore[call-overload]
        if column is None:
            return
        padding = 2 * self.cell_padding * len(self.columns)
        spare = self.scrollable_content_region.width - self.fixed_width - padding - 2
        column.auto_width = False
        column.width = max(spare, 8)
        self.refresh()
