package index_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/demo"
	"github.com/techmatch/techmatch/index"
)

// TestFacetColumnsMatchBleve compares whole search results (facet counts,
// totals, hits and their order and scores, highlights) counted from the
// facet columns with those of bleve's facet builder, on part of the demo
// catalogue indexed in small batches (many segments) with deletions and
// updates on top.
func TestFacetColumnsMatchBleve(t *testing.T) {
	compareSearchModes(t, (*index.Index).SetBleveFacets)
}

// TestDeadlineMustNotMatchesFilter compares whole search results with the
// demands past their deadline left out by a must-not clause and by a
// filter (as before).
func TestDeadlineMustNotMatchesFilter(t *testing.T) {
	ix := compareSearchModes(t, (*index.Index).SetDeadlineInFilter)
	total := func(expired bool) uint64 {
		res, err := ix.Search(context.Background(), data.SearchQuery{Kind: data.KindDemand, Filter: data.Filter{Expired: expired}})
		if err != nil {
			t.Fatal(err)
		}
		return res.Total
	}
	if open, all := total(false), total(true); open >= all {
		t.Errorf("no demand of the catalogue is past its deadline (%d open of %d): the comparison proves nothing", open, all)
	}
}

// compareSearchModes compares the results of searches with set(ix, true)
// (the former way) and set(ix, false).
func compareSearchModes(t *testing.T, set func(ix *index.Index, on bool)) *index.Index {
	if testing.Short() {
		t.Skip("indexes 4,500 demo records")
	}
	ctx := context.Background()
	store := newMemStore()
	a, d := demo.Achievements()[:3000], demo.Demands()[:1500]
	for i := 0; i < len(a); i += 500 {
		mustPutAchievements(t, store, a[i:i+500]...)
	}
	for i := 0; i < len(d); i += 500 {
		mustPutDemands(t, store, d[i:i+500]...)
	}
	mustPutAchievements(t, store, fixtureAchievements()...)
	ix := MustOpenIndex(t, store, index.Options{BatchSize: 300})
	MustSync(t, ix)
	// Deleted and replaced documents stay in their segments, marked.
	for i := 0; i < 3000; i += 97 {
		if err := store.DeleteAchievement(ctx, a[i].ID); err != nil {
			t.Fatal(err)
		}
	}
	upd := append([]data.Achievement(nil), a[1:3000:3000]...)[:200]
	for i := range upd {
		upd[i].Field, upd[i].Region.City = "改后领域", fmt.Sprintf("改后市%d", i%3)
	}
	mustPutAchievements(t, store, upd...)
	MustSync(t, ix)
	// Merges change BM25's statistics (deleted documents drop out): wait
	// for them, so that both runs see the same segments.
	if err := ix.Settle(time.Minute); err != nil {
		t.Fatal(err)
	}

	var queries []data.SearchQuery
	texts := []string{"", "玉米", "新能源汽车", "锂电池 检测", `"智能制造"`, "生物医药 -中药", "LiFePO4", "不存在的词语组合"}
	for _, kind := range []data.Kind{data.KindAchievement, data.KindDemand} {
		for _, text := range texts {
			for _, sort := range []string{"", data.SortDate} {
				queries = append(queries,
					data.SearchQuery{Kind: kind, Text: text, Limit: 20, Sort: sort, Facets: true, Highlight: true},
					data.SearchQuery{Kind: kind, Text: text, Offset: 15, Limit: 10, Sort: sort, Facets: true},
					data.SearchQuery{Kind: kind, Text: text, Limit: 5, Facets: true, Filter: data.Filter{Province: "吉林省"}},
					data.SearchQuery{Kind: kind, Text: text, Limit: 5, Facets: true, Filter: data.Filter{Field: "改后领域"}},
				)
			}
		}
		queries = append(queries, data.SearchQuery{Kind: kind, Terms: []data.Term{{Text: "玉米", Weight: 2}, {Text: "检测", Weight: 1}}, Limit: 50, Facets: true},
			data.SearchQuery{Kind: kind, Text: "检测", Limit: 20, Facets: true, Filter: data.Filter{Expired: true}})
	}
	search := func(q data.SearchQuery, former bool) *data.SearchResult {
		set(ix, former)
		res, err := ix.Search(ctx, q)
		if err != nil {
			t.Fatalf("%+v: %v", q, err)
		}
		return res
	}
	counted := 0
	for _, q := range queries {
		// A merge in between changes BM25's statistics (deleted documents
		// drop out) and so the scores: compare only when bleve's answer
		// held still around the columns' one.
		for try := 0; ; try++ {
			before, cols, after := search(q, true), search(q, false), search(q, true)
			if !reflect.DeepEqual(before, after) && try < 10 {
				continue
			}
			if !reflect.DeepEqual(before, cols) {
				t.Errorf("%+v:\nformer %+v\nnow    %+v", q, before, cols)
			}
			for _, f := range cols.Facets {
				counted += len(f)
			}
			break
		}
	}
	if counted == 0 {
		t.Fatal("no facet values counted at all")
	}
	return ix
}
