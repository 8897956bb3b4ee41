"""`python -m vpclink snapshot|apply|check|plan`: see `python -m vpclink --help`."""

from __future__ import annotations

import sys

from ._cli import main

if __name__ == "__main__":
    sys.exit(main())
