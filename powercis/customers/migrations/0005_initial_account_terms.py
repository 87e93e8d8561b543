# One initial terms row per existing account: its own fields, valid from connected_on (the first supplied
# day), as the post_save receiver writes for every account created from now on.

from django.db import migrations

FIELDS = ("status", "category", "tariff_id", "voltage", "capacity_kva", "basic_charge_mode", "contract_demand_kw",
          "pf_standard", "metering_mode")


def forwards(apps, schema_editor):
    Account = apps.get_model("customers", "Account")
    AccountTerms = apps.get_model("customers", "AccountTerms")
    have = set(AccountTerms.objects.values_list("account_id", flat=True))
    batch = []
    for account in Account.objects.order_by("pk").iterator(chunk_size=2000):
        if account.pk in have:
            continue
        batch.append(AccountTerms(account_id=account.pk, valid_from=account.connected_on, seq=1, reason="立户（档案迁移）",
                                  **{f: getattr(account, f) for f in FIELDS}))
        if len(batch) >= 2000:
            AccountTerms.objects.bulk_create(batch)
            batch = []
    AccountTerms.objects.bulk_create(batch)


class Migration(migrations.Migration):

    dependencies = [
        ("customers", "0004_accountterms"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
