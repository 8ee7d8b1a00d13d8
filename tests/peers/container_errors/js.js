// The AWS SDK for JavaScript v3's container credential provider (fromHttp):
// prints the error it gets from the endpoint named by
// AWS_CONTAINER_CREDENTIALS_FULL_URI, with the Code and Message it read from
// the body (tests/exec_sdk_errors.rs).
const { fromHttp } = require("@aws-sdk/credential-providers");

fromHttp({ maxRetries: 0 })().then(
  () => console.log("ok"),
  (e) => {
    console.log(`${e.name}: ${e.message} | Code: ${e.Code} | Message: ${e.Message}`);
    process.exit(1);
  },
);
