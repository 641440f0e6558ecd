"""Prometheus metrics: requests, latency, jobs."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest

REGISTRY = CollectorRegistry()
REQUESTS = Counter("http_requests_total", "HTTP requests", ["method", "status"], registry=REGISTRY)
LATENCY = Histogram(
    "http_request_duration_seconds",
    "HTTP request latency",
    ["method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
    registry=REGISTRY,
)
JOBS = Counter("jobs_total", "Jobs run", ["name", "outcome"], registry=REGISTRY)


def exposition() -> bytes:
    return generate_latest(REGISTRY)
