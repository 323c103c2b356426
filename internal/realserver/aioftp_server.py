"""An aioftp server for ferry's interop tests (internal/realserver).

Run by realserver with Debian's python3 and PYTHONPATH pointing into the
unpacked python3-aioftp; the password comes from FERRY_FTP_PASSWORD. One
user, whose root is --home, may read and write everywhere in it. With
--cert and --key the server speaks TLS from the first byte on control and
data connections (implicit TLS): aioftp has no AUTH TLS.
"""

import argparse
import asyncio
import logging
import os
import pathlib
import ssl
import sys

import aioftp


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--host", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--user", required=True)
    p.add_argument("--home", required=True)
    p.add_argument("--passive", required=True, help="LO-HI")
    p.add_argument("--log", required=True)
    p.add_argument("--cert", help="PEM certificate: enables implicit TLS")
    p.add_argument("--key", help="PEM key")
    args = p.parse_args()

    logging.basicConfig(
        filename=args.log,
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    context = None
    if args.cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)
    user = aioftp.User(
        args.user,
        os.environ["FERRY_FTP_PASSWORD"],
        base_path=pathlib.Path(args.home),
        home_path="/",
        permissions=[aioftp.Permission("/", readable=True, writable=True)],
    )
    lo, hi = (int(x) for x in args.passive.split("-"))
    server = aioftp.Server([user], data_ports=range(lo, hi + 1), ssl=context)
    asyncio.run(server.run(args.host, args.port))


if __name__ == "__main__":
    sys.exit(main())
