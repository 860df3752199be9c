"""YAML with limits, for every YAML normgraph reads (front matter, the catalog, reference data,
query headers): a hostile file is a one-line error naming its line, never a hang, a memory blow-up
or a traceback.

- No aliases or anchors: a "billion laughs" document (aliases of aliases) cannot expand.
- Nesting bounded (:data:`MAX_DEPTH`): 10,000 ``[`` are refused before PyYAML's composer
  recurses into a RecursionError.
- Size bounded by the caller (``max_bytes``).
- No lone surrogates (``"\\ud800"``): they cannot be written as UTF-8 later.
- Keys are strings and unique; dates stay the strings written (no implicit timestamps), so a
  schema checks them and names the line.

Mappings come back as :class:`Mapping` (a dict that knows the line of each key) and sequences
as :class:`Sequence` (a list that knows the line of each item), so a schema check can say where
a bad value is.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

__all__ = ["YamlError", "Mapping", "Sequence", "load", "MAX_DEPTH", "line_of"]

MAX_DEPTH = 40
_SURROGATE = re.compile("[\ud800-\udfff]")


class YamlError(ValueError):
    """YAML that cannot be used: one line, starting with ``line N:`` where the fault is."""


class Mapping(dict[str, Any]):
    """A YAML mapping: ``line`` is where it starts, ``lines[key]`` where each key is."""

    line: int = 0
    lines: dict[str, int]


class Sequence(list[Any]):
    """A YAML sequence: ``line`` is where it starts, ``lines[i]`` where item ``i`` is."""

    line: int = 0
    lines: list[int]


def line_of(container: Any, key: Any, default: int = 0) -> int:
    """The line of ``container[key]`` when ``container`` came from :func:`load`, else
    ``default``."""
    if isinstance(container, Mapping):
        return container.lines.get(key, container.line)
    if isinstance(container, Sequence) and isinstance(key, int) and key < len(container.lines):
        return container.lines[key]
    return default


class _Loader(yaml.SafeLoader):
    """The safe loader without implicit timestamps and with the limits above."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise YamlError(f"line {line}: YAML anchors and aliases are not accepted")
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise YamlError(f"line {line}: nested more than {MAX_DEPTH} levels deep")
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load(text: str, max_bytes: int = 16 * 1024 * 1024) -> Any:
    """Parse one YAML document under the limits above (an empty document is None). Raises
    :class:`YamlError`."""
    if len(text) > max_bytes or len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        raise YamlError(f"line 1: larger than {max_bytes // 1024} KiB")
    if _SURROGATE.search(text):
        line = text.count("\n", 0, _SURROGATE.search(text).start()) + 1  # type: ignore[union-attr]
        raise YamlError(f"line {line}: a lone surrogate character, not text")
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        return None if node is None else _value(loader, node)
    except YamlError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}: " if mark else ""
        said = exc.problem or exc.context
        raise YamlError(f"{where}not valid YAML" + (f" ({said})" if said else "")) from None
    except (yaml.YAMLError, ValueError, TypeError) as exc:
        raise YamlError(f"not valid YAML ({(str(exc).splitlines() or [''])[0]})") from None
    finally:
        loader.dispose()


def _value(loader: _Loader, node: Any) -> Any:
    """Plain values from a composed node (depth is bounded by the composer)."""
    line = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_object(node, deep=True)
        if isinstance(value, str) and _SURROGATE.search(value):
            raise YamlError(f"line {line}: a lone surrogate character, not text")
        return value
    if isinstance(node, yaml.SequenceNode):
        seq = Sequence(_value(loader, item) for item in node.value)
        seq.line, seq.lines = line, [item.start_mark.line + 1 for item in node.value]
        return seq
    mapping = Mapping()
    mapping.line, mapping.lines = line, {}
    for key_node, value_node in node.value:
        key_line = key_node.start_mark.line + 1
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise YamlError(f"line {key_line}: merge keys (<<) are not accepted")
        key = _value(loader, key_node)
        if not isinstance(key, str):
            raise YamlError(f"line {key_line}: a key must be text, not {key!r}")
        if key in mapping:
            raise YamlError(f"line {key_line}: key {key!r} given twice")
        mapping[key] = _value(loader, value_node)
        mapping.lines[key] = key_line
    return mapping
