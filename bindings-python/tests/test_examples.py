"""The README's examples are bindings-python/examples/*.py (type-checked with mypy
--strict by scripts/test-python); here they must equal the README's code and run."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1]
ROOT = PACKAGE.parent
EXAMPLES = sorted((PACKAGE / "examples").glob("*.py"))


def readme_blocks() -> list[str]:
    readme = (PACKAGE / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", readme, flags=re.S)


def test_every_example_is_in_the_readme_verbatim() -> None:
    blocks = readme_blocks()
    assert EXAMPLES
    for example in EXAMPLES:
        assert example.read_text(encoding="utf-8") in blocks, f"{example.name} differs from the README"
    assert len(blocks) == len(EXAMPLES), "a README block without its examples/*.py file"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_the_example_runs(example: Path, tmp_path: Path) -> None:
    # From a scratch directory holding examples/three-tier.json, since the examples
    # write files (template.yaml, run.checkpoint.json) where they run.
    (tmp_path / "examples").mkdir()
    shutil.copy(ROOT / "examples" / "three-tier.json", tmp_path / "examples")
    result = subprocess.run(
        [sys.executable, str(example)], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout
