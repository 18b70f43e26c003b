import pytest

from bench.run import parse_wrk

WRK_OUTPUT = """Running 5s test @ http://127.0.0.1:8000/
  1 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.10ms    1.20ms  31.00ms   91.00%
    Req/Sec     1.95k   120.00     2.20k    80.00%
  Latency Distribution
     50%    3.90ms
     75%    4.30ms
     90%    5.10ms
     99%    1.20s
  9750 requests in 5.00s, 29.10MB read
  Socket errors: connect 0, read 0, write 0, timeout 2
  Non-2xx or 3xx responses: 3
Requests/sec:   1950.12
Transfer/sec:      5.82MB
"""


def test_wrk_figures_are_read_in_milliseconds():
    result = parse_wrk(WRK_OUTPUT)
    assert result["rps"] == pytest.approx(1950.12)
    assert result["p50_ms"] == pytest.approx(3.9)
    assert result["p99_ms"] == pytest.approx(1200.0)
    assert result["errors"] == 5  # 3 error answers + 2 timeouts


def test_a_run_where_nothing_finished_reports_no_latency():
    out = WRK_OUTPUT.replace("9750 requests in", "0 requests in").replace("1950.12", "0.00")
    result = parse_wrk(out)
    assert result["rps"] == 0
    assert result["p50_ms"] is None and result["p99_ms"] is None
