//go:build tools

// Package tools pins the CNI plugins the lab's kubernetes-cni package carries (what flannel's
// cni-conf delegates to) for tests/kubernetes/build_kubernetes.py.
package tools

import (
	_ "github.com/containernetworking/plugins/plugins/ipam/host-local"
	_ "github.com/containernetworking/plugins/plugins/main/bridge"
	_ "github.com/containernetworking/plugins/plugins/main/loopback"
	_ "github.com/containernetworking/plugins/plugins/meta/portmap"
)
