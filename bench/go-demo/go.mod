module ttpay.local/bench/go-demo

go 1.19
