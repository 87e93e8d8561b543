"""Throughput of the scalar reference rater (not run by `make test`).

Usage: .venv/bin/python bench/bench_rating.py [N]
Rates N residential (annual tiers) and N large-industrial (TOU + basic + PF) bills and prints bills/s.
"""

from __future__ import annotations

import random
import sys
import time
from decimal import Decimal

from powercis.core.rating import rate_bill


def residential(rng: random.Random) -> dict:
    return {
        "days": 30, "month_days": 30,
        "energy": {"total": str(rng.randint(0, 600))},
        "price": {"tiers": {"thresholds": ["2760", "4800"], "prices": ["0.5283", "0.5783", "0.8283"],
                            "used_before": str(rng.randint(0, 5000))}},
    }


def industrial(rng: random.Random) -> dict:
    total = Decimal(rng.randint(100_000, 900_000))
    peak = total * Decimal("0.3")
    valley = total * Decimal("0.2")
    return {
        "days": 30, "month_days": 30,
        "energy": {"total": str(total), "peak": str(peak), "valley": str(valley), "reactive": str(total * Decimal("0.3"))},
        "price": {"flat": "0.60", "peak_factor": "1.6", "valley_factor": "0.4"},
        "basic": {"capacity_kva": "5000", "price": "25"},
        "pf_standard": "0.90",
        "funds": [{"name": "农网还贷资金", "price": "0.02"}],
    }


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    rng = random.Random(1)
    for name, make in (("residential", residential), ("industrial", industrial)):
        inputs = [make(rng) for _ in range(n)]
        start = time.perf_counter()
        for inp in inputs:
            rate_bill(inp)
        elapsed = time.perf_counter() - start
        print(f"{name}: {n} bills in {elapsed:.2f} s = {n / elapsed:,.0f} bills/s")


if __name__ == "__main__":
    main()
