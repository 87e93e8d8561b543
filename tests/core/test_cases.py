"""Every published case in the shared cases folder, through ``powercis.core.calc.run``.

The cases are data: a new ``*.json`` file in ``$POWERCIS_SHARED/cases`` (default ``<repo>/../shared``)
becomes a test here without code changes. Comparison follows cases/FORMAT.md via ``casecompare``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from powercis.core.calc import run_case
from powercis.core.casecompare import compare
from powercis.core.errors import CalcError

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("POWERCIS_SHARED", REPO.parent / "shared"))
CASES_DIR = SHARED / "cases"
CASE_FILES = sorted(CASES_DIR.glob("*.json"))


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def test_cases_folder_has_cases() -> None:
    if not CASES_DIR.is_dir():
        pytest.skip(f"shared cases folder not found: {CASES_DIR}")
    assert CASE_FILES, f"no *.json cases in {CASES_DIR}"


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_case(path: Path) -> None:
    case = load(path)
    assert isinstance(case.get("expected"), dict), f"{path.name} has no expected answer"
    try:
        result = run_case(case)
    except CalcError as exc:  # pragma: no cover - a failure message, not a branch under test
        pytest.fail(f"{case.get('id')}: {exc.code}: {exc.message}")
    mismatches = compare(case["expected"], result)
    assert not mismatches, f"{case.get('id')} ({case.get('kind')}): " + "; ".join(mismatches)
