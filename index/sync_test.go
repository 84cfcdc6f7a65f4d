package index_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/data/bolt"
	"github.com/techmatch/techmatch/index"
)

// numbered returns n achievements whose titles carry a word unique to each
// (编号甲乙… are not dictionary words, so use the id digits spelled out).
func numbered(n int, prefix string) []data.Achievement {
	out := make([]data.Achievement, n)
	for i := range out {
		out[i] = data.Achievement{
			ID:       fmt.Sprintf("%s-%04d", prefix, i),
			Title:    fmt.Sprintf("第%d号成果：高效节能电机控制技术 %s%d", i, prefix, i),
			Abstract: "一种用于工业现场的节能电机控制方法，降低能耗百分之二十。",
			Field:    "节能环保",
		}
	}
	return out
}

// present reports which ids the index has.
func present(t *testing.T, ix *index.Index, kind data.Kind, ids []string) map[string]bool {
	t.Helper()
	res := search(t, ix, data.SearchQuery{Kind: kind, Filter: data.Filter{IDs: ids}, Limit: index.MaxLimit})
	out := map[string]bool{}
	for _, h := range res.Hits {
		out[h.ID] = true
	}
	return out
}

// assertInStep checks that the index holds exactly the store's records.
func assertInStep(t *testing.T, ix *index.Index, store *memStore) {
	t.Helper()
	ctx := context.Background()
	counts, _ := store.Counts(ctx)
	if ix.Seq() != counts.Seq {
		t.Errorf("index seq %d, store seq %d", ix.Seq(), counts.Seq)
	}
	for _, k := range []data.Kind{data.KindAchievement, data.KindDemand} {
		n, err := ix.Count(k)
		if err != nil {
			t.Fatal(err)
		}
		want := counts.Achievements
		if k == data.KindDemand {
			want = counts.Demands
		}
		if int(n) != want {
			t.Errorf("%s: index has %d records, store %d", k, n, want)
		}
	}
	recs, _ := store.ListAchievements(ctx, data.ListOptions{})
	var ids []string
	for _, r := range recs {
		ids = append(ids, r.ID)
	}
	got := present(t, ix, data.KindAchievement, ids)
	for _, id := range ids {
		if !got[id] {
			t.Errorf("achievement %s missing from the index", id)
		}
	}
}

// TestCatchUpAfterFailure applies part of a catalogue (the store fails
// mid-way), closes, changes the store, reopens and syncs: every record is
// present, none stale, deletes applied.
func TestCatchUpAfterFailure(t *testing.T) {
	ctx := context.Background()
	store := newMemStore()
	mustPutAchievements(t, store, numbered(40, "a")...)
	mustPutDemands(t, store, fixtureDemands()...)
	dir := t.TempDir()
	// One worker: with two, the failing read can cancel the sync before
	// the first batch is applied (seen under -race), and the test is about
	// catching up, not about the worker pool.
	opt := index.Options{BatchSize: 5, Workers: 1}

	ix, err := index.Open(ctx, dir, store, opt)
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("disk on fire")
	store.failFrom(3, boom)
	if _, err := ix.Sync(ctx); !errors.Is(err, boom) {
		t.Fatalf("sync error %v, want %v", err, boom)
	}
	store.failFrom(0, nil)
	seq := ix.Seq()
	counts, _ := store.Counts(ctx)
	if seq == 0 || seq >= counts.Seq {
		t.Fatalf("after a failed sync seq is %d of %d: want part applied", seq, counts.Seq)
	}
	// Everything up to seq is in; the seq never runs ahead of the documents.
	var upTo []string
	store.ChangesSince(ctx, 0, func(c data.Change) error {
		if c.Seq <= seq && c.Kind == data.KindAchievement {
			upTo = append(upTo, c.ID)
		}
		return nil
	})
	got := present(t, ix, data.KindAchievement, upTo)
	for _, id := range upTo {
		if !got[id] {
			t.Fatalf("%s is below the recorded seq %d but not indexed", id, seq)
		}
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}

	// While the index is closed: an update, deletes, a new record.
	upd := numbered(40, "a")[3]
	upd.Title = "第3号成果：改为氢燃料电池堆技术"
	mustPutAchievements(t, store, upd, data.Achievement{ID: "a-new", Title: "新增的钙钛矿光伏组件"})
	if err := store.DeleteAchievement(ctx, "a-0005"); err != nil {
		t.Fatal(err)
	}
	if err := store.DeleteAchievement(ctx, "a-0039"); err != nil { // never indexed
		t.Fatal(err)
	}
	if err := store.DeleteDemand(ctx, "d-battery"); err != nil {
		t.Fatal(err)
	}

	ix = MustOpenIndexAt(t, dir, store, opt)
	if ix.Seq() != seq {
		t.Fatalf("reopened at seq %d, want %d", ix.Seq(), seq)
	}
	if n := MustSync(t, ix); n == 0 {
		t.Fatal("nothing applied on catch-up")
	}
	assertInStep(t, ix, store)
	if res := search(t, ix, data.SearchQuery{Kind: data.KindAchievement, Text: "氢燃料电池"}); len(res.Hits) == 0 || res.Hits[0].ID != "a-0003" {
		t.Errorf("updated record not found by its new title: %v", hitIDs(res))
	}
	if res := search(t, ix, data.SearchQuery{Kind: data.KindAchievement, Text: "a3", Filter: data.Filter{IDs: []string{"a-0003"}}}); len(res.Hits) != 0 {
		t.Error("updated record still found by its old title")
	}
	if p := present(t, ix, data.KindAchievement, []string{"a-0005", "a-0039", "a-new"}); p["a-0005"] || p["a-0039"] || !p["a-new"] {
		t.Errorf("after catch-up: %v, want only a-new", p)
	}
	if p := present(t, ix, data.KindDemand, []string{"d-battery", "d-challenge"}); p["d-battery"] || !p["d-challenge"] {
		t.Errorf("demands after catch-up: %v", p)
	}
	// A second sync has nothing to do.
	if n := MustSync(t, ix); n != 0 {
		t.Errorf("second sync applied %d changes", n)
	}
}

