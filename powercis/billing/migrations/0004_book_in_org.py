# Bill, run and partition books now point to org.ReadingBook (same table; state only).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('billing', '0003_adjustments_review_settings'),
        ('org', '0002_readingbook'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='bill',
                    name='book',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='org.readingbook'),
                ),
                migrations.AlterField(
                    model_name='billingpartition',
                    name='book',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='org.readingbook'),
                ),
                migrations.AlterField(
                    model_name='billingrun',
                    name='books',
                    field=models.ManyToManyField(to='org.readingbook'),
                ),
            ],
            database_operations=[],
        ),
    ]
