"""Tools shared by every kind of content file (the model, lessons, quiz banks).

Problems with file:line (`content.problems`), the line of each TOML key
(`content.toml_lines`), how a file is named in messages (`content.files`).
This package imports nothing else of the project: assessment, lessons, quizzes
and learning all build on it.
"""
