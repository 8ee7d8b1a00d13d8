"""A loopback stand-in for the AWS federation endpoint (signin.aws.amazon.com/federation)
for rolecall's console tests.

  GET /federation?Action=getSigninToken&Session=JSON[&SessionDuration=N]
      answers {"SigninToken": "..."} like the real endpoint; refuses (HTTP 400)
      a Session without sessionId, sessionKey or sessionToken (the endpoint
      refuses long-term keys) and a SessionDuration outside 900..43200.
  GET /federation?Action=login&Issuer=..&Destination=..&SigninToken=..
      answers 200 when the token is one it issued.
  GET /_log   every getSigninToken and login request seen, as JSON:
      [{"action", "session": {...}, "session_duration", "token", ...}]

Options: --refuse (answer every getSigninToken with 400 and a message, as for a
role that forbids console sign-in).

Usage: python federation_fake.py [--refuse]; prints the port on the first line.
"""

import argparse
import json
import secrets
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

LOCK = threading.Lock()
LOG = []
TOKENS = set()


def one(query, name):
    values = query.get(name)
    return values[0] if values else None


class Handler(BaseHTTPRequestHandler):
    refuse = False

    def log_message(self, *args):
        pass

    def answer(self, status, body, content_type="application/json"):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urlparse(self.path)
        query = parse_qs(url.query, keep_blank_values=True)
        if url.path == "/_log":
            with LOCK:
                return self.answer(200, json.dumps(LOG))
        if url.path != "/federation":
            return self.answer(404, "not found", "text/plain")
        action = one(query, "Action")
        if action == "getSigninToken":
            return self.signin_token(query)
        if action == "login":
            entry = {k: one(query, k) for k in ("Issuer", "Destination", "SigninToken")}
            entry["action"] = "login"
            with LOCK:
                LOG.append(entry)
                known = entry["SigninToken"] in TOKENS
            return self.answer(200 if known else 400, "signed in" if known else "unknown token",
                               "text/plain")
        return self.answer(400, "unknown Action", "text/plain")

    def signin_token(self, query):
        entry = {"action": "getSigninToken", "params": sorted(query)}
        duration = one(query, "SessionDuration")
        entry["session_duration"] = int(duration) if duration is not None else None
        try:
            session = json.loads(one(query, "Session") or "")
        except ValueError:
            session = None
        entry["session"] = session
        problem = None
        if self.refuse:
            problem = "Console sign-in is not allowed for this role"
        elif not isinstance(session, dict):
            problem = "Session is not JSON"
        elif not all(session.get(k) for k in ("sessionId", "sessionKey", "sessionToken")):
            problem = "Session needs sessionId, sessionKey and sessionToken"
        elif duration is not None and not 900 <= int(duration) <= 43200:
            problem = "SessionDuration out of range"
        token = None
        if problem is None:
            token = "fake-signin-" + secrets.token_urlsafe(24)
        entry["token"] = token
        entry["problem"] = problem
        with LOCK:
            LOG.append(entry)
            if token:
                TOKENS.add(token)
        if problem:
            return self.answer(400, problem, "text/plain")
        return self.answer(200, json.dumps({"SigninToken": token}))


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--refuse", action="store_true")
    args = p.parse_args(argv)
    Handler.refuse = args.refuse
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1:])
