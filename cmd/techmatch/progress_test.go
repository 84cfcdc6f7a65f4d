package main

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
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
