module pprof-lens/samples/live-service

go 1.23
