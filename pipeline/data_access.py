"""Readers for the knowledge files in pipeline/data: one place that opens them.

Every CSV and YAML file under ``pipeline/data`` is read here. A file that is
missing, not valid YAML, or a CSV row whose field count differs from its header
raises ``DataFileError`` naming the file and the line; loaders that convert a
row's cells do so inside ``row.checked()``, so a bad cell (``"1,5"`` where a
number belongs, a missing column) is reported the same way. Nothing here falls
back to an empty table: a broken data file fails the run and ``make test``.

CSV conventions: lines starting with ``#`` state the file's source and are
skipped (line numbers still count them); the first other line is the header.

    >>> rows = read_csv("months.csv")          # doctest: +SKIP
    >>> with rows[0].checked():                # doctest: +SKIP
    ...     month = int(rows[0]["month"])
"""
from __future__ import annotations

import contextlib
import csv
from pathlib import Path
from typing import Any, Iterable, Iterator

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"


class DataFileError(ValueError):
    """A data file that cannot be used as it is: ``path``, ``line`` (1-based, 0 if the
    whole file) and ``reason``; the message reads ``<path> line <n>: <reason>``."""

    def __init__(self, path: str | Path, line: int, reason: str) -> None:
        self.path, self.line, self.reason = Path(path), line, reason
        where = f"{_shown(self.path)} line {line}" if line else _shown(self.path)
        super().__init__(f"{where}: {reason}")


def _shown(path: Path) -> str:
    """The path relative to the project when it lies inside it (short messages)."""
    try:
        return str(path.resolve().relative_to(DATA_DIR.resolve().parent.parent))
    except ValueError:
        return str(path)


class DataRow(dict):
    """One CSV row (column -> cell) that knows its file and line."""

    __slots__ = ("path", "line")

    def __init__(self, cells: dict[str, str], path: Path, line: int) -> None:
        super().__init__(cells)
        self.path, self.line = path, line

    def error(self, reason: str) -> DataFileError:
        return DataFileError(self.path, self.line, reason)

    @contextlib.contextmanager
    def checked(self) -> Iterator[None]:
        """Turn a KeyError/ValueError/TypeError/ArithmeticError raised while converting
        this row's cells into a DataFileError naming the file and line."""
        try:
            yield
        except DataFileError:
            raise
        except KeyError as exc:
            raise self.error(f"no column {exc} (columns: {', '.join(self)})") from exc
        except (ValueError, TypeError, ArithmeticError) as exc:
            raise self.error(f"bad cell ({type(exc).__name__}: {exc}) in row {dict(self)!r}") from exc


def data_path(name: str | Path) -> Path:
    """``name`` inside the data folder (an absolute path is used as it is)."""
    path = Path(name)
    return path if path.is_absolute() else DATA_DIR / path


def read_csv(name: str | Path, *, strip: bool = True) -> list[DataRow]:
    """The rows of a data CSV, ``#`` comment lines skipped. With ``strip`` (the
    default) keys and cells are stripped of surrounding whitespace; without it,
    cells are kept as written (a separator cell may be a space)."""
    path = data_path(name)
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            numbered = [(n, line) for n, line in enumerate(fh, start=1) if not line.startswith("#")]
    except OSError as exc:
        raise DataFileError(path, 0, f"cannot read: {exc.strerror or exc}") from None
    reader = csv.reader([line for _, line in numbered])
    try:
        header = next(reader)
    except StopIteration:
        raise DataFileError(path, 0, "no header line") from None
    keys = [k.strip() for k in header] if strip else header
    rows: list[DataRow] = []
    consumed = reader.line_num
    for cells in reader:
        line = numbered[consumed][0]
        consumed = reader.line_num
        if not cells:
            continue
        if len(cells) != len(keys):
            raise DataFileError(path, line, f"{len(cells)} fields where the header has {len(keys)} "
                                            f"({', '.join(keys)})")
        rows.append(DataRow({k: (v.strip() if strip else v) for k, v in zip(keys, cells)}, path, line))
    return rows


