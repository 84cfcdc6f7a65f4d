package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/techmatch/techmatch/data"
)

func TestTuneCheckDevSuite(t *testing.T) {
	mk := func(parts ...string) string {
		dir := filepath.Join(append([]string{t.TempDir()}, parts...)...)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	write := func(dir, body string) string {
		if err := os.WriteFile(filepath.Join(dir, "suite.json"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	ok := write(mk("eval", "dev", "m"), `{"task":"match"}`)
	if err := tuneCheckDevSuite(ok); err != nil {
		t.Errorf("dev match suite refused: %v", err)
	}
	for name, dir := range map[string]string{
		"holdout path": write(mk("eval", "holdout", "m"), `{"task":"match"}`),
		"search task":  write(mk("eval", "dev", "s"), `{"task":"search"}`),
		"test split":   write(mk("x"), `{"task":"match","split":"test"}`),
		"no suite":     mk("empty"),
	} {
		if err := tuneCheckDevSuite(dir); data.ErrorCode(err) != data.EINVALID {
			t.Errorf("%s: err %v, want invalid", name, err)
		}
	}
}
