"""Which version of the model a result was scored with: the SHA-256 (hex) of the model file's bytes.

A completed round stores its scores with this version (`services.results`), so a later change to
`assessment/model.toml` never silently changes a past result: the page compares the stored version
with the current one and says when a round was scored with an earlier model.

Models of earlier releases are kept, byte for byte, in `assessment/versions/<first 12 hex>.toml`
(see the README there). Only rounds completed before results were stored need them: such a round
is scored once, with the model of its release, the first time it is shown.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
import threading
import weakref
from pathlib import Path

from assessment.loader import load_model
from assessment.model import Model
from content.files import PROJECT_ROOT
from content.problems import ContentError

ARCHIVE_DIR = Path(__file__).resolve().parent / "versions"
SHORT = 12  # hex digits of the version in an archived model's file name

_lock = threading.Lock()
# id(model) -> (a weak reference to it, its version): each loaded model's file is read once.
_versions: dict[int, tuple[weakref.ref[Model], str]] = {}


def file_version(path: Path) -> str:
    """The version of a model file: the SHA-256 of its bytes, 64 hex digits."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def model_path_of(model: Model) -> Path:
    """The file a model was loaded from (`Model.file` is shown relative to the project when it can be)."""
    path = Path(model.file)
    return path if path.is_absolute() else PROJECT_ROOT / path


def model_version(model: Model) -> str:
    """The version of a loaded model, computed once per model object.

    The file is read the first time the model is asked for: a file edited between the load and that
    moment would give the edited file's version. The site loads the model once per process at start,
    and an edit to a running site's model needs a restart anyway."""
    key = id(model)
    with _lock:
        known = _versions.get(key)
        if known is not None and known[0]() is model:
            return known[1]
    version = file_version(model_path_of(model))

    def forget(_gone: weakref.ref[Model]) -> None:
        _versions.pop(key, None)

    with _lock:
        _versions[key] = (weakref.ref(model, forget), version)
    return version


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
            model = load_model(copy)
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
