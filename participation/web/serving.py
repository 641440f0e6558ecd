"""`participation serve`: uvicorn, one process or N worker processes with one listening
socket each (SO_REUSEPORT).

uvicorn's own multi-process mode shares one listening socket between the workers, and whichever
worker wakes first accepts every connection waiting: with a small number of long-lived
connections (a reverse proxy's keep-alive pool, a load test) one worker can end up with most or
all of them while the other idles (measured: 16 keep-alive connections split 11/5, 16/0). With
SO_REUSEPORT each worker listens on its own socket and the kernel spreads new connections over
them. The supervisor here starts the workers, restarts one that dies, and stops them all on
SIGINT/SIGTERM. Unix sockets (``--uds``) and single-process runs use plain uvicorn.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import socket
import time
from typing import Any

log = logging.getLogger("participation.serve")
BACKLOG = 4096


def uvicorn_options(production: bool) -> dict[str, Any]:
    return {
        "factory": True,
        "proxy_headers": True,
        "access_log": not production,
        "log_level": "info",
        "loop": "uvloop",
        "http": "httptools",
        "backlog": BACKLOG,
    }


APP = "participation.app:create_app"


def serve(host: str, port: int, workers: int, uds: str | None, production: bool) -> None:
    import uvicorn

    options = uvicorn_options(production)
    if workers == 1 or uds or not hasattr(socket, "SO_REUSEPORT"):
        uvicorn.run(APP, host=host, port=port, uds=uds, workers=workers, **options)
        return
    Supervisor(host, port, workers, options).run()


def listening_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(BACKLOG)
    sock.set_inheritable(True)
    return sock


def _die_with(parent: int) -> None:
    """Linux: the kernel sends this worker SIGTERM when the supervisor dies, even by SIGKILL,
    so no orphan keeps serving on the port."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the supervisor's SIGTERM is all there is
        return
    if os.getppid() != parent:  # it died before prctl took effect
        os._exit(0)


def _worker(host: str, port: int, options: dict[str, Any], parent: int) -> None:
    """One worker process: its own socket in the port's SO_REUSEPORT group."""
    import uvicorn

    _die_with(parent)
    sock = listening_socket(host, port)
    config = uvicorn.Config(APP, host=host, port=port, **options)
    uvicorn.Server(config).run(sockets=[sock])


class Supervisor:
    def __init__(self, host: str, port: int, workers: int, options: dict[str, Any]) -> None:
        self.host, self.port, self.workers, self.options = host, port, workers, options
        self.context = multiprocessing.get_context("spawn")
        self.processes: list[Any] = []
        self.stopping = False

    def _start(self) -> Any:
        p = self.context.Process(
            target=_worker, args=(self.host, self.port, self.options, os.getpid()),
            name="participation-web",
        )  # fmt: skip
        p.start()
        log.info("worker %s started", p.pid)
        return p

    def _stop(self, signum: int, _frame: Any) -> None:
        self.stopping = True

    def run(self) -> None:
        # Bind once here first, without SO_REUSEPORT: a port already in use (even by another
        # server of this kind) fails now with a clear error, not in every worker.
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((self.host, self.port))
        if not logging.getLogger().handlers:
            logging.basicConfig(level=logging.INFO, format="%(levelname)s: %(message)s")
        signal.signal(signal.SIGINT, self._stop)
        signal.signal(signal.SIGTERM, self._stop)
        self.processes = [self._start() for _ in range(self.workers)]
        log.info("serving on http://%s:%s with %s workers (SO_REUSEPORT), pid %s",
                 self.host, self.port, self.workers, os.getpid())  # fmt: skip
        last_restart = 0.0
        while not self.stopping:
            time.sleep(0.2)
            for i, p in enumerate(self.processes):
                if not p.is_alive() and not self.stopping:
                    log.warning("worker %s exited with %s; starting another", p.pid, p.exitcode)
                    if time.monotonic() - last_restart < 1:
                        time.sleep(1)  # a worker that dies at start-up does not spin the CPU
                    last_restart = time.monotonic()
                    self.processes[i] = self._start()
        for p in self.processes:
            if p.is_alive():
                os.kill(p.pid, signal.SIGTERM)  # uvicorn finishes the requests in flight
        deadline = time.monotonic() + 30
        for p in self.processes:
            p.join(max(0.0, deadline - time.monotonic()))
            if p.is_alive():
                p.kill()
                p.join()
        log.info("stopped")
