#!/usr/bin/env python3
"""Hostile and slow peers for xssh's listeners (tests/integration/67-*).

  hostile.py source PORTFILE SIZE
      A TCP server on 127.0.0.1 (a free port, written to PORTFILE once
      listening) that sends SIZE zero bytes to each connection, then
      closes it.

  hostile.py slowread SECONDS [HOST PORT]
      Connect to HOST:PORT with a 4 KiB receive buffer (or use stdin),
      read slowly for SECONDS (a first second without reading, then
      4 KiB every millisecond: many small wake-ups of the sender), then
      read to the end at full speed and print the byte count.

  hostile.py mux-hello PATH
      Connect to a master's socket and print the first packet it sends
      as hex, or EOF when it closes the connection without one.

  hostile.py mux-dribble PATH SECONDS
      Say hello, then send a packet header a byte at a time, one byte a
      second, for SECONDS (the packet is never complete).

  hostile.py mux-noread PATH N SECONDS
      Say hello, send N alive checks without reading a single reply,
      then hold the connection for SECONDS.

  hostile.py mux-garbage PATH N
      N connections, one after another, each hostile in its own way:
      random bytes, impossible lengths, bad hellos, requests cut short,
      requests with garbage or missing descriptors, early closes.
      Prints "done N".

  hostile.py socks-garbage HOST PORT N
      N connections to a SOCKS port, each a hostile request: random
      bytes, over-long names, truncated requests, bad versions and
      commands, early closes.  Prints "done N".

  hostile.py socks-get HOST PORT DHOST DPORT SIZE
      A good SOCKS5 request for DHOST:DPORT through HOST:PORT; reads to
      the end and prints the byte count (SIZE bytes expected).
"""
import os
import random
import socket
import struct
import sys
import threading
import time

MUX_HELLO = 1
MUX_C_NEW_SESSION = 0x10000002
MUX_C_ALIVE_CHECK = 0x10000004
MUX_C_NEW_STDIO_FWD = 0x10000008


def source(portfile, size):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(64)
    with open(portfile + ".tmp", "w") as f:
        f.write("%d\n" % s.getsockname()[1])
    os.rename(portfile + ".tmp", portfile)

    def feed(c):
        try:
            left = size
            block = b"\0" * 65536
            while left > 0:
                n = c.send(block[:min(left, len(block))])
                left -= n
        except OSError:
            pass
        finally:
            c.close()

    while True:
        c, _ = s.accept()
        threading.Thread(target=feed, args=(c,), daemon=True).start()


def slowread(seconds, host=None, port=None):
    if host is None:
        f = sys.stdin.buffer.raw
        read = lambda n: f.read(n)
    else:
        c = socket.socket()
        c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        c.connect((host, int(port)))
        read = lambda n: c.recv(n)
    n = 0
    end = time.time() + float(seconds)
    time.sleep(1)
    while time.time() < end:
        b = read(4096)
        if not b:
            print(n)
            return
        n += len(b)
        time.sleep(0.001)
    while True:
        b = read(1 << 20)
        if not b:
            break
        n += len(b)
    print(n)


def packet(*fields):
    body = b""
    for f in fields:
        if isinstance(f, int):
            body += struct.pack(">I", f)
        else:
            if isinstance(f, str):
                f = f.encode()
            body += struct.pack(">I", len(f)) + f
    return struct.pack(">I", len(body)) + body


def mux_connect(path):
    c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    c.connect(path)
    return c


def mux_hello(path):
    c = mux_connect(path)
    c.settimeout(10)
    try:
        b = c.recv(64)
    except OSError:
        b = b""
    print(b.hex() if b else "EOF")


def mux_dribble(path, seconds):
    c = mux_connect(path)
    c.sendall(packet(MUX_HELLO, 4))
    header = struct.pack(">I", 200000)
    end = time.time() + float(seconds)
    i = 0
    while time.time() < end:
        try:
            c.send(header[i % 4:i % 4 + 1] if i < 4 else b"x")
        except OSError:
            break
        i += 1
        time.sleep(1)


def mux_noread(path, n, seconds):
    c = mux_connect(path)
    c.setblocking(False)
    msgs = packet(MUX_HELLO, 4) + b"".join(
        packet(MUX_C_ALIVE_CHECK, i) for i in range(int(n)))
    end = time.time() + float(seconds)
    while msgs and time.time() < end:
        try:
            sent = c.send(msgs)
            msgs = msgs[sent:]
        except BlockingIOError:
            time.sleep(0.05)
        except OSError:
            break
    while time.time() < end:
        time.sleep(0.2)


def send_fd(c, fd):
    c.sendmsg([b"\0"], [(socket.SOL_SOCKET, socket.SCM_RIGHTS,
                         struct.pack("i", fd))])


