"""The TLS probe: a handshake with the site's server, to read the certificate it serves.

Opens sockets through :mod:`webdig.renewal.connection`; what happened is a
:class:`~webdig.renewal.probeoutcome.TlsProbe`, never an exception.  Judging
the certificate is :mod:`webdig.renewal.certificate`'s work.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Iterable

from webdig.renewal.connection import (
    Admit,
    Parallel,
    connect,
    describe,
    each,
    held,
    refusal_for,
    unverified_context,
    verifying_context,
    wrap_tls,
)
from webdig.renewal.probeoutcome import TlsProbe
from webdig.renewal.redirects import ascii_host
from webdig.settings import Settings

_UNVERIFIED = unverified_context()


def probe_tls(
    name: str,
    addresses: Iterable[str],
    *,
    settings: Settings,
    deadline: float | None = None,
    parallel: Parallel | None = None,
    admit: Admit | None = None,
) -> list[TlsProbe]:
    """Shake hands with SNI=``name`` on ``settings.https_port`` of each address, concurrently."""
    host = ascii_host(name)
    end = deadline if deadline is not None else time.monotonic() + settings.deadline
    verifying = verifying_context(settings, check_hostname=False)  # certificate judges names

    def one(address: str) -> TlsProbe:
        busy = held(admit, address, settings.https_port)
        if busy is not None:
            return TlsProbe(host, address, settings.https_port, error=busy)
        return _handshake(host, address, verifying, settings=settings, deadline=end)

    return each(one, addresses, parallel)


def _handshake(
    host: str, address: str, verifying: ssl.SSLContext, *, settings: Settings, deadline: float
) -> TlsProbe:
    port, timeout = settings.https_port, settings.timeout
    refusal = refusal_for(address, port, settings)
    if refusal is not None:
        return TlsProbe(host, address, port, error=refusal)
    begin = time.monotonic()
    verify_code: int | None = None
    verify_error: str | None = None
    # Verify first; only when the chain fails, shake hands again to read the certificate.
    for context in (verifying, _UNVERIFIED):
        try:
            raw = connect(address, port, timeout, deadline)
        except OSError as exc:
            return TlsProbe(
                host, address, port, error=describe(exc, "connect", time.monotonic() - begin)
            )
        try:
            with wrap_tls(raw, host, context, timeout, deadline) as sock:
                der, version = sock.getpeercert(binary_form=True), sock.version()
        except ssl.SSLCertVerificationError as exc:
            verify_code, verify_error = exc.verify_code, exc.verify_message
            continue
        except OSError as exc:
            return TlsProbe(
                host, address, port, error=describe(exc, "handshake", time.monotonic() - begin)
            )
        finally:
            raw.close()
        elapsed = int((time.monotonic() - begin) * 1000)
        verified = context is verifying
        return TlsProbe(
            host, address, port, der, verified, verify_error, verify_code, version, elapsed
        )
    raise AssertionError("a handshake without verification cannot fail verification")
