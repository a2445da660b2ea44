"""Behind nginx (PROXY_HOPS=1) the per-address limits count each phone's own address."""

from __future__ import annotations

import pytest
from fabrique.config import ConfigError, from_environment
from fabrique.limits import client_ip


def _address_seen(app, headers) -> str:
    @app.get("/_test/address")
    def address():
        return client_ip()

    return app.test_client().get("/_test/address", headers=headers, environ_base={"REMOTE_ADDR": "127.0.0.1"}).text


def test_behind_one_proxy_the_forwarded_address_is_the_clients(make_app, tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'proxy.sqlite3'}", PROXY_HOPS=1)
    assert _address_seen(app, {"X-Forwarded-For": "203.0.113.7"}) == "203.0.113.7"


def test_without_a_proxy_a_forwarded_header_is_not_believed(make_app, tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'proxy.sqlite3'}", PROXY_HOPS=0)
    assert _address_seen(app, {"X-Forwarded-For": "203.0.113.7"}) == "127.0.0.1"


@pytest.mark.parametrize("value", ["-1", "abc", "9"])
def test_a_wrong_number_of_proxies_is_refused_at_start(tmp_path, value):
    with pytest.raises(ConfigError, match="PROXY_HOPS"):
        from_environment(tmp_path, {"PROXY_HOPS": value})
