"""Google field masks: ``fields=`` on reads and the ``fields`` of update requests.

Masks accept ``.`` and ``/`` as separators and parenthesised sub-selections, e.g.
``properties.title,sheets(properties(sheetId,title),data.rowData.values.formattedValue)``.
A mask is a tree: ``{"sheets": {"properties": None}}``, where ``None`` selects a whole subtree.
"""

from __future__ import annotations

import re
from typing import Any

from tests.sheets_api.errors import bad_request

Mask = dict[str, Any]  # name -> Mask | None

_TOKEN = re.compile(r"\s*([^,()./\s]+|[,()./])")


def parse(text: str) -> Mask:
    """Parse a field mask; raise a 400 when it is malformed."""
    tokens = [m.group(1) for m in _TOKEN.finditer(text)]
    if "".join(tokens) != re.sub(r"\s+", "", text):
        raise bad_request(f"Invalid field selection {text}")
    tree, position = _parse_list(tokens, 0, text)
    if position != len(tokens):
        raise bad_request(f"Invalid field selection {text}")
    return tree


def _parse_list(tokens: list[str], position: int, text: str) -> tuple[Mask, int]:
    tree: Mask = {}
    while True:
        path: list[str] = []
        while True:
            if position >= len(tokens) or tokens[position] in ",()./":
                raise bad_request(f"Invalid field selection {text}")
            path.append(tokens[position])
            position += 1
            if position < len(tokens) and tokens[position] in "./":
                position += 1
                continue
            break
        subtree: Mask | None = None
        if position < len(tokens) and tokens[position] == "(":
            subtree, position = _parse_list(tokens, position + 1, text)
            if position >= len(tokens) or tokens[position] != ")":
                raise bad_request(f"Invalid field selection {text}")
            position += 1
        _merge(tree, path, subtree)
        if position < len(tokens) and tokens[position] == ",":
            position += 1
            continue
        return tree, position


def _merge(tree: Mask, path: list[str], subtree: Mask | None) -> None:
    node = tree
    for name in path[:-1]:
        if name in node and node[name] is None:
            return
        node = node.setdefault(name, {})
    last = path[-1]
    if subtree is None or node.get(last, {}) is None:
        node[last] = None
        return
    existing = node.setdefault(last, {})
    for name, child in subtree.items():
        _merge(existing, [name], child)


def project(value: Any, mask: Mask | None) -> Any:
    """Keep only the selected fields of a response; keys keep the response's own order."""
    if mask is None:
        return value
    if isinstance(value, list):
        return [project(item, mask) for item in value]
    if not isinstance(value, dict):
        return value
    if "*" in mask:
        return value
    return {key: project(item, mask[key]) for key, item in value.items() if key in mask}


def selects(mask: Mask | None, *path: str) -> bool:
    """Whether anything at or below ``path`` is selected."""
    node = mask
    for name in path:
        if node is None or "*" in node:
            return True
        if name not in node:
            return False
        node = node[name]
    return True


def subtree(mask: Mask | None, *path: str) -> Mask | None:
    node = mask
    for name in path:
        if node is None or "*" in node:
            return None
        node = node.get(name)
    return node


def leaf_paths(mask: Mask, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths: list[tuple[str, ...]] = []
    for name, child in mask.items():
        if child is None:
            paths.append((*prefix, name))
        else:
            paths.extend(leaf_paths(child, (*prefix, name)))
    return paths


def apply_update(
    target: dict[str, Any], source: dict[str, Any], mask: Mask
) -> list[tuple[str, ...]]:
    """Copy the masked fields from ``source`` into ``target``; masked fields absent in ``source``
    are cleared, as Google's update requests do. Returns the paths written.

    Values are taken by reference (one request's source may fill many cells): callers replace
    stored objects rather than edit them in place."""
    paths = leaf_paths(mask)
    for path in paths:
        if path[-1] == "*":
            parent = _walk(target, path[:-1], create=True)
            source_parent = _walk(source, path[:-1], create=False)
            if parent is not None:
                parent.clear()
                if isinstance(source_parent, dict):
                    parent.update(source_parent)
            continue
        found, value = _lookup(source, path)
        # An empty object clears the field: {"tabColorStyle": {"rgbColor": null}} removes the colour.
        if found and value != {}:
            parent = _walk(target, path[:-1], create=True)
            assert parent is not None
            parent[path[-1]] = value
        else:
            parent = _walk(target, path[:-1], create=False)
            if isinstance(parent, dict):
                parent.pop(path[-1], None)
                _prune_path(target, path[:-1])
    return paths


def _lookup(source: dict[str, Any], path: tuple[str, ...]) -> tuple[bool, Any]:
    node: Any = source
    for name in path:
        if not isinstance(node, dict) or name not in node:
            return False, None
        node = node[name]
    return True, node


def _walk(node: dict[str, Any], path: tuple[str, ...], *, create: bool) -> dict[str, Any] | None:
    for name in path:
        child = node.get(name)
        if not isinstance(child, dict):
            if not create:
                return None
            child = {}
            node[name] = child
        node = child
    return node


def _prune_path(node: dict[str, Any], path: tuple[str, ...]) -> None:
    """Drop the objects along ``path`` that a clear left empty, so they do not show up as ``{}``
    (objects that were already empty elsewhere, like a black ``foregroundColor``, stay)."""
    if not path or not isinstance(node.get(path[0]), dict):
        return
    _prune_path(node[path[0]], path[1:])
    if not node[path[0]]:
        del node[path[0]]
