# ReadingBook now lives in org (state only: the table reading_readingbook stays).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reading', '0001_initial'),
        ('org', '0002_readingbook'),
        ('customers', '0003_account_book_in_org'),
        ('billing', '0004_book_in_org'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='readingplan',
                    name='book',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='plans', to='org.readingbook'),
                ),
                migrations.DeleteModel(name='ReadingBook'),
            ],
            database_operations=[],
        ),
    ]
