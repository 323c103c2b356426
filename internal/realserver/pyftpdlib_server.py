"""A pyftpdlib server for ferry's interop tests (internal/realserver).

Run by realserver with Debian's python3 and PYTHONPATH pointing into the
unpacked python3-pyftpdlib; the password comes from FERRY_FTP_PASSWORD.
"""

import argparse
import logging
import os

from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler
from pyftpdlib.servers import FTPServer


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--host", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--user", required=True)
    p.add_argument("--home", required=True)
    p.add_argument("--passive", required=True, help="LO-HI")
    p.add_argument("--log", required=True)
    p.add_argument("--cert", help="PEM certificate: enables explicit TLS")
    p.add_argument("--key", help="PEM key")
    args = p.parse_args()

    logging.basicConfig(
        filename=args.log,
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(message)s",
    )
    auth = DummyAuthorizer()
    auth.add_user(args.user, os.environ["FERRY_FTP_PASSWORD"], args.home, perm="elradfmwMT")

    handler = FTPHandler
    if args.cert:
        from pyftpdlib.handlers import TLS_FTPHandler

        handler = TLS_FTPHandler
        handler.certfile = args.cert
        handler.keyfile = args.key
        handler.tls_control_required = True
        handler.tls_data_required = True
    handler.authorizer = auth
    handler.banner = "ferry test pyftpdlib ready"
    lo, hi = (int(x) for x in args.passive.split("-"))
    handler.passive_ports = range(lo, hi + 1)
    handler.permit_foreign_addresses = False
    handler.auth_failed_timeout = 0.1
    handler.use_gmt_times = True

    server = FTPServer((args.host, args.port), handler)
    server.max_cons = 256
    server.max_cons_per_ip = 256
    server.serve_forever()


if __name__ == "__main__":
    main()
