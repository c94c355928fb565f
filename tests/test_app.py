"""The app class: Flask's answer to "is this callable async?", kept per callable."""

from __future__ import annotations

import pytest
from flask import Flask

from webdig.web.app import SYNCED_KEPT, WebdigFlask


def plain() -> str:
    return "ok"


async def coroutine() -> str:
    return "ok"


class Unhashable:
    __hash__ = None  # type: ignore[assignment]

    def __call__(self) -> str:
        return "ok"


@pytest.fixture
def app() -> WebdigFlask:
    return WebdigFlask("webdig-test")


def test_a_plain_function_is_returned_itself_and_kept(app: WebdigFlask) -> None:
    assert app.ensure_sync(plain) is plain
    assert app.ensure_sync(plain) is plain
    assert app._synced == {plain: plain}


def test_a_coroutine_function_goes_to_flasks_async_wrapper(app: WebdigFlask) -> None:
    # Without Flask's "async" extra, both refuse it the same way.
    with pytest.raises(RuntimeError, match="async") as ours:
        app.ensure_sync(coroutine)
    with pytest.raises(RuntimeError, match="async") as flasks:
        Flask("plain").ensure_sync(coroutine)
    assert str(ours.value) == str(flasks.value)


def test_an_unhashable_callable_is_answered_without_keeping_it(app: WebdigFlask) -> None:
    callable_object = Unhashable()
    assert app.ensure_sync(callable_object) is callable_object
    assert app._synced == {}


def test_callables_made_per_request_do_not_grow_it_without_bound(app: WebdigFlask) -> None:
    made = [lambda: "ok" for _ in range(SYNCED_KEPT + 10)]
    assert all(app.ensure_sync(function) is function for function in made)
    assert len(app._synced) == SYNCED_KEPT
