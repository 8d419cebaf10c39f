// Command ferretdb-launcher runs FerretDB v1 (SQLite storage) embedded in a
// binary of the project's own. Building FerretDB's cmd/ferretdb from the module
// proxy yields a binary that panics at start (missing generated version.txt);
// importing the embeddable package from our own main module avoids that.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to listen on")
	dir := flag.String("sqlite-dir", "data/db", "directory holding the SQLite files (created if missing)")
	parentPID := flag.Int("parent-pid", 0, "exit when this process is gone (0 disables)")
	flag.Parse()

	if err := os.MkdirAll(*dir, 0o700); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb-launcher: cannot create %s: %v\n", *dir, err)
		os.Exit(1)
	}
	abs := *dir
	if abs[0] != '/' {
		wd, _ := os.Getwd()
		abs = wd + "/" + abs
	}
	if abs[len(abs)-1] != '/' {
		abs += "/"
	}

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Handler:   "sqlite",
		SQLiteURL: "file:" + abs,
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb-launcher: %v\n", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()

	// Never outlive the Node.js process that started us, even if it was killed
	// with SIGKILL and could not stop us itself.
	if *parentPID > 0 {
		go func() {
			for {
				time.Sleep(500 * time.Millisecond)
				if os.Getppid() != *parentPID {
					stop()
					return
				}
			}
		}()
	}

	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()
	fmt.Printf("ferretdb-launcher: listening on %s (%s)\n", *listen, f.MongoDBURI())
	if err := <-done; err != nil && ctx.Err() == nil {
		fmt.Fprintf(os.Stderr, "ferretdb-launcher: %v\n", err)
		os.Exit(1)
	}
}
