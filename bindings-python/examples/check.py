"""Check a topology file and print its findings, most severe first."""

import sys
from pathlib import Path

import vpclink

path = Path(sys.argv[1] if len(sys.argv) > 1 else "examples/three-tier.json")
try:
    report = vpclink.validate(path)  # a dict, JSON/YAML text or a path all work
except vpclink.TopologyError as e:
    # Where the input is wrong: a JSON Pointer, or the file, line and column.
    print(f"{e.file or path}:{e.line or 0}: {e.code} at {e.path}: {e}")
    sys.exit(2)

for finding in report["diagnostics"]:
    print(f'{finding["severity"]:7} {finding["code"]} {finding["path"]}: {finding["title"]}')
summary = report["summary"]
print(f'{summary["errors"]} errors, {summary["warnings"]} warnings, {summary["infos"]} infos')
sys.exit(1 if summary["errors"] else 0)
