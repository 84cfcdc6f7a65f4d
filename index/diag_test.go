package index_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/techmatch/techmatch/data"
)

func BenchmarkDiag(b *testing.B) {
	ix, _ := benchIndex(b)
	time.Sleep(5 * time.Second)
	for _, q := range []data.SearchQuery{
		{Kind: data.KindAchievement, Limit: 10},
		{Kind: data.KindAchievement, Limit: 10, Sort: data.SortDate},
		{Kind: data.KindAchievement, Limit: 10, Facets: true},
		{Kind: data.KindAchievement, Limit: 10, Filter: data.Filter{Discipline: "计算机科学与技术"}},
		{Kind: data.KindAchievement, Limit: 10, Text: "科学决策 研究咨询服务"},
		{Kind: data.KindAchievement, Limit: 10, Text: "科学决策 研究咨询服务", Facets: true},
	} {
		t := time.Now()
		var res *data.SearchResult
		for i := 0; i < 20; i++ {
			res, _ = ix.Search(context.Background(), q)
		}
		fmt.Printf("%v total=%d %+v\n", time.Since(t)/20, res.Total, q)
	}
}
