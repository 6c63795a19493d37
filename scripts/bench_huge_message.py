"""Benchmark: how long other users wait while someone sends a huge message.

Start the assistant first (`make run`), then:
    .venv/bin/python scripts/bench_huge_message.py --url http://localhost:5005 --rounds 5
It times a short "hi" from one user, alone and while another user's 2 MB message is in flight.
"""
from __future__ import annotations

import argparse
import statistics
import threading
import time
import uuid

import requests


def timed_hi(webhook: str) -> float:
    start = time.perf_counter()
    requests.post(webhook, json={"sender": f"bench-{uuid.uuid4().hex[:8]}", "message": "hi"}, timeout=120)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://localhost:5005")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--size", type=int, default=2_000_000, help="characters in the huge message")
    args = parser.parse_args()
    webhook = f"{args.url}/webhooks/rest/webhook"
    timed_hi(webhook)  # warm-up

    alone = [timed_hi(webhook) for _ in range(args.rounds)]
    during, huge_times = [], []
    for _ in range(args.rounds):
        def huge():
            start = time.perf_counter()
            requests.post(webhook, json={"sender": "bench-huge", "message": "x" * args.size}, timeout=120)
            huge_times.append(time.perf_counter() - start)

        thread = threading.Thread(target=huge)
        thread.start()
        time.sleep(0.05)  # let the huge request start first
        during.append(timed_hi(webhook))
        thread.join()

    def fmt(values):
        return f"median {statistics.median(values) * 1000:.0f} ms, max {max(values) * 1000:.0f} ms"

    print(f"'hi' alone:                      {fmt(alone)}")
    print(f"'hi' during a {args.size:,}-char message: {fmt(during)}")
    print(f"the huge message itself:         {fmt(huge_times)}")


if __name__ == "__main__":
    main()
