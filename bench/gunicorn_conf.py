"""Gunicorn hooks for bench/load.sh: for every request, the CPU time of the thread that served it and the time
of its SQL alone (the floor the page cannot go below), appended to ``$TREMPLIN_REQUEST_LOG`` (CSV, one file per
worker). Benchmark only: never used in production."""

import os
import threading
import time


_local = threading.local()
_files = {}
_lock = threading.Lock()


def _sql_timer(execute, sql, params, many, context):
    start = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        _local.sql += time.perf_counter() - start
        _local.queries += 1


def pre_request(worker, req):
    from django.db import connection

    _local.cpu = time.thread_time()
    _local.wall = time.perf_counter()
    _local.sql = 0.0
    _local.queries = 0
    if _sql_timer not in connection.execute_wrappers:
        connection.execute_wrappers.append(_sql_timer)


def post_request(worker, req, environ, resp):
    cpu = (time.thread_time() - _local.cpu) * 1000
    wall = (time.perf_counter() - _local.wall) * 1000
    path = environ.get("PATH_INFO", "") + ("?" + environ["QUERY_STRING"] if environ.get("QUERY_STRING") else "")
    line = f"{path.replace(',', '%2C')},{resp.status_code if hasattr(resp, 'status_code') else resp.status},"
    line += f"{wall:.1f},{cpu:.1f},{_local.sql * 1000:.1f},{_local.queries}\n"
    target = os.environ.get("TREMPLIN_REQUEST_LOG")
    if not target:
        return
    with _lock:
        handle = _files.get(worker.pid)
        if handle is None:
            handle = _files[worker.pid] = open(f"{target}.{worker.pid}.csv", "a", encoding="utf-8")  # noqa: SIM115
        handle.write(line)
        handle.flush()
