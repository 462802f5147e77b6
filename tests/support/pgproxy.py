"""A TCP proxy between the app and a real PostgreSQL server that can lose a COMMIT.

It forwards bytes both ways. Armed (`arm("before")` or `arm("after")`), it watches each
client's stream: once a connection has sent `INSERT INTO sales` (a sale's transaction),
the next `COMMIT` query message is the moment. "before": both sockets are closed and the
COMMIT never reaches the server (the sale is rolled back). "after": the COMMIT is passed
on, and the connection is cut before the server's answer gets back (the sale is kept).
Either way the app sees its connection lost during COMMIT. It fires once, then forwards
as before, so the app can reconnect through it.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress

SALE_INSERT = b"INSERT INTO sales"
COMMIT = b"Q\x00\x00\x00\x0bCOMMIT\x00"  # the simple-query message psycopg sends on commit()


class CommitCutter:
    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        self.mode: str | None = None
        self.fired = threading.Event()
        self._lock = threading.Lock()
        self._open: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def arm(self, mode: str) -> None:
        assert mode in ("before", "after")
        self.fired.clear()
        self.mode = mode

    def close(self) -> None:
        with suppress(OSError):
            self.listener.close()
        for sock in list(self._open):
            with suppress(OSError):
                sock.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            self._open += [client, server]
            cut = threading.Event()
            threading.Thread(target=self._up, args=(client, server, cut), daemon=True).start()
            threading.Thread(target=self._down, args=(server, client, cut), daemon=True).start()

    def _take(self) -> str | None:
        """The armed mode, taken by the one connection that fires it."""
        with self._lock:
            mode, self.mode = self.mode, None
            return mode

    def _up(self, client: socket.socket, server: socket.socket, cut: threading.Event) -> None:
        """Client to server: where a sale's COMMIT is seen."""
        in_sale = False
        while data := _recv(client):
            in_sale = in_sale or SALE_INSERT in data
            if in_sale and COMMIT in data and self.mode is not None:
                mode = self._take()
                if mode is not None:
                    cut.set()
                    if mode == "after":
                        server.sendall(data)
                        time.sleep(0.5)  # the server commits; its answer is not passed on
                    self.fired.set()  # before the close: the app wakes on the close
                    _close(client, server)
                    return
            with suppress(OSError):
                server.sendall(data)
        _close(client, server)

    def _down(self, server: socket.socket, client: socket.socket, cut: threading.Event) -> None:
        while data := _recv(server):
            if cut.is_set():
                return
            with suppress(OSError):
                client.sendall(data)
        _close(client, server)


def _recv(sock: socket.socket) -> bytes:
    try:
        return sock.recv(65536)
    except OSError:
        return b""


def _close(*socks: socket.socket) -> None:
    for sock in socks:
        with suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        with suppress(OSError):
            sock.close()


@contextmanager
def commit_cutter(url: str) -> Iterator[tuple[CommitCutter, str]]:
    """A cutter in front of the server of `url`, and the same URL through it."""
    from sqlalchemy.engine import make_url

    real = make_url(url)
    cutter = CommitCutter(real.host or "127.0.0.1", real.port or 5432)
    try:
        yield cutter, real.set(host="127.0.0.1", port=cutter.port).render_as_string(False)
    finally:
        cutter.close()
