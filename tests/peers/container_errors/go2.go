// The AWS SDK for Go v2's default credential chain, as a current Dapr sidecar
// loads it: prints the error it gets from the endpoint named by
// AWS_CONTAINER_CREDENTIALS_FULL_URI (tests/exec_sdk_errors.rs).
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/config"
)

func main() {
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRetryMaxAttempts(1))
	if err != nil {
		fmt.Println(err)
		os.Exit(2)
	}
	if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	fmt.Println("ok")
}
