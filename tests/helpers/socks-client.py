#!/usr/bin/env python3
"""Test helper for SOCKS forwarding (tests/integration/67-socks.sh).

  socks-client.py HOST PORT CASE [TARGETPORT]
      Connect to the SOCKS proxy at HOST:PORT and send the request CASE
      names (see CASES), in pieces of PIECE bytes (env, default: whole).
      A hostile CASE prints what came back, in hex, and how the
      connection ended: "<hex> eof", "<hex> reset" or "<hex> timeout".
      A good CASE (good4a, good5) asks for 127.0.0.1:TARGETPORT (an echo
      server), checks the grant, sends a line and prints "echo ok" when
      it comes back, else what went wrong.
"""
import os
import socket
import struct
import sys
import time

WAIT = 20  # seconds before a silent proxy counts as hung


def s4a(name, port=80, user=b""):
    return b"\x04\x01" + struct.pack(">H", port) + b"\0\0\0\x01" + \
        user + b"\0" + name + b"\0"


def s5(request):
    return b"\x05\x01\x00" + request


CASES = {
    # The 4a names that ran over host[256] (the 260-byte one into the
    # port), and ssh's bound on a SOCKS 4 request.
    "long4a": s4a(b"A" * 300),
    "long4a-260": s4a(b"A" * 260),
    "long4a-255": s4a(b"a" * 255, port=1),
    # (exactly what the proxy reads before it refuses: unread bytes
    # would turn its close into a reset that may eat the reply)
    "long4-user": b"\x04\x01\x00\x50\x7f\x00\x00\x01" + b"u" * 1017,
    "bind4": b"\x04\x02\x00\x50\x7f\x00\x00\x01\0",
    "empty4a": s4a(b""),
    "nul5": s5(b"\x05\x01\x00\x03\x05ab\0cd\x00\x50"),
    "empty5": s5(b"\x05\x01\x00\x03\x00\x00\x50"),
    "atyp5": s5(b"\x05\x01\x00\x09\x7f\x00\x00\x01\x00\x50"),
    "bind5": s5(b"\x05\x02\x00\x01\x7f\x00\x00\x01\x00\x50"),
    "noauth5": b"\x05\x01\x02",
    "version": b"\x07\x01\x00\x50",
}


def send(sock, data):
    piece = int(os.environ.get("PIECE", "0")) or len(data)
    for i in range(0, len(data), piece):
        sock.sendall(data[i:i + piece])
        if piece < len(data):
            time.sleep(0.01)


def recv_exact(sock, n):
    got = b""
    while len(got) < n:
        b = sock.recv(n - len(got))
        if not b:
            break
        got += b
    return got


def hostile(sock, data):
    got, end = b"", "eof"
    try:
        send(sock, data)
        while True:
            b = sock.recv(4096)
            if not b:
                break
            got += b
    except socket.timeout:
        end = "timeout"
    except (ConnectionResetError, BrokenPipeError):
        end = "reset"
    print((got.hex() or "-") + " " + end)


def good(sock, case, port):
    addr = b"\x7f\x00\x00\x01"
    if case == "good4a":
        send(sock, s4a(b"127.0.0.1", port, b"someone"))
        want = b"\x00\x5a"
        rep = recv_exact(sock, 8)
    else:
        send(sock, s5(b"\x05\x01\x00\x01" + addr + struct.pack(">H", port)))
        want = b"\x05\x00\x05\x00"
        rep = recv_exact(sock, 12)
    if not rep.startswith(want):
        print("refused " + rep.hex())
        return
    sock.sendall(b"ping\n")
    back = recv_exact(sock, 5)
    print("echo ok" if back == b"ping\n" else "echo " + back.hex())


def main():
    host, port, case = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    sock = socket.create_connection((host, port), timeout=WAIT)
    try:
        if case.startswith("good"):
            good(sock, case, int(sys.argv[4]))
        else:
            hostile(sock, CASES[case])
    except socket.timeout:
        print("timeout")
    finally:
        sock.close()


if __name__ == "__main__":
    main()
