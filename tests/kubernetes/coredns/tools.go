//go:build tools

// Package tools pins CoreDNS (its main package is the module root) for tests/kubernetes/build_kubernetes.py.
package tools

import _ "github.com/coredns/coredns"
