#!/usr/bin/env python3
"""A ProxyCommand for tests: tcp-relay.py PORT relays stdin/stdout to
127.0.0.1:PORT, whatever name the client is connecting to, so that odd
destination names can reach a lab server.  Half-closes on stdin EOF and
exits on the server's."""
import os
import select
import socket
import sys

sock = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
sources = [0, sock.fileno()]
while sources:
    for fd in select.select(sources, [], [])[0]:
        data = os.read(fd, 65536)
        if fd == 0:
            if data:
                sock.sendall(data)
            else:
                sock.shutdown(socket.SHUT_WR)
                sources.remove(0)
        elif not data:
            sys.exit(0)
        else:
            while data:
                data = data[os.write(1, data):]
