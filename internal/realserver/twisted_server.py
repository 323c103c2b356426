"""Twisted's FTP server for ferry's interop tests (internal/realserver).

Run by realserver with Debian's python3 and PYTHONPATH pointing into the
unpacked python3-twisted and its dependencies; the password comes from
FERRY_FTP_PASSWORD. One user, whose root is --home; no anonymous login.
"""

import argparse
import hmac
import os
import sys

from twisted.cred import credentials, error
from twisted.cred.checkers import ICredentialsChecker
from twisted.cred.portal import Portal
from twisted.internet import defer, reactor
from twisted.protocols.ftp import FTP, BaseFTPRealm, FTPFactory
from twisted.python import filepath, log
from zope.interface import implementer


@implementer(ICredentialsChecker)
class OneUser:
    """Lets one user in with one password."""

    credentialInterfaces = (credentials.IUsernamePassword,)

    def __init__(self, user, password):
        self.user = user.encode()
        self.password = password.encode()

    def requestAvatarId(self, creds):
        user, password = creds.username, creds.password
        if isinstance(user, str):
            user = user.encode("latin-1")
        if isinstance(password, str):
            password = password.encode("latin-1")
        if hmac.compare_digest(user, self.user) and hmac.compare_digest(password, self.password):
            return defer.succeed(user.decode())
        return defer.fail(error.UnauthorizedLogin())


class Realm(BaseFTPRealm):
    """Gives the user the home folder as its root."""

    def __init__(self, home):
        BaseFTPRealm.__init__(self, home)
        self.home = filepath.FilePath(home)

    def getHomeDirectory(self, avatarId):
        return self.home


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--host", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--user", required=True)
    p.add_argument("--home", required=True)
    p.add_argument("--passive", required=True, help="LO-HI")
    p.add_argument("--log", required=True)
    args = p.parse_args()

    log.startLogging(open(args.log, "a"), setStdout=False)
    host = args.host

    class LoopbackFTP(FTP):
        # Passive listeners on the control connection's address, not on
        # every interface (Twisted's default).
        def listenFactory(self, port, factory):
            return reactor.listenTCP(port, factory, interface=host)

    portal = Portal(Realm(args.home), [OneUser(args.user, os.environ["FERRY_FTP_PASSWORD"])])
    factory = FTPFactory(portal)
    factory.protocol = LoopbackFTP
    factory.allowAnonymous = False
    factory.welcomeMessage = "ferry test twisted ready"
    lo, hi = (int(x) for x in args.passive.split("-"))
    factory.passivePortRange = range(lo, hi + 1)
    reactor.listenTCP(args.port, factory, interface=host)
    reactor.run()


if __name__ == "__main__":
    sys.exit(main())
