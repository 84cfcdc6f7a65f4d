package eval_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/techmatch/techmatch/index"
	"github.com/techmatch/techmatch/index/eval"
)

func TestTune(t *testing.T) {
	if os.Getenv("TM_TUNE") == "" {
		t.Skip()
	}
	type cfg struct {
		ws  float64
		kw  int
		bs  float64
		mb  int
		any float64
	}
	var cfgs []cfg
	for _, c := range strings.Split(os.Getenv("TM_TUNE"), ";") {
		var v cfg
		fmt.Sscanf(c, "%g,%d,%g,%d,%g", &v.ws, &v.kw, &v.bs, &v.mb, &v.any)
		cfgs = append(cfgs, v)
	}
	for _, n := range strings.Split(*suites, ",") {
		h, err := eval.Prepare(context.Background(), filepath.Join(devDir, n), eval.Options{Analyzer: *analyzer})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cfgs {
			index.SetTuning(c.ws, c.kw, c.bs, c.mb, c.any)
			r, err := h.Evaluate(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			fmt.Printf("%-18s %v ndcg=%.4f mrr=%.4f r10=%.4f r100=%.4f p50=%.2f p99=%.2f\n", n, c, r.NDCG10, r.MRR10, r.Recall10, r.Recall100, r.LatencyMS.P50, r.LatencyMS.P99)
		}
		h.Close()
	}
}
