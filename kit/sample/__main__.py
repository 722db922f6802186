"""``python -m kit.sample``: see :func:`kit.sample.cli.main`."""

import sys

from kit.sample.cli import main

sys.exit(main())
