"""The attacks of issue 10, replayed against webdig under a real gunicorn on loopback.

Each test sends what a hostile visitor sent and checks the new behaviour.
The public target policy is on (no ``WEBDIG_ALLOW_PRIVATE``) where the
attack is about what webdig may reach.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from tests.support.bind import NamedServer
from tests.support.gunicornapp import get, serving


@pytest.fixture(scope="module")
def public_webdig(named: NamedServer) -> Iterator[int]:
    """webdig with the default (public) target policy; its own resolver is the test BIND."""
    with serving({"WEBDIG_RESOLVER": f"127.0.0.1#{named.port}"}) as port:
        yield port


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("168.63.129.16", "Azure's platform address"),
        ("169.254.169.254", "instance metadata service"),
        ("100.100.100.200", "Alibaba Cloud's instance metadata service"),
        ("192.0.0.192", "Oracle Cloud's instance metadata service"),
        ("[fd00:ec2::254]:53", "Amazon EC2's IPv6 metadata service"),
    ],
)
def test_cloud_platform_addresses_are_refused_with_their_reason(
    public_webdig: int, address: str, reason: str
) -> None:
    path = f"/api/v1/lookup?hostnames=www.example.com&ns=self&nameservers={address}"
    status, _, body = get("127.0.0.1", public_webdig, path)
    assert status == 400
    assert reason in json.loads(body)["fields"]["nameservers"][0]


@pytest.mark.parametrize(
    "query",
    [
        "hostnames=fe80::1%25eth0&type=Reverse",
        "hostnames=www.example.com&nameservers=8.8.8.8:%E1%8D%A9",
    ],
)
@pytest.mark.parametrize("path", ["/", "/api/v1/lookup", "/?format=text&"])
def test_the_inputs_that_gave_500s_get_an_answer(public_webdig: int, path: str, query: str) -> None:
    separator = "" if path.endswith("&") else "?"
    status, _, _ = get("127.0.0.1", public_webdig, f"{path}{separator}{query}")
    assert status in (200, 400)
