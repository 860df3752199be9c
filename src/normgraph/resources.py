"""Where the shipped files live: ontology/, queries/, data/reference/; and what the package's
own processes need of each other: a child's environment, whether one still runs.

In a source checkout (or an editable install) they are read from the repository; in an
installed wheel from ``normgraph/_resources`` (force-included by pyproject.toml).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_REPO = _PACKAGE.parent.parent  # src/normgraph -> repository root

_LAYOUT = {
    "ontology": ("ontology", "ontology"),
    "queries": ("queries", "queries"),
    "reference": ("reference", "data/reference"),
}


def child_env() -> dict[str, str]:
    """The environment for a process of ours that runs this very package (``python -m
    normgraph...``): this one's, with ``PYTHONPATH`` naming first the folder the package was
    imported from, wherever that is."""
    import os

    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(_PACKAGE.parent)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    return env


def alive(pid: int) -> bool:
    """Whether a process with this id exists and has not ended (a zombie, which a container
    without an init may never reap, has)."""
    import os

    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_bytes()
    except OSError:
        return True  # no /proc here: existing is all that can be known
    return stat[stat.rfind(b")") + 2:][:1] != b"Z"


def resource_dir(name: str) -> Path:
    """The folder of shipped resource ``name`` ('ontology', 'queries' or 'reference')."""
    bundled, in_repo = _LAYOUT[name]
    packaged = _PACKAGE / "_resources" / bundled
    if packaged.is_dir():
        return packaged
    return _REPO / in_repo


def repo_root() -> Path | None:
    """The repository root when running from a checkout (it holds data/sources), else None."""
    return _REPO if (_REPO / "data" / "sources").is_dir() else None


def default_root() -> Path:
    """The project folder commands work in: ``$NORMGRAPH_ROOT``, else the working folder when
    it holds ``data/sources``, else the checkout normgraph runs from, else the working folder."""
    import os

    env = os.environ.get("NORMGRAPH_ROOT")
    if env:
        return Path(env)
    cwd = Path.cwd()
    if (cwd / "data" / "sources").is_dir():
        return cwd
    return repo_root() or cwd


def default_dump() -> Path:
    """The dump query commands read: the project's ``data/normgraph.ttl``, or the dump shipped
    inside an installed wheel when there is no project."""
    local = default_root() / "data" / "normgraph.ttl"
    packaged = _PACKAGE / "_resources" / "normgraph.ttl"
    if not local.exists() and packaged.exists():
        return packaged
    return local


@dataclass(frozen=True)
class Paths:
    """Where a build reads and writes. ``Paths.default()`` is the working folder when it holds
    ``data/sources``, else the repository normgraph runs from. ``root`` may be given as a
    string (``Paths("corpus")``, as a notebook would)."""

    root: Path

    def __post_init__(self) -> None:
        if not isinstance(self.root, Path):
            object.__setattr__(self, "root", Path(self.root))

    @classmethod
    def default(cls) -> Paths:
        return cls(default_root())

    @property
    def sources(self) -> Path:
        return self.root / "data" / "sources"

    @property
    def catalog(self) -> Path:
        return self.root / "data" / "catalog.yaml"

    @property
    def reference(self) -> Path:
        return self.root / "data" / "reference"

    @property
    def dump(self) -> Path:
        return self.root / "data" / "normgraph.ttl"
