"""Running a load generator of benchmarks/ as its user does, for the smoke tests."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parents[2]


def run_generator(script: str, report: Path, *arguments: str) -> tuple[dict[str, Any], str]:
    """`python benchmarks/<script> ... --json <report>`: the figures it wrote, and its exit status and
    output (the end of it) to show when an assertion fails. Fails when it wrote no JSON."""
    command = [sys.executable, str(PROJECT / "benchmarks" / script), *arguments, "--json", str(report)]
    done = subprocess.run(command, cwd=PROJECT, capture_output=True, text=True, timeout=300, check=False)
    output = f"exit {done.returncode}\n{done.stdout[-6000:]}\n{done.stderr[-4000:]}"
    assert report.exists(), f"{script} wrote no JSON:\n{output}"
    return json.loads(report.read_text()), output
