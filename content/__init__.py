"""Tools shared by every kind of content file (the model, lessons, quiz banks).

- `content.problems`: a `Problem` with file:line, `ProblemLog` and `Field` specs, `ContentError`;
- `content.toml_lines`: the line of every key in a TOML text;
- `content.files`: reading a file and its TOML, every failure a problem (`display_path`);
- `content.ids`: the id grammars, at most 80 characters as stored;
- `content.collection`: `load_all`, a folder of files with duplicate ids rejected;
- `content.report`: how the check commands print problems.

This package imports nothing else of the project: assessment, lessons, quizzes
and learning all build on it (the import contract in pyproject.toml checks that).
"""
