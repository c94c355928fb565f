"""The benchmark's baseline: the least a Flask+dnspython lookup endpoint can do.

One route, on the same path and query-string names as webdig's JSON API,
so the load generator sends byte-identical requests to both servers.  It
sends one ``dns.query.udp`` query and returns the answer as JSON: no
validation beyond a loopback check, no retries, no rendering, no verdict.
Run it under gunicorn as ``bench.minimal_app:create_app()``.
"""

from __future__ import annotations

import ipaddress

import dns.message
import dns.query
from flask import Flask, Response, jsonify, request

TIMEOUT = 2.0


def create_app() -> Flask:
    """Build the baseline app."""
    app = Flask(__name__)

    @app.get("/api/v1/lookup")
    def lookup() -> Response | tuple[Response, int]:
        """Ask ``nameservers`` (``IP:port``) for ``hostnames`` and return the answer."""
        hostname = request.args.get("hostnames", "")
        host, _, port = request.args.get("nameservers", "").rpartition(":")
        # The benchmark only ever talks to loopback; refuse anything else.
        if not host or not ipaddress.ip_address(host).is_loopback:
            return jsonify(error="nameservers must be a loopback IP:port"), 400
        query = dns.message.make_query(hostname, request.args.get("type", "A"))
        reply = dns.query.udp(query, host, port=int(port or 53), timeout=TIMEOUT)
        answer = [
            {
                "name": rrset.name.to_text(),
                "ttl": rrset.ttl,
                "type": rdata.rdtype.name,
                "data": rdata.to_text(),
            }
            for rrset in reply.answer
            for rdata in rrset
        ]
        return jsonify(results=[{"hostname": hostname, "answer": answer}])

    return app
