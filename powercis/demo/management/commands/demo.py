"""``powercis demo``: create the demo company and run its monthly cycles, then print a summary.

Safe to run again: an existing demo is detected and only what is missing is run (nothing duplicated).
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "生成示范数据: 示范县供电公司、两个供电所、约 3000 户及 13 个月的抄表—核算—发行—收费业务"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--accounts", type=int, default=3000, help="用电户数（默认 3000）")
        parser.add_argument("--months", type=int, default=13, help="本月之前的历史月数（默认 13）")
        parser.add_argument("--seed", type=int, default=2026, help="随机种子（相同种子生成相同数据）")
        parser.add_argument(
            "--history-readings", choices=["bulk", "service"], default="bulk",
            help="历史月份示数写入方式: bulk 批量写入（同样的校验），service 逐户调用 submit_readings",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from powercis.demo.generator import demo_logins, demo_summary, format_summary, generate_demo

        if options["accounts"] < 10:
            raise CommandError("--accounts 至少为 10")
        if not 1 <= options["months"] <= 60:
            raise CommandError("--months 应在 1–60 之间")
        t0 = time.perf_counter()

        def out(line: str) -> None:
            self.stdout.write(line)
            self.stdout.flush()

        result = generate_demo(
            options["accounts"], options["months"], seed=options["seed"],
            history_readings=options["history_readings"], out=out,
        )
        if result.timings:
            parts = "，".join(f"{k} {v:.1f}" for k, v in result.timings.items())
            out(f"各环节耗时（秒）: {parts}")
        summary = demo_summary()
        for line in format_summary(summary, demo_logins()):
            out(line)
        out(f"（示范数据命令用时 {time.perf_counter() - t0:.1f} 秒）")
        if summary["ledger_problems"]:
            raise CommandError("账务检查未通过")
