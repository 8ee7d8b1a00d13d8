"""A small IAM Identity Center (SSO + SSO-OIDC) server for rolecall's tests.

It speaks the services' real wire protocol (restJson1, as the AWS SDKs and
botocore send it) on 127.0.0.1, so rolecall, botocore and the AWS CLI reach it
through their endpoint settings (AWS_ENDPOINT_URL_SSO_OIDC, AWS_ENDPOINT_URL_SSO):

  OIDC    POST /client/register, POST /device_authorization, POST /token
          (device_code, authorization_code and refresh_token grants; errors
          authorization_pending,
          slow_down, expired_token, access_denied, invalid_grant,
          invalid_client as the service returns them: HTTP 400/401, header
          x-amzn-ErrorType, body {"error", "error_description"})
  portal  GET /federation/credentials, GET /assignment/accounts,
          GET /assignment/roles, POST /logout (header x-amz-sso_bearer_token;
          UnauthorizedException 401, TooManyRequestsException 429)

  PKCE    GET /authorize (the browser's page: checks the client, its
          registered grant types and loopback redirect URI, the S256 challenge;
          redirects with 302 to redirect_uri?code=...&state=..., or with
          error=access_denied under --deny-authorize); CreateToken with
          grantType authorization_code checks the code (once only), the
          redirectUri (the one /authorize was given) and that the codeVerifier
          hashes to the challenge.

The "user" approves a code by opening the verification page:
GET /device?user_code=CODE (add &deny=1 to refuse). GET /_stats returns call
counts. Options (see --help) set the latency, the size of the portal,
throttling, and scripted polling answers.

Usage: python sso_server.py [--port 0] ...; prints the port on the first line.
"""

import argparse
import base64
import hashlib
import json
import secrets
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--accounts", type=int, default=3, help="accounts in the portal")
    p.add_argument("--roles", type=int, default=2, help="roles per account")
    p.add_argument("--latency-ms", type=float, default=0, help="delay before every answer")
    p.add_argument("--throttle-every", type=int, default=0,
                   help="answer every Nth portal list call with TooManyRequestsException")
    p.add_argument("--interval", type=int, default=1, help="polling interval the service asks for")
    p.add_argument("--auto-approve-after", type=int, default=-1,
                   help="approve a code after this many pending polls (-1: wait for /device)")
    p.add_argument("--script", default="",
                   help="comma-separated answers for the first polls: pending, slow_down, expired, denied")
    p.add_argument("--token-seconds", type=int, default=8 * 3600)
    p.add_argument("--refreshed-token-seconds", type=int, default=0,
                   help="lifetime of tokens from a refresh (default: --token-seconds)")
    p.add_argument("--credential-seconds", type=int, default=3600)
    p.add_argument("--deny-authorize", action="store_true",
                   help="/authorize redirects with error=access_denied")
    p.add_argument("--throttle-credentials-every", type=int, default=0,
                   help="answer every Nth GetRoleCredentials with TooManyRequestsException")
    p.add_argument("--removed-account", default="",
                   help="GetRoleCredentials for this account is ForbiddenException (the role was removed)")
    return p.parse_args(argv)


class State:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.clients = {}  # clientId -> {secret, scopes}
        self.devices = {}  # deviceCode -> {userCode, clientId, startUrl, approved, denied, polls, expires}
        self.tokens = {}  # accessToken -> {expires, startUrl}
        self.refresh = {}  # refreshToken -> clientId
        self.codes = {}  # authorization code -> {clientId, challenge, redirectUri, startUrl}
        self.script = [s for s in args.script.split(",") if s]
        self.portal_calls = 0
        self.stats = {}
        width = max(3, len(str(args.accounts)))
        self.accounts = [
            {
                "accountId": f"{100000000000 + i:012d}",
                "accountName": f"Account {i:0{width}d}",
                "emailAddress": f"aws+{i}@example.com",
            }
            for i in range(args.accounts)
        ]
        self.role_names = ["AdministratorAccess", "ReadOnlyAccess", "PowerUserAccess",
                           "Billing", "SecurityAudit"][: args.roles]
        if args.roles > 5:
            self.role_names += [f"Role{i}" for i in range(5, args.roles)]

    def count(self, name):
        self.stats[name] = self.stats.get(name, 0) + 1


