"""Generates python/vpclink/types.py: TypedDicts for every JSON shape the API takes or
returns, from the core's own schema (``vpclink._vpclink.schema("api")``), so the typings
cannot disagree with the Rust types.

    python bindings-python/tools/gen_types.py           # rewrite types.py
    python bindings-python/tools/gen_types.py --check   # exit 1 when types.py is stale

Needs the installed extension (``pip install ./bindings-python``) and
datamodel-code-generator (pinned in requirements-dev.txt). tests/test_types_current.py
runs the check.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET = HERE.parent / "python" / "vpclink" / "types.py"

HEADER = '''\
# Generated from vpclink._vpclink.schema("api") by bindings-python/tools/gen_types.py
# (datamodel-code-generator); do not edit. Regenerate after changing a Rust type:
#     python bindings-python/tools/gen_types.py
#
# Names follow the Rust types. Where two Rust types share a name, the schema numbers the
# second: `Action2` is the executor's action (`Executor.poll`), `Action` a plan step's
# kind of change; `Summary2`, `ResourceRef2`, ... likewise.
'''

# The generator reads these from a compat module so that the package needs no
# dependency at run time (see vpclink/_typing.py).
IMPORT_OVERRIDES = {
    "TypedDict": "vpclink._typing",
    "NotRequired": "vpclink._typing",
    "TypeAlias": "vpclink._typing",
}


def generate() -> str:
    from vpclink._vpclink import schema

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "api.schema.json"
        output = Path(tmp) / "types.py"
        source.write_text(json.dumps(schema("api"), indent=1), encoding="utf-8")
        header = Path(tmp) / "header.txt"
        header.write_text(HEADER, encoding="utf-8")
        command = [
            sys.executable,
            "-m",
            "datamodel_code_generator",
            "--input", str(source),
            "--input-file-type", "jsonschema",
            "--output-model-type", "typing.TypedDict",
            # The lowest target the generator offers; with the options below the output
            # also runs on 3.9 (Union/Optional, not `|`; no PEP 728 `closed=`).
            "--target-python-version", "3.10",
            "--no-use-union-operator",
            "--no-use-closed-typed-dict",
            "--use-tag-as-union-variant-name",
            "--formatters", "builtin",
            "--disable-timestamp",
            "--custom-file-header-path", str(header),
            "--import-overrides", json.dumps(IMPORT_OVERRIDES),
            "--output", str(output),
        ]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            sys.stderr.write(result.stderr)
            raise SystemExit(f"datamodel-codegen failed ({result.returncode})")
        return output.read_text(encoding="utf-8")


def main(argv: list[str]) -> int:
    text = generate()
    if "--check" in argv:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            sys.stderr.write(
                f"{TARGET} is stale: run `python bindings-python/tools/gen_types.py` "
                "and review the diff\n"
            )
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
