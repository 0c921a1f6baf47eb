module helmsman.test/cni-flannel

go 1.26

// The flannel CNI plugin: github.com/flannel-io/cni-plugin is not served here; the legacy meta
// plugin it was split from (plugins/meta/flannel, last in plugins v0.9.1) does the same job. Built
// against cni v1.1.2 it speaks CNI 1.0.0, which flannel v0.28's cni-conf asks for.
require (
	github.com/containernetworking/cni v1.1.2 // indirect
	github.com/containernetworking/plugins v0.9.1
)

require (
	github.com/Microsoft/go-winio v0.4.11 // indirect
	github.com/Microsoft/hcsshim v0.8.6 // indirect
	github.com/buger/jsonparser v0.0.0-20180808090653-f4dd9f5a6b44 // indirect
	github.com/sirupsen/logrus v1.0.6 // indirect
	golang.org/x/crypto v0.0.0-20200622213623-75b288015ac9 // indirect
	golang.org/x/sys v0.0.0-20210423082822-04245dca01da // indirect
)
