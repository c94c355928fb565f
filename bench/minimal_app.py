"""The benchmark's baseline: the least a Flask+dnspython lookup endpoint can do.

One route, on the same path and query-string names as webdig's JSON API,
so the load generator sends byte-identical requests to both servers.  It
sends one ``dns.query.udp`` query and returns the answer as JSON: no
validation beyond a loopback check, no retries, no rendering.  Given
``expected``, it does the DNS work webdig does for a verdict, in the
plainest way: it also asks AAAA, one query after the other, and says
whether every address answered is an expected one.
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
        expected = request.args.get("expected")
        types = [request.args.get("type", "A")] + (["AAAA"] if expected else [])
        results = []
        for rdtype in types:
            query = dns.message.make_query(hostname, rdtype)
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
            result: dict[str, object] = {"hostname": hostname, "answer": answer}
            if expected:
                found = {record["data"] for record in answer if record["type"] in ("A", "AAAA")}
                result["match"] = found <= {expected}
            results.append(result)
        return jsonify(results=results)

    return app
