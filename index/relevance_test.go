package index_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/index"
)

// relevanceIndex indexes hand-written records (none from an evaluation
// suite) for the ranking tests.
func relevanceIndex(tb testing.TB, achs []data.Achievement, dems []data.Demand) *index.Index {
	tb.Helper()
	store := newMemStore()
	if len(achs) > 0 {
		mustPutAchievements(tb, store, achs...)
	}
	if len(dems) > 0 {
		mustPutDemands(tb, store, dems...)
	}
	ix := MustOpenIndex(tb, store, index.Options{})
	MustSync(tb, ix)
	return ix
}

func ach(id, title, abstract string) data.Achievement {
	return data.Achievement{ID: id, Title: title, Abstract: abstract}
}

// filler gives every test catalogue enough unrelated records that no
// query word is in a large share of it.
func filler(n int) []data.Achievement {
	topics := []string{"水稻育种", "风力发电", "桥梁监测", "中药提取", "污水处理", "光纤通信", "土壤修复", "机器人焊接"}
	var out []data.Achievement
	for i := 0; i < n; i++ {
		t := topics[i%len(topics)]
		out = append(out, ach(fmt.Sprintf("z-%02d", i), t+"技术", t+"的方法与装置，第"+fmt.Sprint(i)+"号。"))
	}
	return out
}

func TestAllWordsFirst(t *testing.T) {
	achs := append(filler(24),
		// Many repetitions of one word: the BM25 favourite without tiers.
		ach("a-corn", "玉米深加工技术", "玉米深加工，玉米深加工产品，玉米深加工设备，玉米深加工工艺。"),
		ach("a-corn2", "玉米深加工生产线", "玉米深加工与玉米淀粉，玉米深加工。"),
		// Both words, once each.
		ach("a-ginseng", "人参饮料", "以人参为原料的深加工饮品。"),
	)
	ix := relevanceIndex(t, achs, nil)
	res := search(t, ix, data.SearchQuery{Kind: data.KindAchievement, Text: "人参 深加工", Limit: 10})
	ids := hitIDs(res)
	if len(ids) < 3 || ids[0] != "a-ginseng" {
		t.Fatalf("人参 深加工 = %v; want a-ginseng first (the only record with both words)", ids)
	}
	// Any-word matches are still found, below.
	if !slices.Contains(ids, "a-corn") || !slices.Contains(ids, "a-corn2") {
		t.Errorf("records with one of the words are gone: %v", ids)
	}
	// Scores stay monotone over the page.
	for i := 1; i < len(res.Hits); i++ {
		if res.Hits[i].Score > res.Hits[i-1].Score {
			t.Errorf("score of hit %d (%v) above hit %d (%v)", i, res.Hits[i].Score, i-1, res.Hits[i-1].Score)
		}
	}
	// Paging across the tiers gives the same order.
	var paged []string
	for off := 0; off < 3; off++ {
		paged = append(paged, hitIDs(search(t, ix, data.SearchQuery{Kind: data.KindAchievement, Text: "人参 深加工", Offset: off, Limit: 1}))...)
	}
	if !reflect.DeepEqual(paged, ids[:3]) {
		t.Errorf("pages of one = %v, want %v", paged, ids[:3])
	}
	if p := res.Parsed; p == nil || !reflect.DeepEqual(p.Must, []string{"人参", "深加工"}) || len(p.Phrase) != 0 || len(p.Not) != 0 {
		t.Errorf("parsed = %+v", res.Parsed)
	}
}

func TestAllWordsOneChunk(t *testing.T) {
	// 锂电池隔膜 typed as one word finds what 锂电池 隔膜 finds first.
	achs := append(filler(24),
		ach("a-both", "锂电池隔膜涂覆", "锂电池的隔膜涂覆工艺。"),
		ach("a-one", "锂电池回收", "锂电池回收，锂电池拆解，锂电池梯次利用，锂电池材料。"),
	)
	ix := relevanceIndex(t, achs, nil)
	for _, q := range []string{"锂电池隔膜", "锂电池 隔膜"} {
		ids := hitIDs(search(t, ix, data.SearchQuery{Kind: data.KindAchievement, Text: q}))
		if len(ids) == 0 || ids[0] != "a-both" {
			t.Errorf("%s = %v, want a-both first", q, ids)
		}
	}
}

