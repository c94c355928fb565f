"""gunicorn settings for webdig, read by the Procfile and ``webdig serve``.

PaaS platforms set PORT (and often WEB_CONCURRENCY); locally webdig binds to
127.0.0.1:8000.  Workers are threaded because a request mostly waits on
nameservers; the timeout stays well above the app's own request deadline
(WEBDIG_DEADLINE), so gunicorn never kills a worker that is
still within webdig's bounds.

All workers of this master count rate limits in one file they map into
their memory, in /dev/shm where there is one (unless
WEBDIG_RATE_LIMIT_STORE names one, or REDIS_URL shares counts between
machines), so "30 look-ups a minute" means 30, not 30 per worker.  Each
worker runs at most its thread count minus two look-ups at once: the last
threads stay free for /healthz.

gthread waits for a request's headers without a time limit: in front of
the internet, run webdig behind a buffering proxy (deploy/nginx-webdig.conf,
or a PaaS router) that only passes on complete requests.
"""

import os
import shutil
import tempfile

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
# The longest request line gunicorn allows short of "unlimited": a link carrying a whole
# pasted mail (error=) then reaches webdig, which says where to paste it (413), instead of
# gunicorn's own plain 400 at the default 4094 bytes.
limit_request_line = 8190
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", DEFAULTS["FORWARDED_ALLOW_IPS"])

_store_dir = None
if not os.environ.get("WEBDIG_RATE_LIMIT_STORE"):
    # Set in the master, so every worker it forks inherits the same path.  In memory
    # (tmpfs) where there is some: a file on disk would have its pages written back.
    _shm = "/dev/shm"  # noqa: S108 (mkdtemp makes a private directory in it)
    _in = _shm if os.path.isdir(_shm) and os.access(_shm, os.W_OK) else None
    _store_dir = tempfile.mkdtemp(prefix="webdig-limits-", dir=_in)
    os.environ["WEBDIG_RATE_LIMIT_STORE"] = os.path.join(_store_dir, "limits.store")


def post_fork(server, worker):
    """Tell the app how many look-ups this worker may run (its threads, minus two)."""
    os.environ.setdefault("WEBDIG_LOOKUPS_PER_WORKER", str(max(1, worker.cfg.threads - 2)))


def on_exit(server):
    """Remove the rate-limit file this master created."""
    if _store_dir is not None:
        shutil.rmtree(_store_dir, ignore_errors=True)
