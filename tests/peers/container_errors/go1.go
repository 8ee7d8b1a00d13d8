// The AWS SDK for Go v1's container credential provider, as a Dapr 1.13 to
// 1.16 sidecar uses it: prints the error it gets from the endpoint named by
// AWS_CONTAINER_CREDENTIALS_FULL_URI (tests/exec_sdk_errors.rs).
package main

import (
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go/aws/defaults"
)

func main() {
	cfg := defaults.Config().WithMaxRetries(0)
	provider := defaults.RemoteCredProvider(*cfg, defaults.Handlers())
	if _, err := provider.Retrieve(); err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	fmt.Println("ok")
}
