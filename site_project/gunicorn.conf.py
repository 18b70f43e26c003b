"""gunicorn settings for production: `gunicorn -c site_project/gunicorn.conf.py`.

Every value can be overridden from the environment (WEB_CONCURRENCY, PORT, ...)
or on the command line, which wins over this file.
"""

import os


def _cores():
    # Honour CPU affinity (containers, taskset), not only the machine's core count.
    if hasattr(os, "process_cpu_count"):
        return os.process_cpu_count() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


wsgi_app = "site_project.wsgi:application"

# A PaaS hands over PORT and expects every interface; on a VPS the reverse
# proxy talks to loopback.
bind = [
    os.environ.get("GUNICORN_BIND")
    or (f"0.0.0.0:{os.environ['PORT']}" if os.environ.get("PORT") else "127.0.0.1:8000")
]

# The usual 2 x cores + 1, capped so a big machine does not start a hundred
# copies of a small site; WEB_CONCURRENCY is the PaaS convention to override it.
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * _cores() + 1, 12))
# Threads keep slow clients and keep-alive connections from pinning a whole worker.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))

# A stuck request is killed after `timeout`; on reload or shutdown, workers get
# `graceful_timeout` to finish the requests they are serving.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# Recycle workers now and then so a slow leak can never take the site down, but
# rarely: a new worker starts with an empty per-process cache (pages and list
# entries), and at 2,000 requests a busy site restarted each worker every second.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "100000"))
max_requests_jitter = max_requests // 10

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"

# gunicorn 25+ opens a control socket at one default path per user
# ($XDG_RUNTIME_DIR/gunicorn.ctl or ~/.gunicorn/gunicorn.ctl), so a second site
# (or a second instance of this one) run by the same user takes the first one's
# over, and `gunicornc` then steers the wrong server. Off unless a path is given,
# which should then be one per instance, e.g. /run/homepage/gunicorn.ctl.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket
