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

// defaultMemoryLimit is the Go runtime's soft memory limit when GOMEMLIMIT
// is not set: the garbage collector works harder as the heap nears it, so
// the process stays near its live data instead of growing to twice it (the
// GOGC default) after the start-up work. It is soft: a heap that really
// needs more still gets it. Measured on the demo catalogue (46,000 records):
// the live heap while serving is well below it, and indexing from empty
// peaks under 1 GB with it. Set GOMEMLIMIT (e.g. "2GiB", or "off") to
// override.
const defaultMemoryLimit = 384 << 20

// setMemoryLimit applies defaultMemoryLimit unless GOMEMLIMIT is set.
func setMemoryLimit() {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetMemoryLimit(defaultMemoryLimit)
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
