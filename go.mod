module github.com/sconnlab/sconn

go 1.26
