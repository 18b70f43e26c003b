"""A small threaded HTTP load generator, used by bench/run.py when wrk is missing.

python -m bench.load URL[,URL...] SECONDS CONNECTIONS
    -> JSON: rps, p50_ms, p99_ms, max_ms, requests, errors
Each connection cycles through the URLs (a mixed load when there are several).
"""

import http.client
import json
import sys
import threading
import time
from urllib.parse import urlsplit


def run(urls, seconds, connections):
    if isinstance(urls, str):
        urls = urls.split(",")
    targets = [urlsplit(url) for url in urls]
    deadline = time.perf_counter() + seconds
    latencies, errors, lock = [], [0], threading.Lock()

    def worker(offset):
        mine, failed = [], 0
        while time.perf_counter() < deadline:
            parts = targets[(offset + len(mine)) % len(targets)]
            start = time.perf_counter()
            try:
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
                conn.request("GET", parts.path or "/", headers={"Accept-Encoding": "gzip"})
                response = conn.getresponse()
                response.read()
                conn.close()
                if response.status >= 400:
                    failed += 1
            except OSError:
                failed += 1
            mine.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000

    return {
        "rps": len(latencies) / elapsed,
        "p50_ms": pct(0.50),
        "p99_ms": pct(0.99),
        "max_ms": latencies[-1] * 1000,
        "requests": len(latencies),
        "errors": errors[0],
    }


if __name__ == "__main__":
    url, seconds, connections = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
    print(json.dumps(run(url, seconds, connections)))
