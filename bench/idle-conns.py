#!/usr/bin/env python3
"""Opens N keep-alive client connections to 127.0.0.1:PORT, sends one GET on each, then holds them idle.

Prints "READY <open> <failed>" once every connection has had its answer (or failed), then waits
until it is terminated (SIGTERM/SIGINT) or --hold seconds pass, and closes everything. bench/run
samples the proxy's RSS while the connections are held: (RSS held - RSS before) / N is the memory
a proxy spends per idle client connection. Standard library only; loopback only.
"""

import argparse
import asyncio
import signal
import sys

REQUEST = b"GET /small HTTP/1.1\r\nHost: bench\r\nUser-Agent: fulcrum-bench-idle\r\n\r\n"


async def open_one(port, held, sem):
    async with sem:  # bounded concurrency while connecting: the accept queue is finite
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 10)
            writer.write(REQUEST)
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            if length:
                await asyncio.wait_for(reader.readexactly(length), 10)
            if not head.startswith(b"HTTP/1.1 200"):
                writer.close()
                return False
            held.append(writer)
            return True
        except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, ValueError):
            return False


async def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--conns", type=int, required=True)
    ap.add_argument("--hold", type=float, default=120.0, help="seconds to hold at most")
    args = ap.parse_args()

    held = []
    sem = asyncio.Semaphore(256)
    results = await asyncio.gather(*(open_one(args.port, held, sem) for _ in range(args.conns)))
    ok = sum(results)
    print(f"READY {ok} {args.conns - ok}", flush=True)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        await asyncio.wait_for(stop.wait(), args.hold)
    except asyncio.TimeoutError:
        pass
    for w in held:
        w.close()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(130)
