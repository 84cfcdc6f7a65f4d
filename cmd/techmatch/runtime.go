package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"runtime/debug"
	"time"
)

// Memory limits. The Go runtime's soft memory limit (debug.SetMemoryLimit)
// makes the garbage collector work harder as the heap nears it, so the
// process stays near its live data instead of growing to twice it (the
// GOGC default). It is soft: a heap that really needs more still gets it,
// at the cost of collecting more often. serve uses two, unless GOMEMLIMIT
// is set (e.g. "2GiB", or "off"), which then holds throughout:
//
//   - startupMemoryLimit while the index catches up and the matcher model
//     loads or builds: building the index of the demo catalogue from empty
//     stays under 1 GB instead of 1.85 GB, without slowing the model load
//     (whose live heap is close to servingMemoryLimit).
//   - servingMemoryLimit afterwards, with the start-up garbage returned to
//     the system at once. pprof heap after a restart on the demo catalogue
//     (46,000 records): 215 MB live (gse dictionary 121 MB, matcher model
//     93 MB), so 320 MiB leaves about 100 MB of garbage between
//     collections; RSS settles near 340 MB.
//
// reindex uses buildMemoryLimit: with index batches of 1000 its live heap
// stays near 600 MB (GOGC=50 peaked at 922 MB resident), and the limit
// keeps the peak under 1 GB instead of 1.2 GB (2.19 GB with the former
// batches of 4000).
const (
	startupMemoryLimit = 900 << 20
	servingMemoryLimit = 320 << 20
	buildMemoryLimit   = 800 << 20
)

func memoryLimitFromEnv() bool { return os.Getenv("GOMEMLIMIT") != "" }

// setStartupMemoryLimit applies startupMemoryLimit unless GOMEMLIMIT is
// set.
func setStartupMemoryLimit() {
	if !memoryLimitFromEnv() {
		debug.SetMemoryLimit(startupMemoryLimit)
	}
}

// setBuildMemoryLimit applies buildMemoryLimit unless GOMEMLIMIT is set.
func setBuildMemoryLimit() {
	if !memoryLimitFromEnv() {
		debug.SetMemoryLimit(buildMemoryLimit)
	}
}

// startupDone applies servingMemoryLimit (unless GOMEMLIMIT is set) and
// returns the garbage of start-up work (index catch-up, model build) to
// the operating system at once rather than over minutes.
func startupDone() {
	if !memoryLimitFromEnv() {
		debug.SetMemoryLimit(servingMemoryLimit)
	}
	debug.FreeOSMemory()
}

// pprofServer is the opt-in profiling listener (TECHMATCH_PPROF=host:port,
// loopback addresses only): net/http/pprof on its own mux, never on the
// API's.
type pprofServer struct {
	srv  *http.Server
	done chan struct{}
}

// openPprof starts the listener if TECHMATCH_PPROF is set; it returns nil
// otherwise.
func openPprof(_ context.Context) (*pprofServer, error) {
	addr := os.Getenv("TECHMATCH_PPROF")
	if addr == "" {
		return nil, nil
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("TECHMATCH_PPROF %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("TECHMATCH_PPROF %q: only loopback addresses may serve profiles", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("pprof listen: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	p := &pprofServer{srv: &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}, done: make(chan struct{})}
	go func() {
		defer close(p.done)
		if err := p.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			slog.Error("pprof listener", "err", err)
		}
	}()
	slog.Info("pprof listening", "addr", ln.Addr().String())
	return p, nil
}

// Close stops the listener and waits for it; nil is a no-op.
func (p *pprofServer) Close() {
	if p == nil {
		return
	}
	p.srv.Close()
	<-p.done
}
