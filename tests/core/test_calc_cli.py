"""``powercis calc`` as a subprocess: one JSON line per case, errors, exit status and ``--check``."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from powercis.core.calc import KINDS, main, run
from powercis.core.casecompare import compare
from powercis.core.errors import CalcError

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("POWERCIS_SHARED", REPO.parent / "shared"))
CASE_FILES = sorted((SHARED / "cases").glob("*.json"))


def powercis_calc(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "powercis.cli", "calc", *args],
        cwd=REPO, input=stdin, capture_output=True, text=True, encoding="utf-8", timeout=120, check=False,
    )


def lines_of(proc: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]


@pytest.fixture
def bad_cases(tmp_path: Path) -> Path:
    (tmp_path / "a_missing.json").write_text(
        json.dumps({"id": "BAD-MISSING", "kind": "theft", "date": "2010-01-01",
                    "input": {"customer": "power", "capacity_kw": 2}}), encoding="utf-8")
    (tmp_path / "b_kind.json").write_text(
        json.dumps({"id": "BAD-KIND", "kind": "horoscope", "date": "2010-01-01", "input": {}}), encoding="utf-8")
    (tmp_path / "c_json.json").write_text('{"id": "BAD-JSON", "kind": ', encoding="utf-8")
    return tmp_path


@pytest.mark.skipif(not CASE_FILES, reason="no shared cases")
def test_all_cases_one_line_each_and_match_expected() -> None:
    proc = powercis_calc(*map(str, CASE_FILES))
    lines = lines_of(proc)
    cases = [json.loads(p.read_text(encoding="utf-8")) for p in CASE_FILES]
    assert [line["id"] for line in lines] == [c["id"] for c in cases]
    failures = []
    for case, line in zip(cases, lines, strict=True):
        if "error" in line:
            failures.append(f"{case['id']}: {line['error']}")
            continue
        failures += [f"{case['id']}: {m}" for m in compare(case["expected"], line["result"])]
    assert not failures, "\n".join(failures)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.skipif(not CASE_FILES, reason="no shared cases")
def test_directory_argument_and_check_flag() -> None:
    proc = powercis_calc("--check", str(SHARED / "cases"))
    out = proc.stdout.splitlines()
    assert out[-1] == f"{len(CASE_FILES)} passed, 0 failed"
    assert all(json.loads(line)["check"] == "pass" for line in out[:-1])
    assert proc.returncode == 0


def test_error_lines_and_exit_code(bad_cases: Path) -> None:
    proc = powercis_calc(str(bad_cases))
    assert proc.returncode == 1
    by_id = {line["id"]: line for line in lines_of(proc)}
    assert by_id["BAD-MISSING"]["error"]["code"] == "missing_field"
    assert "price" in by_id["BAD-MISSING"]["error"]["message"]
    assert by_id["BAD-KIND"]["error"]["code"] == "unknown_kind"
    assert by_id["c_json"]["error"]["code"] == "invalid_json"  # unreadable: id from the file name
    assert all("result" not in line for line in by_id.values())


def test_check_counts_failures(bad_cases: Path, tmp_path: Path) -> None:
    wrong = tmp_path / "d_wrong.json"
    wrong.write_text(json.dumps({"id": "WRONG", "kind": "line_loss", "date": "2015-01-01",
                                 "input": {"supply_kwh": 100, "sales_kwh": 90}, "expected": {"loss_kwh": "11"}}))
    proc = powercis_calc("--check", str(bad_cases))
    assert proc.stdout.splitlines()[-1] == "0 passed, 4 failed"
    assert proc.returncode == 1
    wrong_line = next(line for line in lines_of_json(proc) if line["id"] == "WRONG")
    assert wrong_line["check"] == "fail" and wrong_line["mismatches"]


def lines_of_json(proc: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]


def test_stdin_and_chinese_output() -> None:
    case = {"id": "S1", "kind": "violation", "date": "2010-01-01",
            "input": {"type": "metering_tamper", "customer": "residential"}}
    proc = powercis_calc("-", stdin=json.dumps(case))
    assert proc.returncode == 0
    assert lines_of(proc) == [{"id": "S1", "result": {"supplementary": "0.00", "penalty": "500.00",
                                                      "total": "500.00"}}]
    bad = powercis_calc("-", stdin=json.dumps({"id": "S2", "kind": "theft", "input": {"customer": "x"}}))
    assert "取值无效" in bad.stdout
    assert "\\u" not in bad.stdout  # ensure_ascii=False


def test_usage_error() -> None:
    proc = powercis_calc()
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert main(["--bogus", "x.json"]) == 2


def test_in_process_main_and_run() -> None:
    buf = io.StringIO()
    stdin = io.StringIO(json.dumps([
        {"id": "A", "kind": "line_loss", "input": {"supply_kwh": 100, "sales_kwh": 90}},
        {"id": "B", "kind": "line_loss", "date": "not-a-date", "input": {}},
    ]))
    assert main(["-"], stdout=buf, stdin=stdin) == 1
    a, b = (json.loads(line) for line in buf.getvalue().splitlines())
    assert a["result"]["loss_rate_percent"] == "10.00"
    assert b["error"]["code"] == "invalid_date"
    with pytest.raises(CalcError) as exc:
        run("nope", {}, None)
    assert exc.value.code == "unknown_kind"


def test_registry_has_chinese_names_and_field_help() -> None:
    expected = {"bill": "电费计算", "energy": "电量计算", "pf": "功率因数调整", "basic_charge": "基本电费",
                "late_fee": "电费违约金", "theft": "窃电", "violation": "违约用电",
                "meter_error": "计量差错退补", "line_loss": "线损", "transformer_loss": "变损",
                "outage_compensation": "停电赔偿"}
    assert {k: v.name for k, v in KINDS.items()} == expected
    assert all(info.fields for info in KINDS.values())
    for info in KINDS.values():
        assert callable(info.load())


def test_contract_terms_override_the_rule_defaults():
    from powercis.core import calc
    from powercis.core.errors import CalcError

    theft = {"customer": "power", "capacity_kw": 2, "hours_per_day": None, "days": None, "price": "0.40"}
    default = calc.run("theft", theft, date(2024, 7, 1))
    agreed = calc.run("theft", {**theft, "contract": {"theft.penalty_multiple": "2"}}, date(2024, 7, 1))
    assert default["penalty"] == "5184.00" and agreed["penalty"] == "3456.00"
    assert calc.run("theft", theft, date(2024, 7, 1)) == default  # the override does not leak
    try:
        calc.run("theft", {**theft, "contract": {"theft.no_such_rule": "2"}}, date(2024, 7, 1))
    except CalcError as exc:
        assert exc.code == "unknown_rule"
    else:
        raise AssertionError("unknown contract key accepted")


def test_installed_powercis_command_checks_every_case():
    """``make install`` puts the ``powercis`` command beside the venv's python; it runs every case."""
    command = Path(sys.executable).with_name("powercis")
    assert command.exists(), f"{command} missing: run make install"
    cases = Path(os.environ.get("POWERCIS_SHARED", Path(__file__).resolve().parents[2].parent / "shared")) / "cases"
    done = subprocess.run([str(command), "calc", "--check", str(cases)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    count = len(list(cases.glob("*.json")))
    assert done.stdout.strip().splitlines()[-1].startswith(f"{count} passed, 0 failed")
