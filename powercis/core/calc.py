"""The trial calculator (电费测算): one registry of calculation kinds, ``run`` and ``powercis calc``.

Why one registry: the CLI, the case tests and (later) the UI forms all need the same list of kinds with
their Chinese names and input descriptions, and must call them the same way —
``run(kind, input, on)`` with the case's ``input`` mapping and event date. Kind modules are imported
lazily, so a kind whose module is not installed yet fails alone (``kind_unavailable``) instead of
breaking every other kind.

The small input readers the kind adapters share (``need``, ``dec``…) live in ``powercis.core.inputs``.

Command line (``powercis calc [--check] FILE|DIR|- …``): prints one JSON line per case,
``{"id": …, "result": {…}}`` or ``{"id": …, "error": {"code": …, "message": …}}``; exit 0 when all
succeeded, 1 when any failed, 2 on a usage error. ``--check`` also compares each result with the case's
``expected`` (``casecompare``) and ends with a summary line ``N passed, M failed``.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from powercis.core.errors import CalcError
from powercis.core.inputs import need, parse_date

Adapter = Callable[[Mapping[str, Any], "date | None"], dict[str, Any]]

# --------------------------------------------------------------------------------------------------
# Registry
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KindInfo:
    """One calculation kind: where its adapter lives and how a person sees it."""

    kind: str
    name: str
    """Chinese name shown in menus (电费计算 …)."""
    fields: str
    """Short Chinese description of the input fields, for forms and help."""
    module: str
    function: str

    def load(self) -> Adapter:
        """Import the adapter; a module not installed yet gives ``kind_unavailable``."""
        try:
            module = importlib.import_module(self.module)
        except ModuleNotFoundError as exc:
            if exc.name is not None and self.module.startswith(exc.name):
                raise CalcError("kind_unavailable", f"{self.name}({self.kind}) 的计算模块尚未提供") from None
            raise
        func: Adapter = getattr(module, self.function)
        return func


KINDS: dict[str, KindInfo] = {
    info.kind: info
    for info in (
        KindInfo(
            "bill",
            "电费计算",
            "单期或分段(segments): 天数/月天数, 电量或表计示数(倍率), 电价(平峰谷/阶梯), 变损, 定量定比, "
            "基本电费(容量或需量), 功率因数标准; 基金及附加",
            "powercis.core.rating",
            "calc_bill",
        ),
        KindInfo(
            "energy",
            "电量计算",
            "表计: 起止示数或差值, TA/TV 变比, 穿芯匝数, 整数位数(翻转); 可选电价",
            "powercis.core.energy",
            "calc_energy",
        ),
        KindInfo(
            "pf",
            "功率因数调整",
            "有功电量 kWh, 无功电量 kvarh, 考核标准 0.90/0.85/0.80",
            "powercis.core.pf",
            "calc_pf",
        ),
        KindInfo(
            "basic_charge",
            "基本电费",
            "基本电价; 变压器 (编号, 容量 kVA); 互为备用(连锁)组; 暂停 (容量, 天数, 月天数, 收费比例)",
            "powercis.core.basic_charge",
            "calc_basic_charge",
        ),
        KindInfo(
            "late_fee",
            "电费违约金",
            "用户类别 (居民 residential / 其他 other); 欠费清单 (金额, 交费期限 due, 可选电费年份 year); "
            "交费日期 paid",
            "powercis.core.latefee",
            "calc_late_fee",
        ),
        KindInfo(
            "theft",
            "窃电",
            "用户类别 (动力 power / 照明 lighting); 容量 kW; 每日小时数、天数(不明留空按规则); "
            "或已知窃电量 kWh; 电价",
            "powercis.core.theft",
            "calc_theft",
        ),
        KindInfo(
            "violation",
            "违约用电",
            "类型: 擅自改变用电类别 class_change / 私增容量 capacity_overrun / 超计划用电 quota_overrun / "
            "擅用暂停封存设备 sealed_equipment_use / 更动计量装置 metering_tamper / "
            "擅自并网 unauthorized_source; 各类型所需的容量、电价、时间",
            "powercis.core.theft",
            "calc_violation",
        ),
        KindInfo(
            "meter_error",
            "计量差错退补",
            "类型: 误差 error_percent (误差%, 是否按一半时间) / 错接线 wiring (各相系数或 TA 变比); "
            "抄见电量或分时示数; 可选电价",
            "powercis.core.meter_error",
            "calc_meter_error",
        ),
        KindInfo(
            "line_loss",
            "线损",
            "供电量 (或输入、输出电量列表), 售电量; 可选电价",
            "powercis.core.lineloss",
            "calc_line_loss",
        ),
        KindInfo(
            "transformer_loss",
            "变损",
            "公式法: 空载损耗 P0, 短路损耗 Pk, 小时数, 负载率; 或铁损铜损法: 铁损有功/无功, 铜损%, K 值, "
            "抄见有功/无功",
            "powercis.core.transformer_loss",
            "calc_transformer_loss",
        ),
        KindInfo(
            "outage_compensation",
            "停电赔偿",
            "电价制度 (单一制 single_part / 两部制 two_part); 停电小时数; 正常月电量及天数; 电价",
            "powercis.core.compensation",
            "calc_outage_compensation",
        ),
    )
}


def run(kind: str, inp: Mapping[str, Any], on: date | None = None) -> dict[str, Any]:
    """Run one calculation: ``kind`` from ``KINDS``, the case ``input``, the event date.

    ``on`` selects the rule version; ``None`` means today (the rules in force now). An optional
    ``"contract"`` object in the input holds the supply contract's agreed rule values (dotted keys such
    as ``"theft.penalty_multiple"``), which override the version's defaults (2024 rules let the
    contract agree them).
    """
    info = KINDS.get(kind) if isinstance(kind, str) else None
    if info is None:
        raise CalcError("unknown_kind", f"未知的计算类型: {kind!r} (可选: {', '.join(KINDS)})")
    if not isinstance(inp, Mapping):
        raise CalcError("invalid_input", "input 须为对象")
    from powercis.core.rules import contract_terms

    contract = inp.get("contract")
    if contract is not None and not isinstance(contract, Mapping):
        raise CalcError("invalid_input", "contract 须为对象")
    with contract_terms(contract):
        return info.load()(inp, on if on is not None else date.today())


# --------------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------------

USAGE = "用法: powercis calc [--check] FILE|DIR|- [FILE…]   (DIR = 其中全部 *.json, - = 标准输入)"


@dataclass
class _Case:
    """One case as read: only ``id``, ``kind``, ``date`` and ``input`` are used to calculate."""

    id: str
    raw: Any
    error: CalcError | None = None


def _expand(args: list[str]) -> Iterator[str]:
    for arg in args:
        path = Path(arg)
        if arg != "-" and path.is_dir():
            yield from (str(p) for p in sorted(path.glob("*.json")))
        else:
            yield arg


def _read(arg: str, stdin: TextIO) -> list[_Case]:
    """The cases in one file: a case object, or a list of them."""
    default_id = "-" if arg == "-" else Path(arg).stem
    try:
        text = stdin.read() if arg == "-" else Path(arg).read_text(encoding="utf-8")
    except OSError as exc:
        return [_Case(default_id, None, CalcError("unreadable_file", f"无法读取 {arg}: {exc.strerror}"))]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return [_Case(default_id, None, CalcError("invalid_json", f"{arg} 不是有效的 JSON: {exc}"))]
    cases = data if isinstance(data, list) else [data]
    result = []
    for n, case in enumerate(cases):
        fallback = default_id if len(cases) == 1 else f"{default_id}#{n + 1}"
        case_id = case.get("id") if isinstance(case, Mapping) else None
        result.append(_Case(str(case_id) if case_id is not None else fallback, case))
    return result


def run_case(case: Any) -> dict[str, Any]:
    """Calculate one case object (``id``/``kind``/``date``/``input`` only); raises ``CalcError``."""
    if not isinstance(case, Mapping):
        raise CalcError("invalid_case", "案例须为 JSON 对象")
    kind = need(case, "kind")
    on = parse_date(case["date"], "date") if case.get("date") is not None else None
    inp = need(case, "input")
    if not isinstance(inp, Mapping):
        raise CalcError("invalid_input", "input 须为对象")
    return run(kind, inp, on)


def main(argv: list[str], stdout: TextIO | None = None, stdin: TextIO | None = None) -> int:
    """``powercis calc``: see the module docstring for the output and exit status."""
    stdout = stdout or sys.stdout
    stdin = stdin or sys.stdin
    check = "--check" in argv
    args = [a for a in argv if a != "--check"]
    if not args or any(a in ("-h", "--help") for a in args) or any(a.startswith("--") for a in args):
        print(USAGE, file=sys.stderr)
        return 2

    from powercis.core.casecompare import compare

    failed = passed = unchecked = 0
    for arg in _expand(args):
        for case in _read(arg, stdin):
            line: dict[str, Any] = {"id": case.id}
            result: dict[str, Any] | None = None
            try:
                if case.error is not None:
                    raise case.error
                result = run_case(case.raw)
                line["result"] = result
            except CalcError as exc:
                line["error"] = exc.as_dict()
            if check:
                expected = case.raw.get("expected") if isinstance(case.raw, Mapping) else None
                if result is None:
                    line["check"] = "fail"
                    failed += 1
                elif not isinstance(expected, Mapping):
                    line["check"] = "unchecked"
                    unchecked += 1
                else:
                    mismatches = compare(expected, result)
                    line["check"] = "fail" if mismatches else "pass"
                    if mismatches:
                        line["mismatches"] = mismatches
                        failed += 1
                    else:
                        passed += 1
            elif result is None:
                failed += 1
            stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
    if check:
        summary = f"{passed} passed, {failed} failed"
        if unchecked:
            summary += f", {unchecked} unchecked"
        stdout.write(summary + "\n")
    stdout.flush()
    return 1 if failed else 0
