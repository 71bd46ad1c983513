// pause: the sandbox ("infra") container of every pod on the local cluster. It only has
// to hold the pod's namespaces open, so it blocks until SIGTERM/SIGINT and exits 0.
// Built as a static binary because the image contains nothing else.
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	<-stop
	os.Exit(0)
}
