#!/usr/bin/env python3
"""Servers that misbehave before or during the SSH handshake
(tests/integration/41-faults.sh).  Each listens on 127.0.0.1 (a free
port, written to PORTFILE once listening) and serves connections until
killed.

  bad-server.py MODE PORTFILE [ARG...]

  preamble N TPORT   send N short lines before any banner, then relay the
                     connection to 127.0.0.1:TPORT (a real sshd), so the
                     handshake can succeed after the lines
  flood              short non-banner lines, without end
  longline N         one line of N bytes ("x" * N, then CR LF), then a
                     banner, then silence
  nul                a line with a NUL byte in it, then a banner
  silent-banner      a valid banner, then silence (no key exchange)
  silent             accept, then silence (no banner)
"""
import os
import socket
import sys
import threading
import time

BANNER = b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"


def pipe(a, b):
    try:
        while True:
            d = a.recv(65536)
            if not d:
                break
            b.sendall(d)
    except OSError:
        pass
    for s in (a, b):
        try:
            s.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def hold(c):
    try:
        while c.recv(65536):
            pass
    except OSError:
        pass


def serve(mode, args, c):
    try:
        if mode == "preamble":
            n, tport = int(args[0]), int(args[1])
            c.sendall(b"".join(b"preamble line %d\r\n" % i for i in range(n)))
            t = socket.create_connection(("127.0.0.1", tport))
            threading.Thread(target=pipe, args=(t, c), daemon=True).start()
            pipe(c, t)
            return
        if mode == "flood":
            i = 0
            while True:
                c.sendall(b"".join(b"flood %d\r\n" % (i + j)
                                   for j in range(256)))
                i += 256
        if mode == "longline":
            c.sendall(b"x" * int(args[0]) + b"\r\n" + BANNER)
        elif mode == "nul":
            c.sendall(b"a line with a \0 in it\r\n" + BANNER)
        elif mode == "silent-banner":
            c.sendall(BANNER)
        hold(c)
    except OSError:
        pass
    finally:
        c.close()


def main():
    mode, portfile, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(16)
    tmp = portfile + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % s.getsockname()[1])
    os.rename(tmp, portfile)
    while True:
        c, _ = s.accept()
        threading.Thread(target=serve, args=(mode, args, c),
                         daemon=True).start()


if __name__ == "__main__":
    main()