def _load_yaml(path: Path, loader: type[yaml.SafeLoader]) -> Any:
    """A YAML file's content; an unreadable file or invalid YAML raises DataFileError with the line."""
    try:
        with open(path, encoding="utf-8-sig") as fh:
            return yaml.load(fh, Loader=loader)  # noqa: S506 (SafeLoader or a subclass)
    except OSError as exc:
        raise DataFileError(path, 0, f"cannot read: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        reason = " ".join(str(getattr(exc, "problem", None) or exc).split())
        raise DataFileError(path, mark.line + 1 if mark else 0, f"not valid YAML: {reason}") from None


def read_yaml(name: str | Path, default: Any = None) -> Any:
    """A data YAML file's content (``default``, ``{}`` unless given, for an empty file);
    invalid YAML raises DataFileError with the line of the problem."""
    data = _load_yaml(data_path(name), yaml.SafeLoader)
    if data is None:
        return {} if default is None else default
    return data


def yaml_mapping(name: str | Path) -> dict[str, Any]:
    """A data YAML file that must be a mapping at the top level."""
    data = read_yaml(name)
    if not isinstance(data, dict):
        raise DataFileError(data_path(name), 1, f"top level must be a mapping, not {type(data).__name__}")
    return data


class YamlMapping(dict):
    """A mapping read by ``read_yaml_lines``: it knows its file and the line it starts on."""

    __slots__ = ("path", "line")

    def error(self, reason: str) -> DataFileError:
        return DataFileError(self.path, self.line, reason)


def read_yaml_lines(name: str | Path) -> dict[str, Any]:
    """A data YAML file (a mapping at the top level) whose every mapping, at any depth, is a
    ``YamlMapping`` that knows its line, so a loader can name the line of a bad entry. A key
    written twice in one mapping is an error here (plain YAML keeps the last one silently)."""
    path = data_path(name)

    class Loader(yaml.SafeLoader):
        pass

    def mapping(loader: yaml.SafeLoader, node: yaml.MappingNode):
        data = YamlMapping()
        data.path, data.line = path, node.start_mark.line + 1
        yield data
        loader.flatten_mapping(node)
        for key_node, _ in node.value:
            key = loader.construct_object(key_node, deep=True)
            if key in data:
                raise DataFileError(path, key_node.start_mark.line + 1, f"key {key!r} written twice")
            data[key] = None
        data.update(loader.construct_mapping(node, deep=True))

    Loader.add_constructor("tag:yaml.org,2002:map", mapping)
    data = _load_yaml(path, Loader)
    if not isinstance(data, dict):
        raise DataFileError(path, 1, f"top level must be a mapping, not {type(data).__name__}")
    return data


def key_line(name: str | Path, key: str) -> int:
    """The line of top-level ``key:`` in a data YAML file (0 if not found)."""
    prefix = (key + ":", f'"{key}":', f"'{key}':")
    with open(data_path(name), encoding="utf-8-sig") as fh:
        for n, line in enumerate(fh, start=1):
            if line.startswith(prefix):
                return n
    return 0


def check_keys(name: str | Path, data: dict[str, Any], expected: Iterable[str], *, lists: bool = False) -> None:
    """Raise DataFileError for a top-level key of ``data`` that is not ``expected``
    (a typo), for an expected key that is missing, and (with ``lists``) for a
    value that is not a list."""
    expected = tuple(expected)
    for key in data:
        if key not in expected:
            raise DataFileError(data_path(name), key_line(name, str(key)),
                                f"unknown key {key!r} (expected one of: {', '.join(expected)})")
    for key in expected:
        if key not in data:
            raise DataFileError(data_path(name), 0, f"missing key {key!r}")
        if lists and not isinstance(data[key], list):
            raise DataFileError(data_path(name), key_line(name, key),
                                f"{key} must be a list, not {type(data[key]).__name__}")