def error(handler, status, kind, error_code=None, message=""):
    body = {"error": error_code, "error_description": message} if error_code else {"message": message}
    handler.reply(status, body, {"x-amzn-ErrorType": f"{kind}:http://internal.amazon.com/coral/"})


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: without TCP_NODELAY the second
    # waits for the client's delayed ACK (40 ms on Linux) on every answer.
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    @property
    def state(self):
        return self.server.state

    def reply(self, status, body, headers=None):
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        return json.loads(raw) if raw else {}

    def delay(self):
        if self.state.args.latency_ms:
            time.sleep(self.state.args.latency_ms / 1000)

    def do_POST(self):
        self.delay()
        url = urlparse(self.path)
        routes = {
            "/client/register": self.register,
            "/device_authorization": self.device_authorization,
            "/token": self.token,
            "/logout": self.logout,
        }
        route = routes.get(url.path)
        if route is None:
            return error(self, 404, "ResourceNotFoundException", message=url.path)
        with self.state.lock:
            self.state.count(url.path)
        route(self.body() if url.path != "/logout" else None)

    def do_GET(self):
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        if url.path == "/_stats":
            with self.state.lock:
                return self.reply(200, dict(self.state.stats))
        if url.path == "/device":
            return self.approve(query)
        if url.path == "/authorize":
            with self.state.lock:
                self.state.count("/authorize")
                return self.authorize(query)
        self.delay()
        routes = {
            "/federation/credentials": self.credentials,
            "/assignment/accounts": self.accounts,
            "/assignment/roles": self.roles,
        }
        route = routes.get(url.path)
        if route is None:
            return error(self, 404, "ResourceNotFoundException", message=url.path)
        with self.state.lock:
            self.state.count(url.path)
        route(query)

    # ------------------------------------------------------------------ OIDC
    def register(self, body):
        if body.get("clientType") != "public" or not body.get("clientName"):
            return error(self, 400, "InvalidClientMetadataException", "invalid_client_metadata",
                         "clientName and clientType public are required")
        cid, secret = "client-" + secrets.token_hex(8), "secret-" + secrets.token_hex(16)
        now = int(time.time())
        grants = body.get("grantTypes") or []
        redirects = body.get("redirectUris") or []
        if "authorization_code" in grants:
            # What the service requires of a PKCE client.
            if not redirects or not body.get("issuerUrl") or "refresh_token" not in grants:
                return error(self, 400, "InvalidClientMetadataException", "invalid_client_metadata",
                             "authorization_code clients need redirectUris, issuerUrl and refresh_token")
        with self.state.lock:
            self.state.clients[cid] = {"secret": secret, "scopes": body.get("scopes") or [],
                                       "grants": grants, "redirects": redirects,
                                       "issuer": body.get("issuerUrl")}
        self.reply(200, {"clientId": cid, "clientSecret": secret, "clientIdIssuedAt": now,
                         "clientSecretExpiresAt": now + 90 * 86400})

    def client(self, body):
        c = self.state.clients.get(body.get("clientId"))
        if c is None or c["secret"] != body.get("clientSecret"):
            error(self, 401, "InvalidClientException", "invalid_client", "unknown client")
            return None
        return c

    def device_authorization(self, body):
        with self.state.lock:
            if self.client(body) is None:
                return
            code = "device-" + secrets.token_hex(16)
            user = secrets.token_hex(2).upper() + "-" + secrets.token_hex(2).upper()
            self.state.devices[code] = {"userCode": user, "clientId": body["clientId"],
                                        "startUrl": body.get("startUrl"), "approved": False,
                                        "denied": False, "polls": 0, "expires": time.time() + 600}
        host = f"http://{self.headers.get('Host')}"
        self.reply(200, {"deviceCode": code, "userCode": user,
                         "verificationUri": f"{host}/device",
                         "verificationUriComplete": f"{host}/device?user_code={user}",
                         "expiresIn": 600, "interval": self.state.args.interval})

    def approve(self, query):
        with self.state.lock:
            for d in self.state.devices.values():
                if d["userCode"] == query.get("user_code"):
                    d["denied" if query.get("deny") else "approved"] = True
                    self.state.count("approved" if not query.get("deny") else "denied")
                    return self.reply(200, {"ok": True})
        error(self, 404, "ResourceNotFoundException", message="no such code")

    def redirect(self, location):
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def authorize(self, query):
        c = self.state.clients.get(query.get("client_id"))
        if c is None or "authorization_code" not in c["grants"]:
            return error(self, 400, "InvalidClientException", "invalid_client", "not a PKCE client")
        redirect = query.get("redirect_uri") or ""
        loopback = urlparse(redirect)
        # RFC 8252: any port on the registered loopback redirect.
        registered = {urlparse(r)._replace(netloc=urlparse(r).hostname or "").geturl()
                      for r in c["redirects"]}
        if loopback._replace(netloc=loopback.hostname or "").geturl() not in registered:
            return error(self, 400, "InvalidRequestException", "invalid_request", "redirect_uri")
        wanted = {"response_type": "code", "code_challenge_method": "S256"}
        if any(query.get(k) != v for k, v in wanted.items()) or not query.get("state") \
                or not query.get("code_challenge") or not query.get("scopes"):
            return error(self, 400, "InvalidRequestException", "invalid_request", "bad authorize query")
        sep = "&" if "?" in redirect else "?"
        if self.state.args.deny_authorize:
            return self.redirect(f"{redirect}{sep}error=access_denied&state={query['state']}")
        code = "code-" + secrets.token_hex(16)
        self.state.codes[code] = {"clientId": query["client_id"], "redirectUri": redirect,
                                  "challenge": query["code_challenge"], "startUrl": c["issuer"]}
        self.redirect(f"{redirect}{sep}code={code}&state={query['state']}")

    def auth_code(self, body):
        found = self.state.codes.pop(body.get("code"), None)  # once only
        if found is None or found["clientId"] != body["clientId"]:
            return error(self, 400, "InvalidGrantException", "invalid_grant", "unknown or used code")
        if body.get("redirectUri") != found["redirectUri"]:
            return error(self, 400, "InvalidGrantException", "invalid_grant", "redirectUri differs")
        verifier = body.get("codeVerifier") or ""
        digest = hashlib.sha256(verifier.encode()).digest()
        if not 43 <= len(verifier) <= 128 or \
                base64.urlsafe_b64encode(digest).decode().rstrip("=") != found["challenge"]:
            return error(self, 400, "InvalidGrantException", "invalid_grant", "codeVerifier")
        self.state.count("token_issued")
        self.reply(200, self.issue(found["clientId"], found["startUrl"]))

    def issue(self, client_id, start_url, refreshed=False):
        c = self.state.clients[client_id]
        access = "access-" + secrets.token_hex(16)
        lifetime = self.state.args.token_seconds
        if refreshed and self.state.args.refreshed_token_seconds:
            lifetime = self.state.args.refreshed_token_seconds
        self.state.tokens[access] = {"expires": time.time() + lifetime, "startUrl": start_url}
        out = {"accessToken": access, "tokenType": "Bearer", "expiresIn": lifetime}
        if c["scopes"]:
            refresh = "refresh-" + secrets.token_hex(16)
            self.state.refresh[refresh] = (client_id, start_url)
            out["refreshToken"] = refresh
        return out

    def token(self, body):
        with self.state.lock:
            if self.client(body) is None:
                return
            grant = body.get("grantType")
            if grant == "refresh_token":
                self.state.count("refresh")
                found = self.state.refresh.pop(body.get("refreshToken"), None)
                if found is None or found[0] != body["clientId"]:
                    return error(self, 400, "InvalidGrantException", "invalid_grant", "bad refresh token")
                return self.reply(200, self.issue(found[0], found[1], refreshed=True))
            if grant == "authorization_code":
                return self.auth_code(body)
            if grant != "urn:ietf:params:oauth:grant-type:device_code":
                return error(self, 400, "UnsupportedGrantTypeException", "unsupported_grant_type", grant)
            d = self.state.devices.get(body.get("deviceCode"))
            if d is None or d["clientId"] != body["clientId"]:
                return error(self, 400, "InvalidGrantException", "invalid_grant", "unknown device code")
            d["polls"] += 1
            scripted = self.state.script.pop(0) if self.state.script else None
            if scripted == "slow_down":
                return error(self, 400, "SlowDownException", "slow_down", "slow down")
            if scripted == "expired" or time.time() > d["expires"]:
                return error(self, 400, "ExpiredTokenException", "expired_token", "code expired")
            if scripted == "denied" or d["denied"]:
                return error(self, 400, "AccessDeniedException", "access_denied", "denied")
            auto = self.state.args.auto_approve_after
            if scripted == "pending" or not (d["approved"] or (auto >= 0 and d["polls"] > auto)):
                return error(self, 400, "AuthorizationPendingException", "authorization_pending",
                             "authorization pending")
            del self.state.devices[body["deviceCode"]]
            self.state.count("token_issued")
            self.reply(200, self.issue(d["clientId"], d["startUrl"]))

    # ------------------------------------------------------------------ portal
    def bearer(self):
        t = self.state.tokens.get(self.headers.get("x-amz-sso_bearer_token"))
        if t is None or t["expires"] < time.time():
            error(self, 401, "UnauthorizedException", message="Session token not found or invalid")
            return None
        return t

    def throttled(self):
        every = self.state.args.throttle_every
        if every:
            self.state.portal_calls += 1
            if self.state.portal_calls % every == 0:
                self.state.count("throttled")
                error(self, 429, "TooManyRequestsException", message="Too many requests")
                return True
        return False

    def page(self, items, query, key):
        start = int(query.get("next_token") or 0)
        size = int(query.get("max_result") or 20)
        chunk = items[start:start + size]
        out = {key: chunk}
        if start + size < len(items):
            out["nextToken"] = str(start + size)
        self.reply(200, out)

    def accounts(self, query):
        with self.state.lock:
            if self.bearer() is None or self.throttled():
                return
        self.page(self.state.accounts, query, "accountList")

    def roles(self, query):
        with self.state.lock:
            if self.bearer() is None or self.throttled():
                return
        account = query.get("account_id")
        roles = [{"roleName": r, "accountId": account} for r in self.state.role_names]
        self.page(roles, query, "roleList")

    def credentials(self, query):
        with self.state.lock:
            if self.bearer() is None:
                return
            every = self.state.args.throttle_credentials_every
            if every:
                self.state.credential_calls = getattr(self.state, "credential_calls", 0) + 1
                if self.state.credential_calls % every == 0:
                    self.state.count("throttled")
                    error(self, 429, "TooManyRequestsException", message="Too many requests")
                    return
            if query.get("account_id") == self.state.args.removed_account:
                self.state.count("forbidden")
                error(self, 403, "ForbiddenException", message="No access")
                return
        expires = int((time.time() + self.state.args.credential_seconds) * 1000)
        self.reply(200, {"roleCredentials": {
            "accessKeyId": "ASIA" + secrets.token_hex(8).upper(),
            "secretAccessKey": secrets.token_hex(20),
            "sessionToken": f"sso-session-for-{query.get('account_id')}-{query.get('role_name')}",
            "expiration": expires}})

    def logout(self, _body):
        with self.state.lock:
            token = self.headers.get("x-amz-sso_bearer_token")
            if self.bearer() is None:
                return
            del self.state.tokens[token]
        self.reply(200, None)


def main(argv):
    args = parse_args(argv)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    server.request_queue_size = 256
    server.state = State(args)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1:])
