"""Progress bars on stderr (tqdm), silent when not asked for."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Any

__all__ = ["progress_bar"]


def progress_bar(
    items: Iterable[Any] | None, label: str, unit: str, enabled: bool, total: int | None = None
) -> Any:
    """A tqdm bar showing count, rate (units/s) and ETA; a no-op wrapper when disabled."""
    from tqdm import tqdm

    return tqdm(
        items,
        desc=label,
        unit=f" {unit}s" if unit else "it",
        total=total,
        disable=not enabled,
        file=sys.stderr,
        dynamic_ncols=True,
        leave=False,
    )
