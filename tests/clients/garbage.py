# Ferry robustness test: 100 connections that send random bytes (some shaped like a
# startup packet, some not). Ferry must neither crash nor hang; check afterwards with psql.
import os, random, socket, struct, sys

port = int(sys.argv[1])
rng = random.Random(20261123)  # fixed seed: a failure is reproducible
for i in range(100):
    kind = i % 4
    body = bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 512)))
    if kind == 1:    # plausible length prefix, random protocol code and payload
        payload = struct.pack("!I", len(body) + 4) + body
    elif kind == 2:  # protocol 3.0 header, then garbage parameters
        payload = struct.pack("!II", len(body) + 8, 196608) + body
    elif kind == 3:  # absurd length prefix: the server must not wait for or allocate it
        payload = struct.pack("!I", 0x7FFFFFF0) + body[:16]
    else:
        payload = body
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    try:
        s.sendall(payload)
        s.settimeout(0.2)
        try:
            s.recv(4096)
        except (socket.timeout, ConnectionResetError):
            pass
    except (BrokenPipeError, ConnectionResetError):
        pass
    finally:
        s.close()
print("sent 100 garbage payloads")
