"""`tandem serve` gives its processes a base URL of the address it serves on, unless one is configured."""

from tandem.core.management.commands.serve import served_environ


def test_base_url_follows_the_served_port():
    env = served_environ({"PATH": "/bin"}, host="127.0.0.1", port=8765)
    assert env["TANDEM_BASE_URL"] == "http://127.0.0.1:8765"
    assert env["PATH"] == "/bin"


def test_a_configured_base_url_wins():
    env = served_environ({"TANDEM_BASE_URL": "https://pm.example.cn"}, host="0.0.0.0", port=9000)
    assert env["TANDEM_BASE_URL"] == "https://pm.example.cn"


def test_wildcard_and_ipv6_binds_give_a_reachable_address():
    assert served_environ({}, host="0.0.0.0", port=80)["TANDEM_BASE_URL"] == "http://127.0.0.1:80"
    assert served_environ({}, host="::1", port=8000)["TANDEM_BASE_URL"] == "http://[::1]:8000"
    assert served_environ({"TANDEM_BASE_URL": ""}, host="pm.local", port=81)["TANDEM_BASE_URL"] == "http://pm.local:81"
