"""The dated archive (用电户档案按生效日期): what an account was on a day, over a period, and how it changes.

Two kinds of time, never mixed:
- effective time: ``AccountTerms.valid_from``, the business day from which the terms apply (a capacity
  increase completed on 11 March applies from 11 March whenever it is typed in);
- record time: when and by whom a change was entered, and why — the change log (``log_change``) and
  ``AccountTerms.recorded_at`` / ``changed_by`` / ``reason``.

Rows are never edited or deleted. A change effective on D is a new row valid from D; a correction of
the terms of an effective date already recorded is a new row of the same date with a higher ``seq``.
Each row is a complete snapshot, so the row in force on D — the greatest (valid_from, seq) with
valid_from ≤ D — answers "what was this account on day D" alone (``terms_on``), and a period is a
list of spans (``terms_over``, one query for a whole reading book).

Services take the business date ``on=`` and never read the clock: the ``Account`` columns are a copy of
the terms in force on ``on`` after a change, for lists and filters; billing never reads that copy.
A change dated after ``on`` leaves the copy alone until ``sync_account_copies`` runs on a later day.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import OuterRef, Q, Subquery

from powercis.audit.services import log_change
from powercis.core.money import plain
from powercis.customers.models import (
    Account,
    AccountStatus,
    AccountTerms,
    BasicChargeMode,
    MeteringMode,
    PfStandard,
)
from powercis.org.scoping import check_station, require_perm
from powercis.services import ServiceError
from powercis.tariffs.models import Tariff

#: The dated facts of an account (every column of ``AccountTerms`` that billing may depend on).
TERMS_FIELDS = (
    "status", "category", "tariff", "voltage", "capacity_kva", "transformers", "interlocked", "basic_charge_mode",
    "contract_demand_kw", "pf_standard", "metering_mode", "transformer_loss", "fixed_quantities", "fixed_ratios",
)
#: The terms fields that ``Account`` keeps a copy of (for lists and filters).
ACCOUNT_COPY_FIELDS = (
    "status", "category", "tariff", "voltage", "capacity_kva", "basic_charge_mode", "contract_demand_kw",
    "pf_standard", "metering_mode",
)
LABELS = {
    "status": "状态", "category": "用电类别", "tariff": "电价", "voltage": "电压等级", "capacity_kva": "合同容量",
    "transformers": "变压器", "interlocked": "互锁组", "basic_charge_mode": "基本电费计收方式",
    "contract_demand_kw": "合同最大需量", "pf_standard": "功率因数考核标准", "metering_mode": "计量方式",
    "transformer_loss": "变损参数", "fixed_quantities": "定量", "fixed_ratios": "定比",
}


@dataclass(frozen=True)
class TermsSpan:
    """The terms in force from ``start`` to ``end`` (both inclusive) inside a requested range."""

    terms: AccountTerms
    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


# ---------------------------------------------------------------------------------------------------
# reading the archive
# ---------------------------------------------------------------------------------------------------


def terms_on(account: Account | int, day: dt.date) -> AccountTerms | None:
    """The terms of ``account`` in force on ``day``; None before its first terms (not yet connected)."""
    account_id = account if isinstance(account, int) else account.pk
    return (
        AccountTerms.objects.filter(account_id=account_id, valid_from__lte=day)
        .select_related("tariff")
        .order_by("-valid_from", "-seq")
        .first()
    )


def _latest_per_date(rows: Iterable[AccountTerms]) -> list[AccountTerms]:
    """Rows ordered by (valid_from, seq) → the last correction of each effective date, in date order."""
    by_date: dict[dt.date, AccountTerms] = {}
    for row in rows:
        by_date[row.valid_from] = row  # ordered by seq: the highest seq wins
    return [by_date[d] for d in sorted(by_date)]


def _spans(rows: list[AccountTerms], start: dt.date, end: dt.date) -> list[TermsSpan]:
    out = []
    for i, row in enumerate(rows):
        s = max(row.valid_from, start)
        e = min(rows[i + 1].valid_from - dt.timedelta(days=1), end) if i + 1 < len(rows) else end
        if s <= e:
            out.append(TermsSpan(row, s, e))
    return out


def terms_over(account_ids: Iterable[int], start: dt.date, end: dt.date) -> dict[int, list[TermsSpan]]:
    """Per account, the spans of terms covering the days ``start`` … ``end`` (both inclusive), in order.

    One query for any number of accounts (a whole reading book): the rows dated inside the range plus,
    per account, the last date at or before ``start`` (a correlated subquery), each date's highest
    ``seq`` kept. Days before an account's first terms (before it was connected) are in no span; an
    account with no terms in the range is absent from the result.
    """
    ids = list(account_ids)
    if not ids:
        return {}
    floor = (
        AccountTerms.objects.filter(account_id=OuterRef("account_id"), valid_from__lte=start)
        .order_by("-valid_from")
        .values("valid_from")[:1]
    )
    rows = (
        AccountTerms.objects.filter(account_id__in=ids, valid_from__lte=end)
        .filter(Q(valid_from__gt=start) | Q(valid_from__gte=Subquery(floor)))
        .select_related("tariff")
        .order_by("account_id", "valid_from", "seq")
    )
    grouped: dict[int, list[AccountTerms]] = defaultdict(list)
    for row in rows:
        grouped[row.account_id].append(row)
    out = {}
    for account_id, account_rows in grouped.items():
        spans = _spans(_latest_per_date(account_rows), start, end)
        if spans:
            out[account_id] = spans
    return out


def history(account: Account) -> list[AccountTerms]:
    """Every terms row of ``account`` (corrections included), in effective order, for the archive screen."""
    return list(account.terms.select_related("tariff", "changed_by").order_by("valid_from", "seq"))


# ---------------------------------------------------------------------------------------------------
# changing the archive
# ---------------------------------------------------------------------------------------------------


def _err(code: str, message: str) -> ServiceError:
    return ServiceError(code, message)


def _decimal(value: Any, field: str, *, minimum: Decimal | None = Decimal(0), allow_none: bool = False) -> Decimal | None:
    if value is None or value == "":
        if allow_none:
            return None
        raise _err("required", f"{LABELS.get(field, field)}不能为空")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise _err("not_a_number", f"{LABELS.get(field, field)}“{value}”不是有效数字") from None
    if not number.is_finite() or (minimum is not None and number < minimum):
        raise _err("out_of_range", f"{LABELS.get(field, field)} {value} 不合理")
    return number


def _choice(value: Any, field: str, choices: Any) -> str:
    for code, label in choices.choices:
        if value in (code, label):
            return str(code)
    options = "、".join(str(label) for _, label in choices.choices)
    raise _err("bad_choice", f"{LABELS[field]}“{value}”无效，可选：{options}")


def _tariff(value: Any) -> Tariff:
    if isinstance(value, Tariff):
        return value
    found = Tariff.objects.filter(pk=value).first() if isinstance(value, int) else Tariff.objects.filter(code=str(value)).first()
    if found is None:
        raise _err("unknown_tariff", f"电价 {value} 不存在")
    return found


def _transformers(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise _err("invalid_transformers", "变压器应为列表 [{id, kva, sealed, suspended}]")
    out, seen = [], set()
    for t in value:
        if not isinstance(t, Mapping) or not str(t.get("id", "")).strip():
            raise _err("invalid_transformers", "每台变压器须有编号 id")
        tid = str(t["id"]).strip()
        if tid in seen:
            raise _err("invalid_transformers", f"变压器编号 {tid} 重复")
        seen.add(tid)
        kva = _decimal(t.get("kva"), "capacity_kva", minimum=Decimal("0.01"))
        out.append({"id": tid, "kva": str(kva), "sealed": bool(t.get("sealed")), "suspended": bool(t.get("suspended"))})
    return out


def _loss(value: Any) -> dict[str, Any] | None:
    if value in (None, {}):
        return None
    if not isinstance(value, Mapping):
        raise _err("invalid_loss", "变损参数应为 {active_kwh, reactive_kvarh}")
    unknown = set(value) - {"active_kwh", "reactive_kvarh", "allocate", "round_kwh"}
    if unknown:
        raise _err("invalid_loss", f"变损参数不认识的项：{'、'.join(sorted(unknown))}")
    out: dict[str, Any] = {
        "active_kwh": str(_decimal(value.get("active_kwh"), "transformer_loss")),
        "reactive_kvarh": str(_decimal(value.get("reactive_kvarh", 0), "transformer_loss")),
    }
    if value.get("allocate") is not None:
        if value["allocate"] not in ("flat", "proportional"):
            raise _err("invalid_loss", "变损分摊方式应为 flat 或 proportional")
        out["allocate"] = value["allocate"]
    if value.get("round_kwh") is not None:
        try:
            out["round_kwh"] = int(value["round_kwh"])
        except (TypeError, ValueError):
            raise _err("invalid_loss", "变损取整位数应为整数") from None
    return out


def _splits(value: Any, field: str) -> list[dict[str, Any]]:
    """定量 ``{"name", "kwh", "price"|"tariff"}`` or 定比 ``{"name", "ratio", "price"|"tariff"}`` entries."""
    if not isinstance(value, list):
        raise _err("invalid_split", f"{LABELS[field]}应为列表")
    key = "kwh" if field == "fixed_quantities" else "ratio"
    out = []
    total_ratio = Decimal(0)
    for entry in value:
        if not isinstance(entry, Mapping) or not str(entry.get("name", "")).strip():
            raise _err("invalid_split", f"{LABELS[field]}每项须有名称 name")
        amount = _decimal(entry.get(key), field, minimum=Decimal(0))
        assert amount is not None
        item: dict[str, Any] = {"name": str(entry["name"]).strip(), key: str(amount)}
        if key == "ratio":
            if not 0 < amount <= 1:
                raise _err("invalid_split", f"定比 {item['name']} 的比例应在 0–1 之间")
            total_ratio += amount
        if entry.get("price") not in (None, ""):
            item["price"] = str(_decimal(entry["price"], field))
        elif entry.get("tariff"):
            item["tariff"] = _tariff(entry["tariff"]).code
        else:
            raise _err("invalid_split", f"{LABELS[field]} {item['name']} 须给出电价 price 或电价编码 tariff")
        out.append(item)
    if total_ratio > 1:
        raise _err("invalid_split", "定比合计超过 100%")
    return out


def _clean(changes: Mapping[str, Any]) -> dict[str, Any]:
    """Validate and normalise the changed fields (ServiceError with a stable code on the first problem)."""
    unknown = set(changes) - set(TERMS_FIELDS)
    if unknown:
        raise _err("unknown_field", f"不能按生效日期变更的项目：{'、'.join(sorted(unknown))}")
    out: dict[str, Any] = {}
    for field, value in changes.items():
        if field == "status":
            out[field] = _choice(value, field, AccountStatus)
        elif field == "tariff":
            out[field] = _tariff(value)
        elif field == "category":
            out[field] = str(value)
        elif field == "voltage":
            if not str(value).strip():
                raise _err("required", "电压等级不能为空")
            out[field] = str(value).strip()
        elif field == "capacity_kva":
            out[field] = _decimal(value, field)
        elif field == "contract_demand_kw":
            out[field] = _decimal(value, field, allow_none=True)
        elif field == "basic_charge_mode":
            out[field] = _choice(value, field, BasicChargeMode)
        elif field == "metering_mode":
            out[field] = _choice(value, field, MeteringMode)
        elif field == "pf_standard":
            out[field] = _choice(value or "", field, PfStandard)
        elif field == "transformers":
            out[field] = _transformers(value)
        elif field == "interlocked":
            if not isinstance(value, list) or not all(isinstance(g, list) and len(g) >= 2 for g in value):
                raise _err("invalid_interlock", "互锁组应为变压器编号的列表，每组至少两台")
            out[field] = [[str(m) for m in g] for g in value]
        elif field == "transformer_loss":
            out[field] = _loss(value)
        else:
            out[field] = _splits(value, field)
    if "tariff" in out:
        category = out["tariff"].category
        if out.get("category", category) != category:
            raise _err("category_mismatch", f"用电类别须与电价 {out['tariff'].code} 的类别一致")
        out["category"] = category
    elif "category" in out:
        raise _err("category_follows_tariff", "用电类别随电价变更（改类请变更电价）")
    return out


def _value(terms: AccountTerms, field: str) -> Any:
    """A comparable value of one terms field (the tariff by id, numbers as Decimal)."""
    if field == "tariff":
        return terms.tariff_id
    value = getattr(terms, field)
    if field in ("capacity_kva", "contract_demand_kw") and value is not None:
        return Decimal(value)
    return value


def _text(terms: AccountTerms, field: str) -> Any:
    if field == "tariff":
        return terms.tariff.code
    value = getattr(terms, field)
    return plain(Decimal(value)) if isinstance(value, Decimal) else value


def _copy(base: AccountTerms, values: Mapping[str, Any]) -> AccountTerms:
    row = AccountTerms(account_id=base.account_id)
    for field in TERMS_FIELDS:
        setattr(row, field, values[field] if field in values else getattr(base, field))
    return row


def _check_consistency(row: AccountTerms, touched: set[str]) -> None:
    """Cross-field rules on the resulting terms (checked when the change touches the fields concerned)."""
    ids = {t["id"] for t in row.transformers or []}
    for group in row.interlocked or []:
        missing = [m for m in group if m not in ids]
        if missing:
            raise _err("unknown_transformer", f"互锁组中的变压器 {'、'.join(missing)} 不在变压器清单中")
    if touched & {"metering_mode", "transformer_loss"} and row.metering_mode == MeteringMode.HV_LV and not row.transformer_loss:
        raise _err("loss_required", "高供低计须填写变损参数（有功 kWh/月、无功 kvarh/月）")
    if touched & {"basic_charge_mode", "contract_demand_kw"} and row.basic_charge_mode == BasicChargeMode.DEMAND and not row.contract_demand_kw:
        raise _err("demand_required", "按需量计收基本电费须填写合同最大需量")


def _next_seq(rows: list[AccountTerms], day: dt.date) -> int:
    return max((r.seq for r in rows if r.valid_from == day), default=0) + 1


def change_terms(
    account: Account, *, valid_from: dt.date, changes: Mapping[str, Any], reason: str, user: Any, on: dt.date,
    approved_by: Any = None,
) -> AccountTerms:
    """Record a change of ``account``'s terms effective from ``valid_from`` (business date ``on``).

    A new row valid from ``valid_from`` takes the terms in force that day with ``changes`` applied (a
    change on a date already recorded is a correction: same date, next ``seq``). When later dated rows
    exist, the changed fields are carried into each of them as a correction row, until a later row that
    had itself changed that field: the change holds "from ``valid_from`` on" without undoing later
    decisions. The change log records who and why with the before/after values; the ``Account`` copy
    follows when ``valid_from`` ≤ ``on``. Permission ``customers.change_account`` in the account's station.
    A class change (改类: the tariff, hence the category) is four-eyes (SPEC §0): ``approved_by`` must be
    another person holding ``customers.change_account`` in the same station.
    """
    require_perm(user, "customers.change_account")
    check_station(user, account.station_id)
    if not reason.strip():
        raise _err("reason_required", "请填写变更原因")
    if valid_from < account.connected_on:
        raise _err("before_connection", f"生效日期 {valid_from} 早于立户日期 {account.connected_on}")
    clean = _clean(changes)
    if not clean:
        raise _err("no_change", "没有要变更的项目")
    if "tariff" in clean:
        if approved_by is None or getattr(approved_by, "pk", None) == getattr(user, "pk", None):
            raise ServiceError("four_eyes", "改类须由申请人以外的另一人审批", status=403)
        require_perm(approved_by, "customers.change_account")
        check_station(approved_by, account.station_id)
    with transaction.atomic():
        Account.objects.select_for_update().filter(pk=account.pk).first()  # one change of an account at a time
        rows = list(AccountTerms.objects.filter(account=account).select_related("tariff").order_by("valid_from", "seq"))
        chain = _latest_per_date(rows)
        before = [r for r in chain if r.valid_from <= valid_from]
        if not before:
            raise _err("no_terms", f"户号 {account.number} 在 {valid_from} 没有档案")
        base = before[-1]
        new = _copy(base, clean)
        touched = {f for f in clean if _value(new, f) != _value(base, f)}
        if not touched:
            raise _err("no_change", "变更后的档案与生效日的档案相同")
        _check_consistency(new, touched)
        who = user if getattr(user, "pk", None) else None
        new.valid_from, new.seq, new.reason, new.changed_by = valid_from, _next_seq(rows, valid_from), reason.strip()[:200], who
        new.save()
        written = [new]
        carry = {f: clean[f] for f in touched}
        previous_old = base
        for later in (r for r in chain if r.valid_from > valid_from):
            carry = {f: v for f, v in carry.items() if _value(later, f) == _value(previous_old, f)}
            if not carry:
                break
            previous_old = later
            row = _copy(later, carry)
            _check_consistency(row, set(carry))
            row.valid_from, row.seq, row.changed_by = later.valid_from, _next_seq(rows, later.valid_from), who
            row.reason = f"{reason.strip()}（{valid_from} 起的变更顺延至此）"[:200]
            row.save()
            written.append(row)
        fields = sorted(touched, key=TERMS_FIELDS.index)
        summary = "，".join(f"{LABELS[f]} {_text(base, f)}→{_text(new, f)}" for f in fields)
        log_change(
            user=user, obj_type="customers.account", obj_id=account.number, action="update", station_id=account.station_id,
            summary=f"档案变更 {account.number} 自 {valid_from} 起：{summary}；原因：{reason.strip()}",
            data={
                "valid_from": valid_from.isoformat(), "seq": new.seq, "reason": reason.strip(), "on": on.isoformat(),
                "approved_by": getattr(approved_by, "username", None),
                "before": {f: _text(base, f) for f in fields}, "after": {f: _text(new, f) for f in fields},
                "rows": [{"id": r.pk, "valid_from": r.valid_from.isoformat(), "seq": r.seq} for r in written],
            },
        )
        if valid_from <= on:
            sync_account_copies([account.pk], on)
            account.refresh_from_db(fields=list(ACCOUNT_COPY_FIELDS))
    return new


def sync_account_copies(account_ids: Iterable[int] | None, on: dt.date) -> int:
    """Set the ``Account`` copy columns to the terms in force on ``on``; returns how many accounts changed.

    ``change_terms`` calls it for the account it changed; a daily job calls it for all accounts
    (``account_ids`` None) so that changes dated in advance reach the lists on their day.
    """
    qs = Account.objects.all() if account_ids is None else Account.objects.filter(pk__in=list(account_ids))
    ids = list(qs.values_list("pk", flat=True))
    changed = 0
    for start in range(0, len(ids), 2000):
        chunk = ids[start:start + 2000]
        spans = terms_over(chunk, on, on)
        dirty = []
        for account in Account.objects.filter(pk__in=list(spans)):
            terms = spans[account.pk][0].terms
            if any(_value(terms, f) != _account_value(account, f) for f in ACCOUNT_COPY_FIELDS):
                for f in ACCOUNT_COPY_FIELDS:
                    attr = "tariff_id" if f == "tariff" else f
                    setattr(account, attr, getattr(terms, attr))
                dirty.append(account)
        if dirty:
            Account.objects.bulk_update(dirty, list(ACCOUNT_COPY_FIELDS), batch_size=500)
            changed += len(dirty)
    return changed


def _account_value(account: Account, field: str) -> Any:
    if field == "tariff":
        return account.tariff_id
    value = getattr(account, field)
    if field in ("capacity_kva", "contract_demand_kw") and value is not None:
        return Decimal(value)
    return value


def history_rows(account: Account) -> list[dict[str, Any]]:
    """The archive's dated history for people: each row with what it changed against the row before it
    (newest first). The first row is the account as connected."""
    rows = history(account)
    out = []
    previous: AccountTerms | None = None
    for row in rows:
        changed = [
            (LABELS[f], "" if previous is None else _text(previous, f), _text(row, f))
            for f in TERMS_FIELDS
            if previous is not None and _value(row, f) != _value(previous, f)
        ]
        out.append({"terms": row, "changes": changed, "first": previous is None})
        previous = row
    out.reverse()
    return out
