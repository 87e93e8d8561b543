"""Monthly seasonal profiles of household consumption, derived from real half-hourly data.

Source: ``shared/data/sgsc/households10_halfhourly.csv.gz`` (Smart Grid Smart City trial, 10 Australian
households, 2012–2014). For each household the mean daily kWh of each calendar month is computed. The
trial is in the southern hemisphere with a heating (winter) peak and little cooling; a household in
Jiangsu has both a winter heating and a summer air-conditioning peak. The demo therefore folds the
year: the Chinese month *m* takes the mean of the Australian months *m* and *m + 6*, so the Australian
winter peak appears both in the Chinese winter and summer, with the trial's own noise and shape. Each
profile is normalised to a mean of 1 and its swing limited (×0.6 … ×1.9), then scaled by the account's
own monthly mean (100–300 kWh, SPEC demo level) in the generator.
"""

from __future__ import annotations

import csv
import gzip
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

#: Fallback when the data file is absent: a typical Jiangsu two-peak year (Jan and Jul/Aug).
FALLBACK = (1.25, 1.1, 0.9, 0.8, 0.85, 1.05, 1.4, 1.45, 1.0, 0.8, 0.85, 1.1)

MIN_FACTOR = 0.6
MAX_FACTOR = 1.9


def _normalise(values: list[float]) -> tuple[float, ...]:
    mean = sum(values) / len(values)
    if mean <= 0:
        return FALLBACK
    clipped = [min(MAX_FACTOR, max(MIN_FACTOR, v / mean)) for v in values]
    mean2 = sum(clipped) / len(clipped)
    return tuple(round(v / mean2, 4) for v in clipped)


@lru_cache(maxsize=4)
def household_profiles(path: str) -> tuple[tuple[float, ...], ...]:
    """One 12-month factor profile (January first, mean 1) per household of the data file."""
    file = Path(path)
    if not file.exists():
        return (FALLBACK,)
    totals: dict[tuple[str, int], float] = defaultdict(float)
    days: dict[tuple[str, int], set[str]] = defaultdict(set)
    with gzip.open(file, "rt", encoding="utf-8") as f:
        reader = csv.reader(f)
        next(reader, None)
        for customer, start, kwh in reader:
            if not kwh:
                continue
            key = (customer, int(start[5:7]))
            totals[key] += float(kwh)
            days[key].add(start[:10])
    profiles = []
    for customer in sorted({c for c, _ in totals}):
        daily = {}
        for month in range(1, 13):
            key = (customer, month)
            if key in totals and days[key]:
                daily[month] = totals[key] / len(days[key])
        if len(daily) < 12:
            continue
        folded = [(daily[m] + daily[(m + 5) % 12 + 1]) / 2 for m in range(1, 13)]
        profiles.append(_normalise(folded))
    return tuple(profiles) or (FALLBACK,)


def default_profiles() -> tuple[tuple[float, ...], ...]:
    from django.conf import settings

    return household_profiles(str(Path(settings.SHARED_DIR) / "data" / "sgsc" / "households10_halfhourly.csv.gz"))
