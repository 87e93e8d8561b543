"""``powercis archive sync --on DATE``: bring the account list's columns to the terms in force on DATE.

Billing reads the dated archive itself; the ``Account`` columns are a copy for lists and filters. A
change dated in advance reaches them on its day when this daily job runs (cron, systemd timer …).
Keyed by date and safe to run twice: a second run changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone


class Command(BaseCommand):
    help = "档案同步：按生效日期把用电户档案的当前值同步到列表字段"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["sync"])
        parser.add_argument("--on", help="业务日期 YYYY-MM-DD（默认今天）")

    def handle(self, *args: Any, **options: Any) -> None:
        from powercis.customers.terms import sync_account_copies

        try:
            on = dt.date.fromisoformat(options["on"]) if options.get("on") else timezone.localdate()
        except ValueError:
            raise CommandError(f"日期格式应为 YYYY-MM-DD: {options['on']}") from None
        changed = sync_account_copies(None, on)
        self.stdout.write(f"档案同步 {on}: {changed} 户的当前档案已更新")
