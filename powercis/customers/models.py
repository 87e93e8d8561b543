"""Customer archives (客户档案): customers, their accounts (用电户) and the dated terms of each account.

Every fact billing depends on — status, class and tariff, voltage, capacity and transformers, basic-charge
mode, PF standard, metering mode and transformer loss, 定比/定量 splits — lives in ``AccountTerms`` rows
dated by the day they take effect (effective time, ``valid_from``), never edited: a change or a
correction is a new row (``powercis.customers.terms.change_terms``), and who recorded it and why is in
the change log (record time). The same columns on ``Account`` are a denormalised copy of the terms in
force on the business date of the latest change, for lists and filters; billing never reads them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from powercis.tariffs.models import TariffCategory


class Customer(models.Model):
    KINDS = [("person", "个人"), ("org", "单位")]
    station = models.ForeignKey("org.Station", on_delete=models.PROTECT, related_name="customers")
    number = models.CharField("客户编号", max_length=20, unique=True)
    name = models.CharField("客户名称", max_length=100)
    kind = models.CharField("客户类型", max_length=10, choices=KINDS, default="person")
    id_number = models.CharField("证件号码", max_length=30, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "客户"
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    @property
    def id_number_masked(self) -> str:
        """ID numbers are stored whole but shown masked (first 3 and last 4 characters)."""
        n = self.id_number
        if len(n) <= 7:
            return "*" * len(n)
        return n[:3] + "*" * (len(n) - 7) + n[-4:]


class AccountStatus(models.TextChoices):
    ACTIVE = "active", "在用"
    SUSPENDED = "suspended", "暂停"
    CLOSED = "closed", "销户"


class MeteringMode(models.TextChoices):
    HV_HV = "hv_hv", "高供高计"
    HV_LV = "hv_lv", "高供低计"
    LV_LV = "lv_lv", "低供低计"


class BasicChargeMode(models.TextChoices):
    NONE = "none", "无"
    CAPACITY = "capacity", "按容量"
    DEMAND = "demand", "按需量"


class PfStandard(models.TextChoices):
    NONE = "", "不考核"
    S090 = "0.90", "0.90"
    S085 = "0.85", "0.85"
    S080 = "0.80", "0.80"


class Account(models.Model):
    station = models.ForeignKey("org.Station", on_delete=models.PROTECT, related_name="accounts")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="accounts")
    number = models.CharField("户号", max_length=20, unique=True)
    name = models.CharField("户名", max_length=100)
    address = models.CharField("用电地址", max_length=200)
    area = models.ForeignKey("org.TransformerArea", on_delete=models.PROTECT, null=True, blank=True, verbose_name="台区")
    feeder = models.ForeignKey("org.Feeder", on_delete=models.PROTECT, null=True, blank=True, verbose_name="线路")
    book = models.ForeignKey(
        "org.ReadingBook", on_delete=models.PROTECT, null=True, blank=True, related_name="accounts",
        verbose_name="抄表段",
    )
    category = models.CharField("用电类别", max_length=20, choices=TariffCategory.choices)
    tariff = models.ForeignKey("tariffs.Tariff", on_delete=models.PROTECT, verbose_name="电价")
    voltage = models.CharField("电压等级", max_length=20, default="不满1千伏")
    capacity_kva = models.DecimalField("合同容量(kVA)", max_digits=10, decimal_places=2, default=0)
    metering_mode = models.CharField("计量方式", max_length=10, choices=MeteringMode.choices, default=MeteringMode.LV_LV)
    basic_charge_mode = models.CharField(
        "基本电费计收方式", max_length=10, choices=BasicChargeMode.choices, default=BasicChargeMode.NONE
    )
    contract_demand_kw = models.DecimalField("合同最大需量(kW)", max_digits=10, decimal_places=2, null=True, blank=True)
    pf_standard = models.CharField("功率因数考核标准", max_length=4, choices=PfStandard.choices, blank=True, default="")
    status = models.CharField("状态", max_length=10, choices=AccountStatus.choices, default=AccountStatus.ACTIVE)
    vulnerable = models.BooleanField("特殊群体(不自动停电)", default=False)
    inspection_class = models.CharField("检查分类", max_length=1, default="C")
    connected_on = models.DateField("立户日期")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "用电户"
        ordering = ["number"]
        permissions = [("import_accounts", "批量导入用电户")]
        indexes = [models.Index(fields=["station", "book"])]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class AccountTerms(models.Model):
    """The billing terms of one account from ``valid_from`` on (用电户档案，按生效日期).

    The row in force on day D is the one with the greatest (``valid_from``, ``seq``) whose
    ``valid_from`` ≤ D; a correction of the same effective date is a new row with a higher ``seq``.
    Rows are never edited or deleted, so "what was this account on day D" can always be answered.

    ``transformers``: ``[{"id", "kva", "sealed", "suspended"}]`` (optional; when empty ``capacity_kva``
    is the billable capacity); ``interlocked``: groups of transformer ids of which only the largest is
    charged; ``transformer_loss``: the rater's monthly fixed loss ``{"active_kwh", "reactive_kvarh",
    "allocate"?, "round_kwh"?}`` (used for 高供低计); ``fixed_quantities`` / ``fixed_ratios``: the rater's
    定量 / 定比 entries, each with a ``price`` or a ``tariff`` code resolved to a price at billing time.
    """

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="terms", verbose_name="用电户")
    valid_from = models.DateField("生效日期")
    seq = models.PositiveSmallIntegerField("同日序号", default=1)
    status = models.CharField("状态", max_length=10, choices=AccountStatus.choices, default=AccountStatus.ACTIVE)
    category = models.CharField("用电类别", max_length=20, choices=TariffCategory.choices)
    tariff = models.ForeignKey("tariffs.Tariff", on_delete=models.PROTECT, verbose_name="电价", related_name="+")
    voltage = models.CharField("电压等级", max_length=20, default="不满1千伏")
    capacity_kva = models.DecimalField("合同容量(kVA)", max_digits=10, decimal_places=2, default=0)
    transformers = models.JSONField("变压器", default=list, blank=True)
    interlocked = models.JSONField("互锁组", default=list, blank=True)
    basic_charge_mode = models.CharField(
        "基本电费计收方式", max_length=10, choices=BasicChargeMode.choices, default=BasicChargeMode.NONE
    )
    contract_demand_kw = models.DecimalField("合同最大需量(kW)", max_digits=10, decimal_places=2, null=True, blank=True)
    pf_standard = models.CharField("功率因数考核标准", max_length=4, choices=PfStandard.choices, blank=True, default="")
    metering_mode = models.CharField("计量方式", max_length=10, choices=MeteringMode.choices, default=MeteringMode.LV_LV)
    transformer_loss = models.JSONField("变损参数", null=True, blank=True)
    fixed_quantities = models.JSONField("定量", default=list, blank=True)
    fixed_ratios = models.JSONField("定比", default=list, blank=True)
    reason = models.CharField("变更原因", max_length=200)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="登记人"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "用电户档案(按生效日期)"
        ordering = ["account", "valid_from", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["account", "valid_from", "seq"], name="account_terms_unique_date_seq"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} 自 {self.valid_from} #{self.seq}"
