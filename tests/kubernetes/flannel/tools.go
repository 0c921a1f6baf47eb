//go:build tools

// Package tools pins flanneld (the module root) and its install-conf for tests/kubernetes/build_kubernetes.py.
package tools

import (
	_ "github.com/flannel-io/flannel"
	_ "github.com/flannel-io/flannel/cmd/install_conf"
)