def mux_garbage(path, n):
    rnd = random.Random(4242)
    devnull = os.open("/dev/null", os.O_RDWR)
    hello = packet(MUX_HELLO, 4)
    cases = [
        lambda: os.urandom(rnd.randrange(1, 300)),
        lambda: struct.pack(">I", 0xffffffff) + b"abc",
        lambda: struct.pack(">I", 0),
        lambda: struct.pack(">I", 3) + b"abc",
        lambda: packet(MUX_HELLO, 99),
        lambda: packet(MUX_C_ALIVE_CHECK, 1),          # before hello
        lambda: hello + packet(0x12345678, 1),
        lambda: hello + struct.pack(">I", 100) + b"\0" * 10,
        lambda: hello + packet(MUX_C_NEW_SESSION, 1, "", 0, 0, 0, 0,
                               0xffffffff),
        lambda: hello + packet(MUX_C_NEW_SESSION, 1, "", 0, 0, 0, 0, 0,
                               "xterm", "true") + b"garbage-not-an-fd",
        lambda: hello + packet(MUX_C_NEW_STDIO_FWD, 1, "", "127.0.0.1",
                               99999),
        lambda: hello + packet(MUX_C_NEW_STDIO_FWD, 1, "", "a\0b", 22),
        lambda: hello + struct.pack(">I", 1 << 30),
        lambda: hello + os.urandom(rnd.randrange(1, 2000)),
    ]
    for i in range(int(n)):
        try:
            c = mux_connect(path)
        except OSError:
            time.sleep(0.01)
            continue
        try:
            c.setblocking(False)
            k = i % (len(cases) + 2)
            if k < len(cases):
                c.send(cases[k]())
            elif k == len(cases):
                # A session request with only one of its descriptors.
                c.send(hello + packet(MUX_C_NEW_SESSION, 1, "", 0, 0, 0, 0,
                                      0, "xterm", "true"))
                send_fd(c, devnull)
            else:
                pass    # connect and go at once
        except OSError:
            pass
        c.close()
    print("done", n)


def socks_garbage(host, port, n):
    rnd = random.Random(99)
    cases = [
        lambda: os.urandom(rnd.randrange(1, 600)),
        lambda: b"\x04\x01\x00\x50\x00\x00\x00\x01" + b"u\0" + b"A" * 300
        + b"\0",
        lambda: b"\x04\x01\x00\x50\x00\x00\x00\x01" + b"u\0" + b"A" * 260
        + b"\0",
        lambda: b"\x04\x01\x00\x50\x00\x00\x00\x01" + b"u" * 2000,
        lambda: b"\x04\x02\x00\x50\x7f\x00\x00\x01u\0",
        lambda: b"\x05\x01\x00\x05\x01\x00\x03\xff" + b"B" * 255 + b"\0P",
        lambda: b"\x05\x01\x00\x05\x01\x00\x03\x00\x00P",
        lambda: b"\x05\x01\x00\x05\x01\x00\x07" + b"\0" * 20,
        lambda: b"\x05\x01\x00\x05\x09\x00\x01\x7f\x00\x00\x01\0P",
        lambda: b"\x05\xff" + b"\x01" * 255,
        lambda: b"\x05\x01\x02",
        lambda: b"\x05\x01\x00\x05\x01\x00\x03\x10ab\0cdefghijklmnop\0P",
        lambda: b"\x06\x01",
        lambda: b"\x05",
    ]
    for i in range(int(n)):
        try:
            c = socket.create_connection((host, int(port)), timeout=5)
        except OSError:
            time.sleep(0.01)
            continue
        try:
            c.settimeout(0.2)
            c.sendall(cases[i % len(cases)]())
            try:
                c.recv(64)
            except OSError:
                pass
        except OSError:
            pass
        c.close()
    print("done", n)


def socks_get(host, port, dhost, dport, size):
    c = socket.create_connection((host, int(port)), timeout=30)
    c.sendall(b"\x05\x01\x00")
    if c.recv(2) != b"\x05\x00":
        print("refused")
        return
    name = dhost.encode()
    c.sendall(b"\x05\x01\x00\x03" + bytes([len(name)]) + name +
              struct.pack(">H", int(dport)))
    r = c.recv(10)
    if len(r) < 2 or r[1] != 0:
        print("failed", r.hex())
        return
    n = 0
    while True:
        b = c.recv(1 << 20)
        if not b:
            break
        n += len(b)
    print(n)


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    funcs = {
        "source": lambda: source(args[0], int(args[1])),
        "slowread": lambda: slowread(*args),
        "mux-hello": lambda: mux_hello(args[0]),
        "mux-dribble": lambda: mux_dribble(*args),
        "mux-noread": lambda: mux_noread(*args),
        "mux-garbage": lambda: mux_garbage(*args),
        "socks-garbage": lambda: socks_garbage(*args),
        "socks-get": lambda: socks_get(*args),
    }
    funcs[cmd]()


if __name__ == "__main__":
    main()
