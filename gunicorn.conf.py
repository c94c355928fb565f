"""gunicorn settings for webdig, read by the Procfile and ``webdig serve``.

PaaS platforms set PORT (and often WEB_CONCURRENCY); locally webdig binds to
127.0.0.1:8000.  Workers are threaded because a request mostly waits on
nameservers; the timeout stays well above the app's own request deadline
(WEBDIG_DEADLINE), so gunicorn never kills a worker that is
still within webdig's bounds.

All workers of this master count rate limits in one file they map into
their memory, in a folder of this master's in /dev/shm where there is one
(webdig/web/storefolder.py; unless WEBDIG_RATE_LIMIT_STORE names a file, or
REDIS_URL shares counts between machines), so "30 look-ups a minute" means
30, not 30 per worker.  Each worker runs at most its thread count minus
two look-ups at once: the last threads stay free for /healthz.

gthread waits for a request's headers without a time limit: in front of
the internet, run webdig behind a buffering proxy (deploy/nginx-webdig.conf,
or a PaaS router) that only passes on complete requests.
"""

import gc
import os

from webdig.settings import DEFAULTS
from webdig.web import storefolder

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
# gunicorn's lines, with only the atoms the format reads worked out (webdig/web/accesslog.py).
logger_class = "webdig.web.accesslog.AccessLogger"
# The longest request line gunicorn allows short of "unlimited": a link carrying a whole
# pasted mail (error=) then reaches webdig, which says where to paste it (413), instead of
# gunicorn's own plain 400 at the default 4094 bytes.
limit_request_line = 8190
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", DEFAULTS["FORWARDED_ALLOW_IPS"])

# Made in the master, so every worker it forks inherits the path (and the folder's lock:
# a master killed without on_exit leaves the folder to the next master, which removes it).
_placement = storefolder.for_this_master()
if _placement is not None and _placement.folder is not None:
    # gunicorn's control socket (gunicornc) beside them, one per master: by default every
    # master of the user binds $HOME/.gunicorn/gunicorn.ctl, each taking it from the last.
    control_socket = os.path.join(_placement.folder.path, "gunicorn.ctl")


def on_starting(server):
    """Say in the log where the shared files are, and what could not be used."""
    if _placement is None:
        return
    for path in _placement.removed:
        server.log.info("removed %s, left by a webdig master that no longer runs", path)
    for problem in _placement.problems:
        server.log.warning("rate-limit store: %s", problem)
    if _placement.folder is not None:
        server.log.info("rate-limit store and progress board in %s", _placement.folder.path)
    else:
        server.log.error(
            "no folder for the rate-limit store: each worker counts rate limits on its own "
            "(set WEBDIG_RATE_LIMIT_STORE to a writable file)"
        )


def post_fork(server, worker):
    """Tell the app how many look-ups this worker may run (its threads, minus two)."""
    os.environ.setdefault("WEBDIG_LOOKUPS_PER_WORKER", str(max(1, worker.cfg.threads - 2)))


def post_worker_init(worker):
    """Leave the loaded app out of the garbage collector's full passes (gc.freeze)."""
    # Everything alive now (modules, the app, message catalogs, the record-type tables) lives
    # as long as the worker: a full collection would walk all of it again each time.
    gc.freeze()


def on_exit(server):
    """Remove the folder this master made."""
    storefolder.release()
