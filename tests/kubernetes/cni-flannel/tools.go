//go:build tools

// Package tools pins the flannel CNI plugin for tests/kubernetes/build_kubernetes.py.
package tools

import _ "github.com/containernetworking/plugins/plugins/meta/flannel"
