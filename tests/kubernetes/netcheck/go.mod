module helmsman.test/netcheck

go 1.26
