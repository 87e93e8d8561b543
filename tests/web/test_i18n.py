"""Chinese by default; English through the navbar's language switch (django set_language)."""

from __future__ import annotations

from django.urls import reverse


def test_chinese_by_default_english_on_switch(login):
    client = login("billing")
    text = client.get(reverse("web:home")).content.decode()
    assert "工作台" in text and "电费计算" in text and 'lang="zh-hans"' in text
    r = client.post(reverse("set_language"), {"language": "en", "next": reverse("web:home")})
    assert r.status_code == 302
    text = client.get(reverse("web:home")).content.decode()
    assert 'lang="en"' in text
    assert "Workbench" in text and "Billing" in text and "Billing clerk" in text
    assert "PowerCIS Billing" in text
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "工作台" in client.get(reverse("web:home")).content.decode()


def test_catalogue_is_complete():
    """Every msgid of the English catalogue has a translation (no empty or fuzzy entries)."""
    from pathlib import Path

    import powercis

    po = (Path(powercis.__file__).parent / "locale/en/LC_MESSAGES/django.po").read_text(encoding="utf-8")
    assert "#, fuzzy" not in po
    entries = po.split("\n\n")[1:]
    empty = [e for e in entries if e.rstrip().endswith('msgstr ""')]
    assert not empty, empty[:3]
    assert (Path(powercis.__file__).parent / "locale/en/LC_MESSAGES/django.mo").exists()


def test_browser_language_does_not_override_chinese(db, settings):
    """With ChineseFirstMiddleware an English browser still gets Chinese until the switch is used."""
    from django.test import Client

    settings.MIDDLEWARE = [
        m if m != "django.middleware.locale.LocaleMiddleware" else "powercis.web.middleware.ChineseFirstMiddleware"
        for m in settings.MIDDLEWARE
    ]
    settings.MIDDLEWARE.insert(settings.MIDDLEWARE.index("powercis.web.middleware.ChineseFirstMiddleware") + 1,
                               "django.middleware.locale.LocaleMiddleware")
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    text = client.get(reverse("login")).content.decode()
    assert "员工登录" in text
    client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert "Staff login" in client.get(reverse("login")).content.decode()
