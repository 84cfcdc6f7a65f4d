package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestBenchCommand(t *testing.T) {
	var writes, matches, searches atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/demands", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("q") != "" {
			searches.Add(1)
			w.Write([]byte(`{"items":[]}`))
			return
		}
		if r.URL.Query().Get("page") == "1" {
			w.Write([]byte(`{"items":[{"id":"d-1"},{"id":"d-2"}]}`))
			return
		}
		w.Write([]byte(`{"items":[]}`))
	})
	mux.HandleFunc("GET /api/v1/achievements", func(w http.ResponseWriter, r *http.Request) {
		searches.Add(1)
		w.Write([]byte(`{"items":[]}`))
	})
	mux.HandleFunc("GET /api/v1/demands/{id}/matches", func(w http.ResponseWriter, r *http.Request) {
		if matches.Add(1)%10 == 0 {
			http.Error(w, `{"error":{}}`, http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte(`{"matches":[]}`))
	})
	mux.HandleFunc("PUT /api/v1/demands/{id}", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer sekrit" || !strings.HasPrefix(r.PathValue("id"), "bench-") {
			t.Errorf("write %s with %q", r.PathValue("id"), r.Header.Get("Authorization"))
		}
		writes.Add(1)
		w.Write([]byte(`{}`))
	})
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("# HELP x\nprocess_resident_memory_bytes 1.572864e+08\n"))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	start := time.Now()
	out, _, err := runCmd(t, "bench", "--addr", srv.URL, "--duration", "300ms", "--concurrency", "3", "--token", "sekrit",
		"--mix", "search=70,match=20,write=10")
	if err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("a 300 ms run took %v", el)
	}
	for _, want := range []string{"search", "match", "write", "p999", "503×", "RSS", "150 MB", "合计"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if searches.Load() == 0 || matches.Load() == 0 || writes.Load() == 0 {
		t.Errorf("mix not followed: %d searches, %d matches, %d writes", searches.Load(), matches.Load(), writes.Load())
	}
	for _, bad := range [][]string{
		{"--mix", "search=70,frob=1"},
		{"--mix", "search=0"},
		{"--duration", "2h"},
		{"--mix", "write=1"}, // no token
		{"--addr", "ftp://x"},
	} {
		args := append([]string{"bench", "--addr", srv.URL, "--duration", "10ms"}, bad...)
		if _, _, err := runCmd(t, args...); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}
