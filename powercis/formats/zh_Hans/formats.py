"""Simplified Chinese formats as stations print money: 3-digit groups with commas (438,593.69).

Django's zh_Hans defaults have no thousands separator; bills and receipts in China group by three.
"""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
