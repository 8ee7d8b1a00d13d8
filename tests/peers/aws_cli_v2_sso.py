"""Runs Debian's AWS CLI v2 (2.9) with its SSO and SSO-OIDC clients pointed at
the test SSO server (ROLECALL_TEST_SSO_URL). That CLI predates the
AWS_ENDPOINT_URL_* variables, so the endpoint is handed to the clients it
creates; everything else (login, the token and registration caches, logout,
export-credentials) is the CLI's own code.

Usage: /usr/bin/python3 aws_cli_v2_sso.py ARGS...   (as `aws ARGS...`)
"""

import os
import sys

from awscli.clidriver import create_clidriver


def main():
    url = os.environ["ROLECALL_TEST_SSO_URL"]
    driver = create_clidriver()
    original = driver.session.create_client

    def create_client(service_name, *args, **kwargs):
        if service_name in ("sso", "sso-oidc"):
            kwargs["endpoint_url"] = url
        return original(service_name, *args, **kwargs)

    driver.session.create_client = create_client
    return driver.main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
