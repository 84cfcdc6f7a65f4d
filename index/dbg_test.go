package index_test

import (
	"context"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/techmatch/techmatch/index"
	"github.com/techmatch/techmatch/index/zhseg"
)

func TestDebugBuild(t *testing.T) {
	recs := sharedAchievements(t, 0, 2)
	zhseg.MustDefault()
	store := newMemStore()
	for i := 0; i < len(recs); i += 1000 {
		mustPutAchievements(t, store, recs[i:min(i+1000, len(recs))]...)
	}
	log := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ix := MustOpenIndex(t, store, index.Options{Logger: log, BatchSize: envInt("BS", 500), Workers: envInt("W", 2)})
	start := time.Now()
	if err := ix.Rebuild(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	t.Log(time.Since(start))
}
