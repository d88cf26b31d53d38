"""``python -m pipeline.link``: see ``pipeline.link.cli``."""

import sys

from .cli import main

sys.exit(main())
