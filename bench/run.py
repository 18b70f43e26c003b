"""`make bench`: the site's pages against a static file served by the same server.

On loopback only, bounded in time (about 3 minutes with the defaults):
1. builds two SQLite databases in a temporary folder: the seed site, and the
   seed plus 995 generated papers (1,000 papers, 15 authors and 3 tags each);
2. renders the homepage once into a static file (bench/home.html, plus .gz)
   that whitenoise serves like any collected static file;
3. for each database starts gunicorn (DEBUG off, production settings, fixed
   worker count) twice: "cold" with the page cache off (every request is
   rendered, as right after an edit) and "warm" with it on, after a warm-up;
4. loads each page and the static file with wrk (or bench/load.py) from a
   separate process, counts each page's queries on a cache miss, profiles the
   large /research/ page with pyinstrument, and prints one table that it also
   writes, with the machine's core count, to BENCHMARKS.md.

5. measures cold renders in-process (CPU time: the first /research/ after a
   restart, and every page right after an edit of one paper, next to the time
   gzip takes for the same HTML), and the editor's pages at size;
6. builds a 4,000-paper site and loads /, /research/, the feed and a paper
   page with 20 clients while an editor saves a paper every second.

gunicorn is started as `make serve` starts it (site_project/gunicorn.conf.py,
default settings), with BENCH_WORKERS workers.

Settings: BENCH_SECONDS (per measurement, default 5), BENCH_WORKERS (gunicorn
workers, default 2), BENCH_CONNECTIONS (default 8), BENCH_LOAD_SECONDS (the
load test, default 30), BENCH_LOAD_CLIENTS (default 20).
"""

import contextlib
import datetime
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
STATIC_URL = "/static/bench/home.html"
PAGES = {
    "/": "homepage",
    "/research/": "/research/",
    "/research/reversal-curse/": "a paper page",
    "/research/feed/": "/research/feed/",
}
SIZES = {"seed": "5 papers", "large": "1,000 papers"}
LOAD_SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "30"))
LOAD_CLIENTS = int(os.environ.get("BENCH_LOAD_CLIENTS", "20"))
STEP_TIMEOUT = 300


