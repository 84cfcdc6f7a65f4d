package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestEvalSaysWhichBuild checks that eval reports which command's index
// build it measured: serve's by default, reindex's with --harvest (which
// adds the catalogue's keywords to the dictionary).
func TestEvalSaysWhichBuild(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"suite.json": `{"name": "tiny", "task": "search"}`,
		// 冷链物流箱 is a keyword of two records: harvesting adds it.
		"achievements.jsonl": `{"id": "r1", "title": "保温冷链物流箱", "keywords": ["冷链物流箱"]}
{"id": "r2", "title": "蓄冷式冷链物流箱", "keywords": ["冷链物流箱"]}
{"id": "r3", "title": "玉米秸秆还田技术"}
`,
		"queries.jsonl": `{"id": "q1", "text": "秸秆还田"}` + "\n",
		"qrels.tsv":     "q1 0 r3 1\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct {
		args    []string
		as      string
		harvest bool
	}{
		{nil, "serve", false},
		{[]string{"--harvest"}, "reindex", true},
	} {
		var out bytes.Buffer
		args := append([]string{"--suite", dir}, tt.args...)
		if err := runEval(context.Background(), args, &out, io.Discard); err != nil {
			t.Fatal(err)
		}
		var res struct {
			MRR   float64 `json:"mrr@10"`
			Build struct {
				As              string `json:"as"`
				HarvestKeywords bool   `json:"harvest_keywords"`
				ExtraWords      int    `json:"extra_words"`
				Differs         string `json:"differs"`
			} `json:"build"`
		}
		if err := json.Unmarshal(out.Bytes(), &res); err != nil {
			t.Fatalf("%v: %s", err, out.String())
		}
		b := res.Build
		if b.As != tt.as || b.HarvestKeywords != tt.harvest || b.Differs == "" || (b.ExtraWords > 0) != tt.harvest || res.MRR != 1 {
			t.Errorf("args %v: %s", tt.args, out.String())
		}
	}
}
