"""Evidence files a department sends beside its 填报表, named by problem number (序号).

Either `3-党组会议纪要.pdf` (the number first, then a separator) or a sub-folder per problem
(`3/`, `3号/`, `问题3/`). The folder is the one the clerk chose, else one beside the workbook
named like it (`办公室-….xlsx` → `办公室-…/` or `办公室-…_佐证材料/`) or `佐证材料/`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_FILE_NUMBER = re.compile(r"^(?:问题)?(\d{1,4})(?:号)?[-_、.．\s（(]")
_DIR_NUMBER = re.compile(r"^(?:问题|第)?(\d{1,4})(?:号|项)?$")


@dataclass(frozen=True)
class FoundFile:
    path: Path
    number: int | None        # None: the name carries no problem number


def folder_beside(book: Path) -> Path | None:
    for name in (book.stem, f"{book.stem}_佐证材料", f"{book.stem}佐证材料", "佐证材料"):
        candidate = book.parent / name
        if candidate.is_dir():
            return candidate
    return None


def scan(folder: Path) -> list[FoundFile]:
    out: list[FoundFile] = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.name.startswith((".", "~$")) or path.name.lower() == "thumbs.db":
            continue
        number = None
        for part in path.relative_to(folder).parts[:-1]:
            m = _DIR_NUMBER.match(part.strip())
            if m:
                number = int(m.group(1))
        if number is None:
            m = _FILE_NUMBER.match(path.name)
            number = int(m.group(1)) if m else None
        out.append(FoundFile(path, number))
    return out
