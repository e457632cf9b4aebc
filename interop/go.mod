module github.com/sconnlab/sconn/interop

go 1.26

require (
	github.com/pion/datachannel v1.6.4
	github.com/pion/logging v0.2.4
	github.com/pion/sctp v1.12.1
	github.com/sconnlab/sconn v0.0.0
	github.com/stretchr/testify v1.12.1
)

require (
	github.com/pion/randutil v0.1.0 // indirect
	github.com/pion/transport/v3 v3.1.1 // indirect
	github.com/pion/transport/v5 v5.1.4 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
)

replace github.com/sconnlab/sconn => ../
