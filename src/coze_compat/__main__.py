"""``python -m coze_compat``: the ``coze-compat`` command (``coze_compat.cli``)."""

import sys

from coze_compat.cli import main

sys.exit(main())