def log(message):
    print(f"[bench] {message}", flush=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_task(env, *args, timeout=STEP_TIMEOUT):
    result = subprocess.run(
        [PYTHON, "-m", "bench.tasks", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode:
        sys.exit(f"bench step {args} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def fetch(port, path, timeout=180):
    """One request as a browser makes it: status, bytes transferred (body), encoding."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    conn.request("GET", path, headers={"Accept-Encoding": "gzip"})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, len(body), response.getheader("Content-Encoding") or "identity"


class Server:
    def __init__(self, env, cache_on):
        self.port = free_port()
        self.env = {**env, "DJANGO_PAGE_CACHE": "1" if cache_on else "0"}
        self.proc = None

    def __enter__(self):
        # Started as `make serve` starts it: the same config file and defaults;
        # only the port, the worker count (WEB_CONCURRENCY) and the access log differ.
        self.proc = subprocess.Popen(
            [
                str(Path(PYTHON).parent / "gunicorn"),
                "-c",
                "site_project/gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{self.port}",
            ],
            cwd=ROOT,
            env={**self.env, "WEB_CONCURRENCY": str(WORKERS), "GUNICORN_ACCESS_LOG": "/dev/null"},
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                fetch(self.port, STATIC_URL, timeout=5)
                return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        sys.exit("gunicorn did not start within 30 s")

    def worker_rss_mb(self):
        """Resident memory of each gunicorn worker (children of the master), in MB."""
        sizes = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, IndexError, ValueError):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == self.proc.pid:
                    status = (stat.parent / "status").read_text()
                    rss = re.search(r"VmRSS:\s+(\d+) kB", status)
                    sizes.append(int(rss.group(1)) / 1024)
        return sizes

    def __exit__(self, *exc):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _ms(value, unit):
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def parse_wrk(out):
    """Requests/s, p50/p99 latency (ms) and failed requests from `wrk --latency` output."""
    pct = {p: _ms(v, u) for p, v, u in re.findall(r"(\d+)%\s+([\d.]+)(us|ms|s)\b", out)}
    if re.search(r"\b0 requests in", out):
        pct = {}  # nothing finished within the run: no latencies to report
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    timeouts = re.search(r"timeout (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": pct.get("50"),
        "p99_ms": pct.get("99"),
        "errors": (int(errors.group(1)) if errors else 0)
        + (int(timeouts.group(1)) if timeouts else 0),
    }


def load(port, path, seconds):
    url = f"http://127.0.0.1:{port}{path}"
    if shutil.which("wrk"):
        out = subprocess.run(
            [
                "wrk",
                "-t1",
                f"-c{CONNECTIONS}",
                f"-d{max(1, round(seconds))}s",
                "--latency",
                "--timeout",
                "10s",
                "-H",
                "Accept-Encoding: gzip",
                url,
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 30,
            check=True,
        ).stdout
        return parse_wrk(out)
    return python_load(url, seconds, CONNECTIONS)


def python_load(urls, seconds, clients):
    """bench/load.py's result (JSON) for clients on urls ("a,b,...") for seconds."""
    out = subprocess.run(
        [PYTHON, "-m", "bench.load", urls, str(seconds), str(clients)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=seconds + 120,
        check=True,
    ).stdout
    return json.loads(out)


def warm_up(port, path, cache_on):
    """Compile templates in every worker and, with the cache on, fill each worker's cache."""
    if cache_on:
        fast = 0
        for _ in range(60):  # until answers are consistently quick (every worker has it)
            started = time.monotonic()
            fetch(port, path)
            fast = fast + 1 if time.monotonic() - started < 0.1 else 0
            if fast >= 3 * WORKERS:
                break
    load(port, path, 1)
    drain(port)


def drain(port):
    """Wait until requests a load generator left queued have been answered."""
    fetch(port, STATIC_URL)


def measure(port, paths, cache_on):
    results = {}
    for path in paths:
        status, size, encoding = fetch(port, path)
        if status != 200:
            results[path] = {"status": status}
            log(f"  {path}: HTTP {status}, not measured")
            continue
        warm_up(port, path, cache_on)
        started = time.monotonic()
        fetch(port, path)  # one request on an idle server
        single_ms = (time.monotonic() - started) * 1000
        result = {"status": status, "bytes": size, "encoding": encoding, "single_ms": single_ms}
        result.update(load(port, path, SECONDS))
        drain(port)
        results[path] = result
        log(f"  {path}: {result['rps']:.1f} req/s, p99 {fmt(result['p99_ms'], '.1f')} ms, {size} B")
    return results


def paired_ratio(port, path, rounds=3, seconds=3):
    """The page's req/s over the static file's, robust to the shared machine's drift.

    Each round measures static, page, static back to back and divides by the
    mean of the two static runs; the result is the median of the rounds.
    """
    ratios = []
    for _ in range(rounds):
        before = load(port, STATIC_URL, seconds)["rps"]
        page = load(port, path, seconds)["rps"]
        after = load(port, STATIC_URL, seconds)["rps"]
        ratios.append(page / ((before + after) / 2))
    log(f"  {path} / static, alternating: {', '.join(f'{r:.2f}' for r in ratios)}")
    return statistics.median(ratios)


def machine():
    model = ""
    with contextlib.suppress(OSError, StopIteration):
        model = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    load_generator = "wrk" if shutil.which("wrk") else "bench/load.py (threads)"
    if shutil.which("wrk"):
        version = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
        load_generator = (version.stdout + version.stderr).split("\n")[0].split(" [")[0]
    return {
        "cores": os.cpu_count(),
        "cpu": model or platform.processor() or "unknown",
        "python": platform.python_version(),
        "load": load_generator,
        "loadavg": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def fmt(value, spec):
    return "–" if value is None else format(value, spec)


def rps(value):
    return format(value, ".1f" if value < 10 else ".0f")


def table(results, queries):
    head = (
        "| page | size | cold req/s | cold × static | warm req/s | warm × static "
        "| warm p50 ms | cold p99 ms | warm p99 ms | one cold request ms "
        "| queries (miss / hit) | bytes sent |\n"
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n"
    )
    rows = []
    for size, label in SIZES.items():
        static = {mode: results[size][mode][STATIC_URL] for mode in ("cold", "warm")}
        rows.append(
            f"| static copy of the homepage | {label} | {rps(static['cold']['rps'])} | 1.00 "
            f"| {rps(static['warm']['rps'])} | 1.00 | {fmt(static['warm']['p50_ms'], '.1f')} "
            f"| {fmt(static['cold']['p99_ms'], '.1f')} | {fmt(static['warm']['p99_ms'], '.1f')} "
            f"| {static['cold']['single_ms']:.1f} | 0 | {static['warm']['bytes']} |"
        )
        for path, name in PAGES.items():
            cold, warm = results[size]["cold"][path], results[size]["warm"][path]
            if cold.get("status") != 200:
                rows.append(
                    f"| {name} | {label} | not served (HTTP {cold.get('status')}) " + "| " * 9 + "|"
                )
                continue
            cold_ratio = cold["rps"] / static["cold"]["rps"]
            rows.append(
                f"| {name} | {label} | {rps(cold['rps'])} | {cold_ratio:.2f} "
                f"| {rps(warm['rps'])} | {warm['rps'] / static['warm']['rps']:.2f} "
                f"| {fmt(warm['p50_ms'], '.1f')} | {fmt(cold['p99_ms'], '.1f')} "
                f"| {fmt(warm['p99_ms'], '.1f')} | {cold['single_ms']:.1f} "
                f"| {queries[size][path]['queries']} / 1 "
                f"| {warm['bytes']} |"
            )
    notes = [
        f"- {SIZES[size]}, {mode}, {path}: {r['errors']} failed or timed-out requests (10 s)"
        for size in SIZES
        for mode in ("cold", "warm")
        for path, r in results[size][mode].items()
        if r.get("errors")
    ]
    return head + "\n".join(rows) + "\n" + ("\n" + "\n".join(notes) + "\n" if notes else "")


def targets(results, queries, cpu):
    lines = []

    def check(ok, text):
        lines.append(f"- {'PASS' if ok else 'FAIL'}: {text}")

    ratio = results["paired"]
    check(
        ratio >= 0.9,
        f"warm homepage at {ratio:.2f}× the static file's req/s (target ≥ 0.9×; median of 3 "
        "rounds of static, homepage, static measured back to back, 3 s each)",
    )
    for key, limit, text in [
        ("research_first_ms", 400, "first /research/ after a restart, 1,000 papers"),
        ("research_cold_ms", 60, "cold /research/ after an edit, 1,000 papers"),
        ("home_cold_ms", 3, "cold seed homepage"),
        ("feed_cold_ms", 15, "cold feed, 1,000 papers"),
        ("paper_cold_ms", 3, "cold paper page"),
        ("changelist_ms", 150, "admin change list, 1,000 papers"),
        ("changeform_ms", 150, f"admin change form, {cpu['changeform_authors']} authors"),
    ]:
        check(cpu[key] <= limit, f"{text}: {cpu[key]:.1f} ms of CPU (target ≤ {limit} ms)")
    gzip_ratio = cpu["research_cold_ms"] / cpu["research_gzip_ms"]
    check(
        gzip_ratio <= 2,
        f"cold /research/ costs {gzip_ratio:.1f}× gzipping its own HTML "
        f"({cpu['research_gzip_ms']:.1f} ms; target ≤ 2×)",
    )
    load = results["load"]
    check(
        load["p99_ms"] < 1000 and not load["errors"],
        f"under load at 4,000 papers with a save every second: p99 {load['p99_ms']:.0f} ms, "
        f"{load['errors']} errors (target p99 < 1 s, no errors)",
    )
    rss = results.get("rss_mb") or [0]
    check(
        max(rss) < 150,
        f"largest worker {max(rss):.0f} MB RSS with 1,000 papers cached (target < 150 MB)",
    )
    small, large = results["seed"]["warm"]["/research/"], results["large"]["warm"]["/research/"]
    if small.get("status") == 200 and large.get("status") == 200:
        ratio = small["rps"] / large["rps"]
        check(
            ratio <= 2,
            f"warm /research/ with 1,000 papers is {ratio:.2f}× slower than with "
            "5 papers (target ≤ 2×)",
        )
    else:
        lines.append("- NOT MEASURED: /research/ is not served by this build")
    grown = [
        p
        for p in PAGES
        if queries["seed"][p]["status"] == 200
        and queries["large"][p]["queries"] != queries["seed"][p]["queries"]
    ]
    check(
        not grown,
        "no page's query count grows with size"
        + (f" (grows: {', '.join(grown)})" if grown else ""),
    )
    return "\n".join(lines) + "\n"


LOAD_PAGES = ["/", "/research/", "/research/feed/", "/research/reversal-curse/"]


def load_test(env):
    """LOAD_CLIENTS clients on LOAD_PAGES while an editor saves a paper every second."""
    with Server(env, cache_on=True) as server:
        for path in LOAD_PAGES:
            warm_up(server.port, path, cache_on=True)
        log(f"load test: {LOAD_CLIENTS} clients, {LOAD_SECONDS:g} s, a save every second")
        editor = subprocess.Popen(
            [PYTHON, "-m", "bench.tasks", "editor", str(LOAD_SECONDS)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        urls = ",".join(f"http://127.0.0.1:{server.port}{path}" for path in LOAD_PAGES)
        found = python_load(urls, LOAD_SECONDS, LOAD_CLIENTS)
        saves = json.loads(editor.communicate(timeout=LOAD_SECONDS + 60)[0])["saves"]
        result = {**found, "saves": saves}
        log(f"  {result}")
        return result


def cpu_table(cpu):
    rows = [
        (
            "/research/, 1,000 papers × 15 authors, first render after a restart (nothing cached)",
            cpu["research_first_ms"],
            "≤ 400",
        ),
        (
            "/research/, 1,000 papers, right after an edit of one paper",
            cpu["research_cold_ms"],
            "≤ 60",
        ),
        (
            f"gzip of that page's HTML ({cpu['research_bytes']:,} bytes), same run",
            cpu["research_gzip_ms"],
            "cold /research/ ≤ 2×",
        ),
        ("homepage, seed, right after an edit", cpu["home_cold_ms"], "≤ 3"),
        ("/research/feed/, 1,000 papers, right after an edit", cpu["feed_cold_ms"], "≤ 15"),
        ("a paper page, 1,000 papers, right after an edit", cpu["paper_cold_ms"], "≤ 3"),
        ("admin: publication change list, 1,000 papers (signed in)", cpu["changelist_ms"], "≤ 150"),
        (
            f"admin: change form of a paper with {cpu['changeform_authors']} authors",
            cpu["changeform_ms"],
            "≤ 150",
        ),
    ]
    lines = [
        "| cold render (in-process, CPU, median of 5) | ms | target ms |",
        "| --- | ---: | ---: |",
    ]
    lines += [f"| {name} | {value:.1f} | {target} |" for name, value, target in rows]
    return "\n".join(lines) + "\n"


def load_table(results):
    load = results["load"]
    rss = results.get("rss_mb") or []
    return (
        f"Load test, 4,000 papers: {LOAD_CLIENTS} clients on {', '.join(LOAD_PAGES)} for "
        f"{LOAD_SECONDS:g} s while an editor saved a paper {load['saves']} times (once a "
        f"second): {load['requests']} requests, {load['rps']:.0f} req/s, p50 "
        f"{load['p50_ms']:.1f} ms, p99 {load['p99_ms']:.1f} ms, worst {load['max_ms']:.0f} ms, "
        f"{load['errors']} errors.\n\n"
        f"Memory per gunicorn worker after serving the 1,000-paper site warm: "
        f"{', '.join(f'{r:.0f} MB' for r in rss) or 'not measured'} (RSS).\n"
    )


def main():
    started = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="homepage-bench-"))
    log(f"working in {tmp}")
    base = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))},
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_STATIC_ROOT": str(tmp / "static"),
        "DJANGO_LOG_LEVEL": "ERROR",
    }
    envs = {
        size: {
            **base,
            "DJANGO_VAR_DIR": str(tmp / size),
            "DATABASE_URL": f"sqlite:///{tmp / size / 'db.sqlite3'}",
            "MEDIA_ROOT": str(tmp / size / "media"),
        }
        for size in [*SIZES, "load"]
    }
    try:
        subprocess.run(
            [PYTHON, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
            cwd=ROOT,
            env=envs["seed"],
            check=True,
            timeout=STEP_TIMEOUT,
        )
        queries = {}
        for size in SIZES:
            log(f"building the {SIZES[size]} database")
            run_task(envs[size], "build", size)
            queries[size] = json.loads(run_task(envs[size], "queries", *PAGES))
        run_task(envs["seed"], "snapshot", str(tmp / "static" / "bench" / "home.html"))
        profiled = "/research/" if queries["large"]["/research/"]["status"] == 200 else "/"
        log(f"profiling {profiled} with 1,000 papers (page cache off)")
        profile = run_task(envs["large"], "profile", profiled)
        log("cold renders in-process (CPU time)")
        cpu = {
            **json.loads(run_task(envs["seed"], "cpu", "seed")),
            **json.loads(run_task(envs["large"], "cpu", "large")),
        }
        log(f"  {cpu}")

        results = {}
        for size in SIZES:
            results[size] = {}
            for mode in ("cold", "warm"):
                cache = "page cache on" if mode == "warm" else "page cache off"
                log(f"{SIZES[size]}, {mode} ({cache})")
                with Server(envs[size], cache_on=mode == "warm") as server:
                    results[size][mode] = measure(
                        server.port, [STATIC_URL, *PAGES], cache_on=mode == "warm"
                    )
                    if size == "seed" and mode == "warm":
                        results["paired"] = paired_ratio(server.port, "/")
                    if size == "large" and mode == "warm":
                        results["rss_mb"] = server.worker_rss_mb()
                        log(f"  worker memory (MB): {results['rss_mb']}")
        log("building the 4,000-paper database for the load test")
        run_task(envs["load"], "build", "load")
        results["load"] = load_test(envs["load"])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    info = machine()
    report = table(results, queries) + "\n" + cpu_table(cpu) + "\n" + load_table(results)
    verdict = targets(results, queries, cpu)
    print()
    print(report)
    print(verdict)
    write_markdown(info, report, verdict, profiled, profile, time.monotonic() - started)
    log(f"wrote BENCHMARKS.md in {time.monotonic() - started:.0f} s")


def write_markdown(info, report, verdict, profiled, profile, elapsed):
    findings = (ROOT / "bench" / "FINDINGS.md").read_text(encoding="utf-8")
    text = f"""# Benchmarks

Written by `make bench` (bench/run.py) on {datetime.date.today().isoformat()}; run it again to
refresh. Machine: **{info["cores"]} cores** ({info["cpu"]}), Python {info["python"]}, load average
{info["loadavg"]} at the end (the machine is shared, so absolute numbers are noisy; the ratios
to the static file, measured on the same server right before each page, are what to compare).

Setup: gunicorn 27.0.1 started as `make serve` starts it (site_project/gunicorn.conf.py:
gthread workers, 4 threads each) with {WORKERS} workers, DEBUG off, default production
settings (SQLite, persistent connections by default), local-memory page cache. Load from a
separate process: {info["load"]}, 1 thread, {CONNECTIONS} connections, {SECONDS:g} s per
measurement after a 1 s warm-up, `Accept-Encoding: gzip`. "Cold" runs with the page cache off
(every request renders the page, as right after an edit); "warm" with it on. The static file is
the homepage's HTML, saved once and served by whitenoise from the same gunicorn. "Queries" is
a cache miss (a hit runs 1: the content timestamp). "One cold request" is a single request
on an otherwise idle server with the page cache off: what the first visitor after an edit
waits. "Bytes sent" is the body as transferred (gzip). Total run time {elapsed:.0f} s.

## Results

{report}
## Targets

{verdict}
{findings}
## Profile: {profiled} with 1,000 papers, page cache off (5 renders, pyinstrument)

```
{profile.strip()}
```
"""
    (ROOT / "BENCHMARKS.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
