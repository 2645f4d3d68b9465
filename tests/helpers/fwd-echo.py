#!/usr/bin/env python3
"""Test helper for port forwarding (tests/integration/65-*, 66-*).

  fwd-echo.py server PORTFILE [UNIXPATH]
      An echo server on 127.0.0.1 (a free port, written to PORTFILE once
      listening) or on the Unix socket UNIXPATH: each connection gets back
      every byte it sends, and is closed after the client's EOF.

  fwd-echo.py clients HOST PORT N SIZE [BROKEN]
      N concurrent connections to HOST:PORT, each sending SIZE random bytes
      and half-closing, then reading the echo; the first BROKEN ones instead
      send half and reset.  Prints "ok M" with M the connections whose echo
      was byte for byte what they sent (checked by SHA-256), then one line
      per failed connection.
"""
import hashlib
import os
import socket
import struct
import sys
import threading


def serve(conn):
    try:
        while True:
            b = conn.recv(65536)
            if not b:
                break
            conn.sendall(b)
        conn.shutdown(socket.SHUT_WR)
    except OSError:
        pass
    finally:
        conn.close()


def server(portfile, path=None):
    if path:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind(path)
        port = 0
    else:
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    s.listen(512)
    with open(portfile + ".tmp", "w") as f:
        f.write("%d\n" % port)
    os.rename(portfile + ".tmp", portfile)
    while True:
        c, _ = s.accept()
        threading.Thread(target=serve, args=(c,), daemon=True).start()


def client(host, port, size, broken, results, i):
    data = os.urandom(size)
    try:
        s = socket.create_connection((host, port), timeout=120)
        if broken:
            s.sendall(data[: size // 2])
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                         struct.pack("ii", 1, 0))
            s.close()
            results[i] = "broken"
            return
        got = []
        n = 0

        def reader():
            nonlocal n
            while True:
                b = s.recv(65536)
                if not b:
                    break
                got.append(b)
                n += len(b)

        t = threading.Thread(target=reader)
        t.start()
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
        t.join()
        s.close()
        back = b"".join(got)
        if hashlib.sha256(back).digest() == hashlib.sha256(data).digest():
            results[i] = "ok"
        else:
            results[i] = "conn %d: sent %d bytes, got %d back, differ" % (
                i, size, len(back))
    except Exception as e:  # noqa: BLE001 - any failure is reported
        results[i] = "conn %d: %s" % (i, e)


def clients(host, port, n, size, broken=0):
    results = [None] * n
    ts = [threading.Thread(target=client,
                           args=(host, int(port), size, i < broken, results, i))
          for i in range(n)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    print("ok %d" % results.count("ok"))
    for r in results:
        if r not in ("ok", "broken"):
            print(r)


if __name__ == "__main__":
    if sys.argv[1] == "server":
        server(*sys.argv[2:])
    else:
        a = sys.argv[2:]
        clients(a[0], a[1], int(a[2]), int(a[3]),
                int(a[4]) if len(a) > 4 else 0)
