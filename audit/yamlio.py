"""Safe YAML reading with errors that name the file and line (no tags, no code)."""
from __future__ import annotations

from pathlib import Path

from audit.errors import InputError


def read_text(path: Path, what: str = "file") -> str:
    """UTF-8 text (a BOM is accepted); anything else is an InputError naming the line."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(path, f"{what} not found") from None
    except IsADirectoryError:
        raise InputError(path, f"{what} is a directory, expected a file") from None
    except OSError as exc:
        raise InputError(path, f"cannot read {what}: {exc.strerror}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            path, f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8", line=line
        ) from None


def load_yaml(path: Path, what: str = "YAML file"):
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    text = read_text(path, what)
    yaml = YAML(typ="safe", pure=True)
    try:
        return yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise InputError(path, f"invalid YAML: {exc.problem or exc.context}", line=line) from None
    except YAMLError as exc:
        raise InputError(path, f"invalid YAML: {exc}") from None
    except RecursionError:
        raise InputError(path, "invalid YAML: nested too deeply") from None