func TestPhraseIsAdjacent(t *testing.T) {
	achs := append(filler(24),
		// Both words, apart and in the other order, many times.
		// Every bigram of 玉米秸秆 (玉米, 米秸, 秸秆) and both words, but
		// not adjacent: only adjacency separates it from a-phrase.
		ach("a-apart", "秸秆与玉米", "玉米和小米秸的秸秆；玉米和小米秸的秸秆；秸秆覆盖，玉米保墒。"),
		ach("a-mv-apart", "vision for machine tools", "machine tools with vision; a vision system for every machine."),
		ach("a-mv", "质检系统", "基于machine vision的质检。"),
		// The phrase, once.
		ach("a-phrase", "饲料加工", "以玉米秸秆为原料。"),
	)
	ix := relevanceIndex(t, achs, nil)
	res := search(t, ix, data.SearchQuery{Kind: data.KindAchievement, Text: `"玉米秸秆"`})
	ids := hitIDs(res)
	if len(ids) == 0 || ids[0] != "a-phrase" {
		t.Fatalf(`"玉米秸秆" = %v, want a-phrase first (only adjacency separates it)`, ids)
	}
	if p := res.Parsed; p == nil || !reflect.DeepEqual(p.Phrase, []string{"玉米秸秆"}) {
		t.Errorf("parsed = %+v", res.Parsed)
	}
	ids = hitIDs(search(t, ix, data.SearchQuery{Kind: data.KindAchievement, Text: `"machine vision"`}))
	if len(ids) == 0 || ids[0] != "a-mv" {
		t.Errorf(`"machine vision" = %v, want a-mv first`, ids)
	}
	// In order: the reversed phrase is not the phrase.
	ids = hitIDs(search(t, ix, data.SearchQuery{Kind: data.KindAchievement, Text: `"秸秆玉米"`}))
	if len(ids) > 0 && ids[0] == "a-phrase" {
		t.Errorf(`"秸秆玉米" ranks a-phrase first: %v`, ids)
	}
}

func TestExclusion(t *testing.T) {
	achs := append(filler(24),
		ach("a-go", "氧化石墨烯制备", "氧化石墨烯的制备方法。"),
		ach("a-g", "石墨烯导热膜", "石墨烯导热膜的制备。"),
	)
	ix := relevanceIndex(t, achs, nil)
	res := search(t, ix, data.SearchQuery{Kind: data.KindAchievement, Text: "石墨烯 -氧化"})
	ids := hitIDs(res)
	if !reflect.DeepEqual(ids, []string{"a-g"}) {
		t.Errorf("石墨烯 -氧化 = %v, want [a-g]", ids)
	}
	if p := res.Parsed; p == nil || !reflect.DeepEqual(p.Not, []string{"氧化"}) || !reflect.DeepEqual(p.Must, []string{"石墨烯"}) {
		t.Errorf("parsed = %+v", res.Parsed)
	}
	// A hyphen after a lone letter is text, not an exclusion.
	res = search(t, ix, data.SearchQuery{Kind: data.KindAchievement, Text: "X -射线"})
	if len(res.Parsed.Not) != 0 {
		t.Errorf("X -射线 parsed as an exclusion: %+v", res.Parsed)
	}
	// Bleve query syntax is plain text.
	for _, q := range []string{"+石墨烯 title:制备", "石墨烯^5", "石墨烯 AND 制备", "石墨烯~2 (制备)"} {
		if _, err := ix.Search(context.Background(), data.SearchQuery{Kind: data.KindAchievement, Text: q}); err != nil {
			t.Errorf("%q: %v", q, err)
		}
	}
}

