module helmsman.test/pause

go 1.26
