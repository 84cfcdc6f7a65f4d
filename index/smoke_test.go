package index_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/techmatch/techmatch/data"
)

func TestSmoke(t *testing.T) {
	ix, _ := fixtureIndex(t)
	for _, q := range []string{"农业", "清华", "LiFePO4", "lifepo4", "GB/T 30835", "５Ｇ", "电动车", "Φ20mm", "吉大", "\"正极材料\"", "ai 玉米"} {
		res := search(t, ix, data.SearchQuery{Kind: data.KindAchievement, Text: q, Highlight: true, Facets: true})
		b, _ := json.Marshal(res)
		fmt.Println(q, "=>", string(b))
	}
}
