"""Which version of the model a result was scored with: the SHA-256 (hex) of the model file's bytes.

A completed round stores its scores with this version (`services.results`), so a later change to
`assessment/model.toml` never silently changes a past result: the page compares the stored version
with the current one and says when a round was scored with an earlier model.

Models of earlier releases are kept, byte for byte, in `assessment/versions/<first 12 hex>.toml`
(see the README there). Only rounds completed before results were stored need them: such a round
is scored once, with the model of its release, the first time it is shown.
"""

from __future__ import annotations

import re
import tempfile
import threading
from dataclasses import replace
from pathlib import Path

from assessment.loader import file_version, load_model
from assessment.model import Model
from content.files import PROJECT_ROOT
from content.problems import ContentError

ARCHIVE_DIR = Path(__file__).resolve().parent / "versions"
SHORT = 12  # hex digits of the version in an archived model's file name

_lock = threading.Lock()


def model_path_of(model: Model) -> Path:
    """The file a model was loaded from (`Model.file` is shown relative to the project when it can be)."""
    path = Path(model.file)
    return path if path.is_absolute() else PROJECT_ROOT / path


def model_version(model: Model) -> str:
    """The version of a model: the one the loader read from its file's bytes, or, for a model built
    in code rather than loaded, its file's version now."""
    return model.version or file_version(model_path_of(model))


def archived_path(version: str) -> Path | None:
    """The archived model file of a version, when there is one whose bytes have that version."""
    if len(version) != 64 or not all(c in "0123456789abcdef" for c in version):
        return None
    path = ARCHIVE_DIR / f"{version[:SHORT]}.toml"
    if not path.is_file() or file_version(path) != version:
        return None
    return path


_archived: dict[str, Model] = {}


def archived_model(version: str) -> Model | None:
    """The model of an earlier release, loaded once per process; None when that version is not archived.

    An archive is read as it is; when today's loader refuses it because the model format has grown
    since (see `_with_later_keys`), it is read with those keys added in memory: the archive's bytes,
    and so its version, never change. A ContentError that remains propagates: an archive no
    loader step can read is a bug the tests catch."""
    with _lock:
        if version in _archived:
            return _archived[version]
    path = archived_path(version)
    if path is None:
        return None
    try:
        model = load_model(path)
    except ContentError:
        text = path.read_text(encoding="utf-8")
        grown = _with_later_keys(text)
        if grown == text:
            raise
        with tempfile.TemporaryDirectory() as folder:
            copy = Path(folder) / path.name
            copy.write_text(grown, encoding="utf-8")
            # Named by the archive's version, not the grown copy's.
            model = replace(load_model(copy), version=version)
    with _lock:
        _archived[version] = model
    return model


def _with_later_keys(text: str) -> str:
    """An archived model's TOML with the keys the format gained after it, as that model meant them.
    Scoring reads none of these keys' texts; the pages label a result with the current model.

    - `[[checklist_groups]]` (issue 12): the groups were fixed in code before; one per group the
      checklist items name, in the order first named, titled by its id."""
    if re.search(r"^\[\[checklist_groups\]\]", text, re.MULTILINE):
        return text
    groups = list(dict.fromkeys(re.findall(r'^group = "([^"]+)"', text, re.MULTILINE)))
    if not groups:
        return text
    added = "".join(f'\n[[checklist_groups]]\nid = "{group}"\ntitle = "{group}"\n' for group in groups)
    return text.rstrip("\n") + "\n" + added
