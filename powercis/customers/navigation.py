"""The customer archive's menu entries."""

from django.utils.translation import gettext_noop

from powercis.registry import MenuItem

MENU = [
    MenuItem("customers:accounts", gettext_noop("客户档案"), "customers.view_account", order=10),
]