// TestSyncConcurrent writes, syncs and searches from several goroutines
// (run with -race).
func TestSyncConcurrent(t *testing.T) {
	store := newMemStore()
	ix := MustOpenIndex(t, store, index.Options{BatchSize: 7})
	ctx := context.Background()
	var wg sync.WaitGroup
	for w := 0; w < 3; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				recs := numbered(5, fmt.Sprintf("w%d-%d", w, i))
				if _, err := store.PutAchievements(ctx, recs); err != nil {
					t.Error(err)
					return
				}
				if _, err := ix.Sync(ctx); err != nil {
					t.Error(err)
					return
				}
				if _, err := ix.Search(ctx, data.SearchQuery{Kind: data.KindAchievement, Text: "节能电机", Facets: true, Highlight: true}); err != nil {
					t.Error(err)
					return
				}
				ix.Terms("节能电机控制")
				ix.DocFreq(data.KindAchievement, "电机")
			}
		}(w)
	}
	// A rebuild swaps the indexes under the searches.
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := ix.Rebuild(ctx, nil); err != nil {
			t.Error(err)
		}
	}()
	wg.Wait()
	MustSync(t, ix)
	assertInStep(t, ix, store)
}

func TestRebuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a second segmenter")
	}
	ctx := context.Background()
	store := newMemStore()
	recs := fixtureAchievements()
	// A keyword the dictionary lacks, on two records: harvested.
	const word = "钙钛矿叠层组件"
	recs[0].Keywords = append(recs[0].Keywords, word)
	recs[1].Keywords = append(recs[1].Keywords, word)
	mustPutAchievements(t, store, recs...)
	mustPutDemands(t, store, fixtureDemands()...)
	dir := t.TempDir()
	ix := MustOpenIndexAt(t, dir, store, index.Options{HarvestKeywords: true})
	var calls, last int
	if err := ix.Rebuild(ctx, func(done, total int) { calls++; last = done }); err != nil {
		t.Fatal(err)
	}
	if calls == 0 || last != len(recs)+len(fixtureDemands()) {
		t.Errorf("progress called %d times, last %d", calls, last)
	}
	assertInStep(t, ix, store)
	if !slices.Contains(ix.Extra(), word) {
		t.Fatalf("extra words %v lack %s", ix.Extra(), word)
	}
	if got := ix.Terms("新型" + word); !slices.Contains(got, word) {
		t.Errorf("query cut %v lacks the harvested word", got)
	}
	// Writes after the rebuild are caught up as usual.
	mustPutAchievements(t, store, data.Achievement{ID: "a-late", Title: "稍后加入的成果"})
	MustSync(t, ix)
	assertInStep(t, ix, store)
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	// Reopening loads the harvested words with the indexes.
	ix = MustOpenIndexAt(t, dir, store, index.Options{})
	if !slices.Contains(ix.Extra(), word) {
		t.Errorf("reopened without the extra words: %v", ix.Extra())
	}
	assertInStep(t, ix, store)
	if res := search(t, ix, data.SearchQuery{Kind: data.KindAchievement, Text: word}); len(res.Hits) != 2 {
		t.Errorf("harvested word finds %v, want 2 records", hitIDs(res))
	}
}

