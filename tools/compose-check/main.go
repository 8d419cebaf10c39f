// compose-check loads a Compose file the way `docker compose config` does,
// with the compose-spec reference loader (github.com/compose-spec/compose-go):
// interpolation from an env file, JSON-schema validation, consistency checks
// (services, volumes, networks referenced but not defined). It prints the
// resolved project as JSON on stdout, or the problem on stderr and exits 1.
//
//	go run . -f ../../docker-compose.yml -env-file ../../.env.example
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/compose-spec/compose-go/v2/cli"
)

func main() {
	file := flag.String("f", "docker-compose.yml", "Compose file")
	envFile := flag.String("env-file", "", "environment file used for interpolation")
	flag.Parse()

	abs, err := filepath.Abs(*file)
	if err != nil {
		fail(err)
	}
	opts := []cli.ProjectOptionsFn{cli.WithWorkingDirectory(filepath.Dir(abs)), cli.WithResolvedPaths(true)}
	if *envFile != "" {
		opts = append(opts, cli.WithEnvFiles(*envFile), cli.WithDotEnv)
	}
	options, err := cli.NewProjectOptions([]string{abs}, opts...)
	if err != nil {
		fail(err)
	}
	project, err := options.LoadProject(context.Background())
	if err != nil {
		fail(err)
	}
	out, err := project.MarshalJSON()
	if err != nil {
		fail(err)
	}
	os.Stdout.Write(out)
	os.Stdout.Write([]byte("\n"))
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "compose-check: %v\n", err)
	os.Exit(1)
}
