"""``powercis ledger check``: prove every balance equals its entries (exit status 1 when not)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "账务检查: 每个账户余额等于其分录合计，电费、收费与销账一致"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["check"])

    def handle(self, *args: Any, **options: Any) -> None:
        from powercis.audit.services import verify_chain
        from powercis.payments.models import AccountBalance, Journal
        from powercis.payments.services import check_ledger

        problems = check_ledger() + verify_chain()
        journals = Journal.objects.count()
        accounts = AccountBalance.objects.count()
        if problems:
            for p in problems[:200]:
                self.stderr.write(p)
            raise CommandError(f"账务检查未通过: {len(problems)} 处问题 ({journals} 张凭证, {accounts} 个账户)")
        self.stdout.write(f"账务检查通过: {journals} 张凭证, {accounts} 个账户余额与分录一致，变更日志哈希链完整")