// TestAnalyzerChange reopens an index with another analyzer: it starts
// afresh and Sync refills it.
func TestAnalyzerChange(t *testing.T) {
	store := newMemStore()
	mustPutAchievements(t, store, fixtureAchievements()...)
	dir := t.TempDir()
	ix, err := index.Open(context.Background(), dir, store, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	MustSync(t, ix)
	ix.Close()
	ix = MustOpenIndexAt(t, dir, store, index.Options{Analyzer: index.AnalyzerCJK})
	if ix.Seq() != 0 {
		t.Fatalf("seq %d after an analyzer change, want 0", ix.Seq())
	}
	MustSync(t, ix)
	assertInStep(t, ix, store)
	if res := search(t, ix, data.SearchQuery{Kind: data.KindAchievement, Text: "光栅尺"}); len(res.Hits) == 0 || res.Hits[0].ID != "a-tsinghua" {
		t.Errorf("cjk search: %v", hitIDs(res))
	}
	if _, err := index.Open(context.Background(), t.TempDir(), store, index.Options{Analyzer: "jieba"}); data.ErrorCode(err) != data.EINVALID {
		t.Errorf("unknown analyzer: %v", err)
	}
}

func TestTermsAndDocFreq(t *testing.T) {
	ix, _ := fixtureIndex(t)
	got := ix.Terms("吉林大学的LiFePO4正极材料")
	want := []string{"吉林大学", "lifepo4", "正极材料"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("Terms = %q, want %q (lower-cased, no stop words, no sub-words)", got, want)
	}
	df, n := ix.DocFreq(data.KindAchievement, "吉林")
	if n != 6 || df != 4 { // 吉林财经大学, 吉林大学, 吉林农业大学, 吉林建筑大学
		t.Errorf("DocFreq(吉林) = %d/%d, want 4/6 (sub-words count)", df, n)
	}
	if df, n := ix.DocFreq(data.KindDemand, "磷酸铁锂"); df != 1 || n != 2 {
		t.Errorf("DocFreq(demands, 磷酸铁锂) = %d/%d, want 1/2", df, n)
	}
	if df, _ := ix.DocFreq(data.KindAchievement, "不存在的词"); df != 0 {
		t.Errorf("DocFreq of an absent term = %d", df)
	}
	if _, n := ix.DocFreq("patents", "x"); n != 0 {
		t.Error("DocFreq of an unknown kind")
	}
}

func TestSegment(t *testing.T) {
	toks := index.Segment("清华大学，ＡＢＣ")
	var terms []string
	for _, tk := range toks {
		terms = append(terms, tk.Term)
	}
	if strings.Join(terms, "|") != "清华大学|清华|华大|大学|abc" {
		t.Fatalf("Segment = %q", terms)
	}
	if last := toks[len(toks)-1]; last.Start != 15 || last.End != 24 || last.SubWord {
		t.Errorf("ＡＢＣ at [%d:%d] (sub-word %v), want [15:24]", last.Start, last.End, last.SubWord)
	}
	if toks[0].SubWord || !toks[1].SubWord || toks[1].Position != toks[0].Position {
		t.Errorf("清华 should be a sub-word of 清华大学: %+v", toks[:2])
	}
}

// TestKill9 kills a process with SIGKILL while it indexes a bolt store,
// then catches up in this process: nothing is missing or stale.
func TestKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a second process")
	}
	if os.Getenv("TECHMATCH_KILL9_CHILD") != "" {
		t.Skip("in the child")
	}
	ctx := context.Background()
	dir := t.TempDir()
	db, err := bolt.Open(ctx, filepath.Join(dir, "techmatch.db"))
	if err != nil {
		t.Fatal(err)
	}
	const n = 3000
	if _, err := db.PutAchievements(ctx, numbered(n, "k")); err != nil {
		t.Fatal(err)
	}
	db.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^TestKill9Child$", "-test.v")
	cmd.Env = append(os.Environ(), "TECHMATCH_KILL9_CHILD="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	batches := 0
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if strings.Contains(sc.Text(), "batch applied") {
			if batches++; batches == 3 {
				cmd.Process.Kill() // SIGKILL: no deferred Close, no flush
				break
			}
		}
	}
	cmd.Wait()
	if batches < 3 {
		t.Fatalf("child applied %d batches before exiting", batches)
	}

	db, err = bolt.Open(ctx, filepath.Join(dir, "techmatch.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ix := MustOpenIndexAt(t, filepath.Join(dir, "index"), db, index.Options{})
	t.Logf("reopened after kill -9 at seq %d of %d", ix.Seq(), n)
	if ix.Seq() >= n {
		t.Fatalf("the child finished (seq %d) before it was killed", ix.Seq())
	}
	MustSync(t, ix)
	if ix.Seq() != n {
		t.Errorf("seq %d after catch-up, want %d", ix.Seq(), n)
	}
	if c, _ := ix.Count(data.KindAchievement); c != n {
		t.Errorf("%d records indexed, want %d", c, n)
	}
	for _, i := range []int{0, 1234, n - 1} {
		res := search(t, ix, data.SearchQuery{Kind: data.KindAchievement, Text: fmt.Sprintf("k%d", i)})
		if len(res.Hits) == 0 || res.Hits[0].ID != fmt.Sprintf("k-%04d", i) {
			t.Errorf("k%d: %v", i, hitIDs(res))
		}
	}
}

// TestKill9Child is the process TestKill9 kills.
func TestKill9Child(t *testing.T) {
	dir := os.Getenv("TECHMATCH_KILL9_CHILD")
	if dir == "" {
		t.Skip("run by TestKill9")
	}
	ctx := context.Background()
	db, err := bolt.Open(ctx, filepath.Join(dir, "techmatch.db"))
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ix, err := index.Open(ctx, filepath.Join(dir, "index"), db, index.Options{Logger: log, BatchSize: 100, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	ix.Sync(ctx)
	time.Sleep(time.Minute) // killed before this ends
}
