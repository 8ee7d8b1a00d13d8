# botocore's container credential provider: prints the error it gets from the
# endpoint named by AWS_CONTAINER_CREDENTIALS_FULL_URI (tests/exec_sdk_errors.rs).
# Its three attempts are kept, without the second of sleep between them.
import sys

from botocore.credentials import ContainerProvider
from botocore.utils import ContainerMetadataFetcher

try:
    ContainerProvider(fetcher=ContainerMetadataFetcher(sleep=lambda _: None)).load()
except Exception as e:
    print(f"{type(e).__name__}: {e}")
    sys.exit(1)
print("ok")
