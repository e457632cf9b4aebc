module github.com/sconnlab/sconn

go 1.26

require (
	github.com/pion/logging v0.2.4
	github.com/pion/transport/v3 v3.1.1
)
