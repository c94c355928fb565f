"""gunicorn settings for webdig, read by the Procfile and ``webdig serve``.

PaaS platforms set PORT (and often WEB_CONCURRENCY); locally webdig binds to
127.0.0.1:8000.  Workers are threaded because a request mostly waits on
nameservers; the timeout stays well above the app's own request deadline
(WEBDIG_DEADLINE), so gunicorn never kills a worker that is
still within webdig's bounds.
"""

import os

from webdig.settings import DEFAULTS

_port = os.environ.get("PORT")
bind = f"0.0.0.0:{_port}" if _port else "127.0.0.1:8000"
wsgi_app = "webdig:create_app()"
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", DEFAULTS["WEB_CONCURRENCY"]))
threads = int(os.environ.get("WEBDIG_THREADS", DEFAULTS["THREADS"]))
timeout = max(30, int(float(os.environ.get("WEBDIG_DEADLINE", DEFAULTS["DEADLINE"])) * 3))
graceful_timeout = 10
keepalive = 5
accesslog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", DEFAULTS["FORWARDED_ALLOW_IPS"])
