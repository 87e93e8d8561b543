"""The ``powercis`` command.

``powercis calc FILE…`` is the trial calculator and needs no database, so it runs the pure core
directly. Every other sub-command is a Django management command (``powercis migrate``,
``powercis demo``, ``powercis ledger check``, ``powercis runserver`` …) run with PowerCIS settings.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] == "calc":
        from powercis.core.calc import main as calc_main

        return calc_main(argv[2:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "powercis.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
