package main

import (
	"bytes"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestSyncProgressLogsPercent(t *testing.T) {
	var logs bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, nil)))
	defer slog.SetDefault(old)

	var out bytes.Buffer // not a terminal: percentage log lines, no bar
	p := syncProgress(&out)
	p(1, 1) // a single write's sync says nothing
	if logs.Len() != 0 {
		t.Fatalf("small sync logged: %s", logs.String())
	}
	for _, done := range []int{1000, 3000, 4000} {
		p(done, 4000)
	}
	if !strings.Contains(logs.String(), "percent=100") || !strings.Contains(logs.String(), "编入索引") {
		t.Fatalf("no percentage line at the end: %q", logs.String())
	}
	if out.Len() != 0 {
		t.Fatalf("a bar was drawn on a non-terminal: %q", out.String())
	}
	if got := percent(1, 3); got != 33 {
		t.Errorf("percent(1,3) = %d", got)
	}
}

// FuzzParseExpiry: an accepted --expires is always in the future; nothing
// panics.
func FuzzParseExpiry(f *testing.F) {
	for _, s := range []string{"90d", "12h", "2027-01-01", "0d", "-3h", "abc", "99999999d", "1h30m"} {
		f.Add(s)
	}
	now := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		exp, err := parseExpiry(s, now)
		if err == nil && exp != nil && !exp.After(now) {
			t.Fatalf("%q → %v, not after %v", s, exp, now)
		}
	})
}

// FuzzBenchMix: an accepted mix has a positive total of known kinds.
func FuzzBenchMix(f *testing.F) {
	for _, s := range []string{"search=70,match=20,write=10", "search=1", "x=1", "search=-1", ",,"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		mix, err := benchMix(s)
		if err != nil {
			return
		}
		total := 0
		for k, v := range mix {
			if !slices.Contains(benchKinds, k) || v < 0 {
				t.Fatalf("%q → %v", s, mix)
			}
			total += v
		}
		if total == 0 {
			t.Fatalf("%q accepted with total 0", s)
		}
	})
}
