"""Run the ``wushe`` command as ``python -m wushe`` (命令行入口)."""

import sys

from wushe.cli import main

sys.exit(main())
