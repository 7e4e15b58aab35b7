"""Use cases: what pages, scripts and tests call. Each is one transaction under the retry policy
of `storage.engine`, takes an Engine, and raises the typed errors of `storage.errors`.
Plain Python: no streamlit, no translations."""
