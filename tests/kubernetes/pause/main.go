// Command pause is the lab's own pause image (not upstream's C program): it holds a Pod's
// namespaces, reaps children and exits on SIGINT/SIGTERM. With -v it prints its version and exits
// 0, as upstream's does: kubeadm's upgrade health check runs the pause image as a Job with -v.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// version is stamped by tests/kubernetes/build_kubernetes.py (-ldflags -X main.version=...).
var version = "unknown"

func main() {
	if len(os.Args) > 1 && os.Args[1] == "-v" {
		fmt.Printf("pause.go %s (helmsman.kubeadm lab stand-in)\n", version)
		return
	}
	if os.Getpid() != 1 {
		fmt.Fprintln(os.Stderr, "Warning: pause should be the first process")
	}
	signals := make(chan os.Signal, 8)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM, syscall.SIGCHLD)
	for sig := range signals {
		if sig == syscall.SIGCHLD {
			for {
				pid, err := syscall.Wait4(-1, nil, syscall.WNOHANG, nil)
				if pid <= 0 || err != nil {
					break
				}
			}
			continue
		}
		fmt.Fprintf(os.Stderr, "Shutting down, got signal: %v\n", sig)
		os.Exit(0)
	}
}
