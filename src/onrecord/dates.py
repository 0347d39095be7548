"""Month words as the press writes them ("January", "Jan", "Sept"), with their numbers: one list for
reading datelines (structure) and for telling "March 15" from "March 15th" apart in alignment (align)."""
from __future__ import annotations

MONTHS: dict[str, int] = {m: i for i, ms in enumerate((
    "january jan", "february feb", "march mar", "april apr", "may", "june jun", "july jul",
    "august aug", "september sep sept", "october oct", "november nov", "december dec"), 1) for m in ms.split()}
