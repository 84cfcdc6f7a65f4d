package demo

import (
	"fmt"

	"github.com/techmatch/techmatch/data"
)

// CopyID is the id of copy k (k ≥ 2) of a demo record: "demo-a-000001"
// becomes "demo-a-000001-x2". Copy 1 is the record itself.
func CopyID(id string, k int) string {
	if k <= 1 {
		return id
	}
	return fmt.Sprintf("%s-x%d", id, k)
}

// CopyAchievements returns copy k of recs: the same records under the ids
// of CopyID, for measuring the service at several times the demo's size
// (serve --demo-scale). recs is not changed.
func CopyAchievements(recs []data.Achievement, k int) []data.Achievement {
	out := make([]data.Achievement, len(recs))
	for i, r := range recs {
		r.ID = CopyID(r.ID, k)
		out[i] = r
	}
	return out
}

// CopyDemands is CopyAchievements for demands.
func CopyDemands(recs []data.Demand, k int) []data.Demand {
	out := make([]data.Demand, len(recs))
	for i, r := range recs {
		r.ID = CopyID(r.ID, k)
		out[i] = r
	}
	return out
}
