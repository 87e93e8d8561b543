# The reading book moves from the reading app to org (state only: the table keeps its name), so that
# the archive (customers.Account.book) points downward. See powercis/org/models.py ReadingBook.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0001_initial'),
        ('reading', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ReadingBook',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.CharField(max_length=20, unique=True, verbose_name='抄表段编号')),
                        ('name', models.CharField(max_length=100, verbose_name='抄表段名称')),
                        ('reading_day', models.PositiveSmallIntegerField(verbose_name='抄表例日')),
                        ('reader', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='books', to=settings.AUTH_USER_MODEL, verbose_name='抄表员')),
                        ('station', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='books', to='org.station')),
                    ],
                    options={
                        'verbose_name': '抄表段',
                        'verbose_name_plural': '抄表段',
                        'ordering': ['code'],
                        'db_table': 'reading_readingbook',
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
