"""Small files of a local store's folder, shared by the store and its keeper: JSON records
written whole, the fingerprint of a dump, folders left by processes that died.
Standard library only (and the package's root modules), so that every command may import it
at no cost."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..resources import alive

__all__ = ["fingerprint_of", "read_json", "write_json", "remove_dead"]


def fingerprint_of(dump: Path) -> dict[str, Any]:
    """What identifies a dump's content for a store made from it: its path, size and
    modification time (raises ``OSError`` when it cannot be read)."""
    st = dump.stat()
    return {"dump": str(dump), "size": st.st_size, "mtime_ns": st.st_mtime_ns}


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_json(path: Path, data: Any) -> None:
    """Write ``data`` to ``path`` whole or not at all (a name of its own per writer: threads
    of one process, or several processes, may write the same file at once)."""
    fd, name = tempfile.mkstemp(prefix=f"{path.name}.", suffix=".tmp", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    os.replace(name, path)


def remove_dead(folders: Iterable[Path]) -> None:
    """Remove the folders named ``<name>.<pid>.<rest>`` whose process has ended (one killed
    while it used its folder)."""
    for folder in folders:
        pid = folder.name.split(".")[1] if folder.name.count(".") >= 1 else ""
        if pid.isdigit() and not alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)
