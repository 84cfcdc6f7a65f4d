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
	"runtime/metrics"
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
//     (46,000 records): about 130 MB live (matcher model 93 MB, the
//     segmenter's dictionary 8 MB; gse's own took 121 MB), so 320 MiB
//     leaves room for the garbage between collections. A larger catalogue
//     has a larger live heap: the limit is then half as much again as the
//     live heap at the end of start-up (at five times the demo the model
//     alone is about 450 MB), so that the collector does not run without
//     pause against a limit below what the data needs.
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
	debug.FreeOSMemory()
	if !memoryLimitFromEnv() {
		debug.SetMemoryLimit(servingLimit(liveHeap()))
		debug.FreeOSMemory()
	}
}

// servingLimit is the soft memory limit for a live heap of live bytes:
// servingMemoryLimit, or live and half as much again when that is more.
func servingLimit(live uint64) int64 {
	return max(servingMemoryLimit, int64(live+live/2))
}

// liveHeap is the heap marked live by the last collection.
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
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
