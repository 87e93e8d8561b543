from django.contrib.auth.models import User

from powercis.web.templatetags.powercis_web import person


def test_names_read_family_name_first_without_space():
    assert person(User(username="billing1", first_name="嘉亮", last_name="高")) == "高嘉亮"
    assert person(User(username="billing1")) == "billing1"
    assert person(None) == "—"
