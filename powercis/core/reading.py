"""Validation of a meter reading (抄表示数校验) before billing.

SPEC §3: readings below the previous one (rollover vs. error), zero consumption, sudden rise or fall
against the account's history, estimated readings and missing readings are exceptions. Exceptions go to a
review queue and a reading book is released to billing only when they are resolved, so every finding that
needs a person's decision is ``block``; only a plausible register rollover, which the arithmetic settles,
is ``warn``. Codes are stable (the review queue and reports match on them); messages are specific so the
reviewer sees the numbers without opening the account.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from powercis.core.money import plain as _n
from powercis.core.money import round_half_up

BLOCK = "block"
WARN = "warn"


@dataclass(frozen=True)
class Thresholds:
    """Configurable validation thresholds.

    ``rise_percent``/``fall_percent``: change against the mean of the history that counts as sudden.
    ``min_history``: fewer past periods than this → no rise/fall check (no meaningful mean).
    ``rollover_max_fraction``: an end < start is taken as a rollover only if the implied advance is below
    this fraction of the register range (10**digits); a larger one is more likely a misread or a swapped
    meter.
    """

    rise_percent: Decimal = Decimal("100")
    fall_percent: Decimal = Decimal("50")
    min_history: int = 3
    rollover_max_fraction: Decimal = Decimal("0.5")


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str  # "block" | "warn"
    message_zh: str
    message_en: str


@dataclass(frozen=True)
class ReadingCheck:
    """One register reading to check: previous and current readings, integer digits of the dial,
    the meter multiplier, past periods' kWh (most recent last or first — only the mean is used) and
    whether the current reading is estimated (估抄)."""

    previous: Decimal | None
    current: Decimal | None
    digits: int
    multiplier: Decimal = Decimal(1)
    history_kwh: tuple[Decimal, ...] = ()
    estimated: bool = False


@dataclass(frozen=True)
class Outcome:
    """The register advance and kWh (None when they cannot be trusted), whether the register rolled over,
    and the findings."""

    register_delta: Decimal | None
    kwh: Decimal | None
    rolled_over: bool
    findings: tuple[Finding, ...]

    @property
    def blocking(self) -> bool:
        """True when a finding must be resolved by a person before billing."""
        return any(f.severity == BLOCK for f in self.findings)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(f.code for f in self.findings)




def _pct(value: Decimal) -> str:
    return _n(round_half_up(value, 1)) if value != value.to_integral_value() else _n(value)


def check_reading(c: ReadingCheck, t: Thresholds = Thresholds()) -> Outcome:  # noqa: B008 - frozen, immutable default
    """Check one reading; see the module docstring for the codes and their severities.

    Order: MISSING and OVER_RANGE stop the check (no usable advance); then BELOW_PREVIOUS / ROLLOVER;
    then ZERO, or SUDDEN_RISE / SUDDEN_FALL against the history mean (ZERO supersedes SUDDEN_FALL); an
    ESTIMATED reading is always flagged. A first reading (no previous) gives NO_PREVIOUS (warn) and no kWh.
    """
    findings: list[Finding] = []
    estimated = (
        Finding("ESTIMATED", BLOCK, "本次示数为估抄，需核实后方可计费", "the current reading is estimated; confirm before billing")
        if c.estimated
        else None
    )

    def done(delta: Decimal | None, kwh: Decimal | None, rolled: bool) -> Outcome:
        if estimated is not None:
            findings.append(estimated)
        return Outcome(delta, kwh, rolled, tuple(findings))

    if c.current is None:
        findings.append(Finding("MISSING", BLOCK, "缺少本次示数（未抄）", "no current reading"))
        return done(None, None, False)
    top = Decimal(10) ** c.digits
    for label_zh, label_en, value in (("本次", "current", c.current), ("上次", "previous", c.previous)):
        if value is not None and (value >= top or value < 0):
            findings.append(
                Finding(
                    "OVER_RANGE",
                    BLOCK,
                    f"{label_zh}示数 {_n(value)} 超出 {c.digits} 位表计量程 0–{_n(top)}",
                    f"{label_en} reading {_n(value)} is outside the {c.digits}-digit register range 0–{_n(top)}",
                )
            )
    if findings:
        return done(None, None, False)
    if c.previous is None:
        findings.append(
            Finding("NO_PREVIOUS", WARN, f"无上次示数（首次抄表），本次示数 {_n(c.current)}，不计算电量",
                    f"no previous reading (first reading {_n(c.current)}); no consumption computed")
        )
        return done(None, None, False)

    rolled = False
    if c.current >= c.previous:
        delta = c.current - c.previous
    else:
        candidate = top - c.previous + c.current
        if candidate < top * t.rollover_max_fraction:
            delta = candidate
            rolled = True
            findings.append(
                Finding(
                    "ROLLOVER",
                    WARN,
                    f"本次示数 {_n(c.current)} 小于上次示数 {_n(c.previous)}，按 {c.digits} 位表计翻转计算，"
                    f"走字 {_n(delta)}",
                    f"current {_n(c.current)} below previous {_n(c.previous)}: {c.digits}-digit rollover, "
                    f"advance {_n(delta)}",
                )
            )
        else:
            findings.append(
                Finding(
                    "BELOW_PREVIOUS",
                    BLOCK,
                    f"本次示数 {_n(c.current)} 小于上次示数 {_n(c.previous)}，且不符合 {c.digits} 位表计翻转"
                    f"（翻转走字 {_n(candidate)} 超过量程的 {_pct(t.rollover_max_fraction * 100)}%）",
                    f"current {_n(c.current)} below previous {_n(c.previous)} and not a plausible "
                    f"{c.digits}-digit rollover (implied advance {_n(candidate)})",
                )
            )
            return done(None, None, False)

    kwh = delta * c.multiplier
    if kwh == 0:
        findings.append(
            Finding("ZERO", BLOCK, f"零电量：本次示数 {_n(c.current)} 与上次相同，需确认是否停用或表计故障",
                    f"zero consumption (reading {_n(c.current)} unchanged); confirm vacancy or meter fault")
        )
    elif len(c.history_kwh) >= t.min_history:
        n = len(c.history_kwh)
        mean = sum(c.history_kwh, Decimal(0)) / n
        if mean > 0:
            change = (kwh - mean) / mean * 100
            if kwh > mean * (1 + t.rise_percent / 100):
                findings.append(
                    Finding(
                        "SUDDEN_RISE",
                        BLOCK,
                        f"电量 {_n(kwh)} kWh 较近 {n} 个月平均 {_n(round_half_up(mean, 1))} kWh 上升 "
                        f"{_pct(change)}%，超过阈值 {_n(t.rise_percent)}%",
                        f"{_n(kwh)} kWh is {_pct(change)}% above the {n}-period mean "
                        f"{_n(round_half_up(mean, 1))} kWh (threshold {_n(t.rise_percent)}%)",
                    )
                )
            elif kwh < mean * (1 - t.fall_percent / 100):
                findings.append(
                    Finding(
                        "SUDDEN_FALL",
                        BLOCK,
                        f"电量 {_n(kwh)} kWh 较近 {n} 个月平均 {_n(round_half_up(mean, 1))} kWh 下降 "
                        f"{_pct(-change)}%，超过阈值 {_n(t.fall_percent)}%",
                        f"{_n(kwh)} kWh is {_pct(-change)}% below the {n}-period mean "
                        f"{_n(round_half_up(mean, 1))} kWh (threshold {_n(t.fall_percent)}%)",
                    )
                )
    return done(delta, kwh, rolled)
