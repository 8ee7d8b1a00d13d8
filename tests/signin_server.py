"""A small AWS Sign-In server (console credentials, `aws login`) for rolecall's tests.

It speaks the service's wire protocol (restJson1, as botocore and the AWS SDKs
send it) on 127.0.0.1, reached through AWS_ENDPOINT_URL_SIGNIN:

  GET  /v1/authorize   the browser's page: checks response_type=code, the
                       devtools client id, code_challenge_method=SHA-256,
                       scope=openid, state, code_challenge and a loopback
                       redirect_uri; redirects (302) to
                       redirect_uri?code=...&state=...
  POST /v1/token       CreateOAuth2Token, body {clientId, grantType, ...}:
                       authorization_code (code once only, redirectUri as given
                       to /v1/authorize, codeVerifier hashing to the challenge)
                       and refresh_token (a refresh token once only, bound to
                       the DPoP key of the login). Every call needs a DPoP
                       header (RFC 9449): a JWT typ dpop+jwt, alg ES256, an EC
                       P-256 jwk, claims htm POST, htu the request's URL, iat
                       within 5 minutes, a jti not seen before, and a valid
                       signature. Answers {accessToken: {accessKeyId,
                       secretAccessKey, sessionToken}, tokenType aws_sigv4,
                       expiresIn, refreshToken[, idToken with sub = the session
                       ARN]}; errors AccessDeniedException {error, message}
                       (TOKEN_EXPIRED for a spent or unknown refresh token) and
                       ValidationException.
  GET  /_stats         call counts.

Usage: python signin_server.py [--port 0] [--session-arn ARN]
[--expires-in SECONDS] [--seed-refresh TOKEN:X.Y]; prints the port on the
first line.
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

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

CLIENTS = ("arn:aws:signin:::devtools/same-device", "arn:aws:signin:::devtools/cross-device")


def b64url_decode(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def b64url(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def check_dpop(proof, url, seen):
    """The jwk thumbprint-ish key of a valid proof for POST url, else raises ValueError."""
    try:
        h64, p64, s64 = proof.split(".")
        header, payload = json.loads(b64url_decode(h64)), json.loads(b64url_decode(p64))
        sig = b64url_decode(s64)
    except Exception as e:
        raise ValueError(f"malformed DPoP proof: {e}")
    if header.get("typ") != "dpop+jwt" or header.get("alg") != "ES256":
        raise ValueError("DPoP header typ/alg")
    jwk = header.get("jwk") or {}
    if jwk.get("kty") != "EC" or jwk.get("crv") != "P-256":
        raise ValueError("DPoP jwk")
    if payload.get("htm") != "POST" or payload.get("htu") != url:
        raise ValueError(f"DPoP htm/htu {payload.get('htm')} {payload.get('htu')} != POST {url}")
    if abs(time.time() - int(payload.get("iat", 0))) > 300:
        raise ValueError("DPoP iat")
    jti = payload.get("jti")
    if not jti or jti in seen:
        raise ValueError("DPoP jti missing or replayed")
    seen.add(jti)
    x, y = int.from_bytes(b64url_decode(jwk["x"]), "big"), int.from_bytes(b64url_decode(jwk["y"]), "big")
    key = ec.EllipticCurvePublicNumbers(x, y, ec.SECP256R1()).public_key()
    if len(sig) != 64:
        raise ValueError("DPoP signature length")
    der = encode_dss_signature(int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big"))
    try:
        key.verify(der, f"{h64}.{p64}".encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise ValueError("DPoP signature")
    return jwk["x"] + "." + jwk["y"]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    @property
    def state(self):
        return self.server.state

    def count(self, name):
        self.state["stats"][name] = self.state["stats"].get(name, 0) + 1

    def reply(self, status, body, headers=None):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def fail(self, status, kind, code, message):
        self.reply(status, {"error": code, "message": message}, {"x-amzn-ErrorType": kind})

    def do_GET(self):
        url = urlparse(self.path)
        q = {k: v[0] for k, v in parse_qs(url.query).items()}
        with self.state["lock"]:
            if url.path == "/_stats":
                return self.reply(200, dict(self.state["stats"]))
            if url.path != "/v1/authorize":
                return self.fail(404, "ResourceNotFoundException", "RESOURCE_NOT_FOUND", url.path)
            self.count("/v1/authorize")
            redirect = q.get("redirect_uri", "")
            ok = (q.get("response_type") == "code" and q.get("client_id") in CLIENTS
                  and q.get("code_challenge_method") == "SHA-256" and q.get("scope") == "openid"
                  and q.get("state") and q.get("code_challenge")
                  and urlparse(redirect).hostname == "127.0.0.1")
            if not ok:
                return self.fail(400, "ValidationException", "INVALID_REQUEST", f"bad authorize query {q}")
            code = "code-" + secrets.token_hex(12)
            self.state["codes"][code] = {"clientId": q["client_id"], "redirectUri": redirect,
                                         "challenge": q["code_challenge"]}
            self.send_response(302)
            self.send_header("Location", f"{redirect}?code={code}&state={q['state']}")
            self.send_header("Content-Length", "0")
            self.end_headers()

    def do_POST(self):
        url = urlparse(self.path)
        n = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(n) or b"{}")
        with self.state["lock"]:
            if url.path != "/v1/token":
                return self.fail(404, "ResourceNotFoundException", "RESOURCE_NOT_FOUND", url.path)
            self.count("/v1/token")
            full = f"http://{self.headers.get('Host')}{self.path}"
            try:
                key = check_dpop(self.headers.get("DPoP") or "", full, self.state["jtis"])
            except ValueError as e:
                self.count("dpop_refused")
                return self.fail(400, "ValidationException", "INVALID_REQUEST", str(e))
            if body.get("clientId") not in CLIENTS:
                return self.fail(400, "ValidationException", "INVALID_REQUEST", "clientId")
            grant = body.get("grantType")
            if grant == "authorization_code":
                found = self.state["codes"].pop(body.get("code"), None)
                if found is None or found["clientId"] != body["clientId"]:
                    return self.fail(400, "AccessDeniedException", "AUTHCODE_EXPIRED", "unknown or used code")
                if body.get("redirectUri") != found["redirectUri"]:
                    return self.fail(400, "ValidationException", "INVALID_REQUEST", "redirectUri differs")
                verifier = body.get("codeVerifier") or ""
                if b64url(hashlib.sha256(verifier.encode()).digest()) != found["challenge"]:
                    return self.fail(400, "ValidationException", "INVALID_REQUEST", "codeVerifier")
                self.count("login")
                return self.reply(200, self.issue(body["clientId"], key, with_id=True))
            if grant == "refresh_token":
                found = self.state["refresh"].pop(body.get("refreshToken"), None)
                if found is None:
                    self.count("refresh_refused")
                    return self.fail(400, "AccessDeniedException", "TOKEN_EXPIRED", "session expired")
                if found != key:
                    self.count("refresh_refused")
                    return self.fail(400, "AccessDeniedException", "TOKEN_EXPIRED", "not the login's DPoP key")
                self.count("refresh")
                return self.reply(200, self.issue(body["clientId"], key, with_id=False))
            return self.fail(400, "ValidationException", "INVALID_REQUEST", f"grantType {grant}")

    def issue(self, client_id, key, with_id):
        refresh = "ASOR" + secrets.token_hex(16)
        self.state["refresh"][refresh] = key
        self.state["issued"] += 1
        out = {
            "accessToken": {
                "accessKeyId": "ASIASIGNIN%08d" % self.state["issued"],
                "secretAccessKey": secrets.token_hex(20),
                "sessionToken": f"signin-session-{self.state['issued']}",
            },
            "tokenType": "aws_sigv4",
            "expiresIn": self.state["expires_in"],
            "refreshToken": refresh,
        }
        if with_id:
            claims = {"sub": self.state["arn"], "iat": int(time.time())}
            out["idToken"] = ".".join([b64url(b'{"alg":"none"}'), b64url(json.dumps(claims).encode()), "sig"])
        return out


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--session-arn", default="arn:aws:iam::123456789012:user/alice")
    p.add_argument("--expires-in", type=int, default=900)
    p.add_argument("--seed-refresh", action="append", default=[],
                   help="TOKEN:X.Y, a refresh token issued earlier to the DPoP key with jwk x and y")
    args = p.parse_args(argv)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    server.state = {"lock": threading.Lock(), "stats": {}, "codes": {}, "refresh": {}, "jtis": set(),
                    "issued": 0, "arn": args.session_arn, "expires_in": args.expires_in}
    for seed in args.seed_refresh:
        token, key = seed.split(":", 1)
        server.state["refresh"][token] = key
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1:])
