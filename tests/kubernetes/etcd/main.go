// Command etcd is etcd's own server main (go.etcd.io/etcd/server/v3/etcdmain), built for the lab's
// etcd image at the version kubeadm expects (tests/kubernetes/build_kubernetes.py).
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
