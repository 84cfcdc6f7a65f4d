package index_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/techmatch/techmatch/data"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestSearchGolden pins the hits and highlights of a set of queries on the
// fixture catalogue (scores are left out: they move with any tuning). Run
// with -update to accept a change on purpose.
func TestSearchGolden(t *testing.T) {
	ix, _ := fixtureIndex(t)
	queries := []data.SearchQuery{
		{Kind: data.KindAchievement, Text: "农业"},
		{Kind: data.KindAchievement, Text: "清华 光栅"},
		{Kind: data.KindAchievement, Text: "LiFePO4 GB/T 30835"},
		{Kind: data.KindAchievement, Text: "电动车 电池"},
		{Kind: data.KindAchievement, Text: "ＡＩ 识别"},
		{Kind: data.KindAchievement, Text: `"机械连接" 钢筋`},
		{Kind: data.KindAchievement, Text: "吉大 磷酸铁锂"},
		{Kind: data.KindAchievement, Text: "长春", Filter: data.Filter{Maturity: "产业化"}},
		{Kind: data.KindDemand, Text: "碳纤维 轻量化"},
		{Kind: data.KindDemand, Text: "正极材料", Filter: data.Filter{City: "长春市"}},
	}
	var out bytes.Buffer
	for _, q := range queries {
		q.Highlight = true
		res := search(t, ix, q)
		type hit struct {
			ID         string              `json:"id"`
			Highlights map[string][]string `json:"highlights,omitempty"`
		}
		hits := make([]hit, len(res.Hits))
		for i, h := range res.Hits {
			hits[i] = hit{h.ID, h.Highlights}
		}
		fmt.Fprintf(&out, "## %s %q %+v\n", q.Kind, q.Text, q.Filter)
		enc := json.NewEncoder(&out)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(map[string]any{"total": res.Total, "hits": hits}); err != nil {
			t.Fatal(err)
		}
	}
	golden := filepath.Join("testdata", "search.golden")
	if *update {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(out.Bytes(), want) {
		t.Errorf("search results differ from %s (run with -update if intended):\n%s", golden, out.String())
	}
}