func TestHighlightSubWords(t *testing.T) {
	achs := append(filler(24),
		ach("a-apart", "玉米与秸秆", "玉米和秸秆的综合利用。"),
	)
	ix := relevanceIndex(t, achs, nil)
	res := search(t, ix, data.SearchQuery{Kind: data.KindAchievement, Text: "玉米秸秆", Highlight: true})
	if len(res.Hits) == 0 {
		t.Fatal("玉米秸秆 finds nothing")
	}
	abs := strings.Join(res.Hits[0].Highlights["abstract"], "")
	if !strings.Contains(abs, "<mark>玉米</mark>") || !strings.Contains(abs, "<mark>秸秆</mark>") {
		t.Errorf("abstract highlight = %q; want 玉米 and 秸秆 marked", abs)
	}
}

func TestStableOrder(t *testing.T) {
	// Records with equal text score the same: the id decides, every time,
	// in every fresh index.
	var achs []data.Achievement
	for _, id := range []string{"a-5", "a-1", "a-4", "a-2", "a-3"} {
		achs = append(achs, ach(id, "玉米收获机", "玉米收获机的设计。"))
	}
	achs = append(achs, filler(24)...)
	var first []string
	for run := 0; run < 3; run++ {
		ix := relevanceIndex(t, achs, nil)
		ids := hitIDs(search(t, ix, data.SearchQuery{Kind: data.KindAchievement, Text: "玉米收获机"}))
		if run == 0 {
			first = ids
			if !reflect.DeepEqual(ids[:5], []string{"a-1", "a-2", "a-3", "a-4", "a-5"}) {
				t.Errorf("equal scores ordered %v, want by id", ids)
			}
		} else if !reflect.DeepEqual(ids, first) {
			t.Errorf("run %d: %v, first run %v", run, ids, first)
		}
	}
}

func TestExpiredDemands(t *testing.T) {
	past := time.Now().AddDate(0, 0, -3).Format(time.DateOnly)
	future := time.Now().AddDate(0, 1, 0).Format(time.DateOnly)
	dems := []data.Demand{
		{ID: "d-old", Title: "玉米烘干设备需求", Description: "寻求玉米烘干技术。", Deadline: past},
		{ID: "d-new", Title: "玉米烘干工艺需求", Description: "寻求玉米烘干工艺。", Deadline: future},
		{ID: "d-open", Title: "玉米烘干节能改造", Description: "寻求玉米烘干节能技术。"},
	}
	ix := relevanceIndex(t, nil, dems)
	for _, text := range []string{"玉米烘干", ""} {
		ids := hitIDs(search(t, ix, data.SearchQuery{Kind: data.KindDemand, Text: text}))
		if slices.Contains(ids, "d-old") || !slices.Contains(ids, "d-new") || !slices.Contains(ids, "d-open") {
			t.Errorf("%q: default search = %v; want the expired demand left out", text, ids)
		}
		ids = hitIDs(search(t, ix, data.SearchQuery{Kind: data.KindDemand, Text: text, Filter: data.Filter{Expired: true}}))
		if !slices.Contains(ids, "d-old") {
			t.Errorf("%q: with the expired filter = %v; want d-old back", text, ids)
		}
	}
}

func TestProfileWeighsLess(t *testing.T) {
	// Demand A needs 北斗 and says so; demand B needs an optical module and
	// only its company profile mentions 北斗 terminals, many times.
	dems := []data.Demand{
		{ID: "d-need", Title: "定位终端需求", Description: "寻求北斗高精度定位算法。"},
		{ID: "d-profile", Title: "光模块需求", Description: "需求：寻求高速光模块封装技术。公司简介：公司成立于2008年，现有职工300人，主要产品为北斗终端、北斗导航仪、北斗授时设备，年产值2亿元。"},
	}
	ix := relevanceIndex(t, nil, dems)
	ids := hitIDs(search(t, ix, data.SearchQuery{Kind: data.KindDemand, Text: "北斗"}))
	if len(ids) != 2 || ids[0] != "d-need" {
		t.Errorf("北斗 over demands = %v; want d-need first, d-profile found below", ids)
	}
	ids = hitIDs(search(t, ix, data.SearchQuery{Kind: data.KindDemand, Terms: []data.Term{{Text: "北斗", Weight: 1}}}))
	if len(ids) != 2 || ids[0] != "d-need" {
		t.Errorf("weighted term 北斗 over demands = %v; want d-need first", ids)
	}
}
