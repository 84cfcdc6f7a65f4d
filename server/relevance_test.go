package server_test

import (
	"context"
	"testing"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/matcher"
	"github.com/techmatch/techmatch/server"
)

// stubMatcher answers every match with fixed results.
type stubMatcher struct{ res []matcher.Result }

func (m stubMatcher) MatchDemand(context.Context, string, matcher.Options) ([]matcher.Result, error) {
	return m.res, nil
}
func (m stubMatcher) MatchAchievement(context.Context, string, matcher.Options) ([]matcher.Result, error) {
	return m.res, nil
}
func (m stubMatcher) MatchText(context.Context, data.Demand, matcher.Options) ([]matcher.Result, error) {
	return m.res, nil
}
func (m stubMatcher) ScorePair(context.Context, *data.Demand, *data.Achievement) (matcher.Result, error) {
	return m.res[0], nil
}

// stubIndex answers every search with one hit and the parse of its text.
type stubIndex struct{}

func (stubIndex) Search(_ context.Context, q data.SearchQuery) (*data.SearchResult, error) {
	return &data.SearchResult{Total: 0, Hits: []data.Hit{},
		Parsed: &data.ParsedQuery{Must: []string{"石墨烯"}, Phrase: []string{}, Not: []string{"氧化"}}}, nil
}
func (stubIndex) Sync(context.Context) (int, error) { return 0, nil }
func (stubIndex) Seq() uint64                       { return 0 }

func TestMatchListNote(t *testing.T) {
	for _, tt := range []struct {
		level, note string
	}{{matcher.LevelMedium, matcher.NoHighNote}, {matcher.LevelHigh, ""}} {
		ts := newTestServerWith(t, func(s *server.Server) {
			s.Matcher = stubMatcher{res: []matcher.Result{{ID: "a-1", Achievement: &data.Achievement{ID: "a-1"}, Score: 0.4, Level: tt.level}}}
		})
		var out struct {
			Matches []struct {
				Level string `json:"level"`
			} `json:"matches"`
			Note string `json:"note"`
		}
		if code := ts.do("GET", "/api/v1/demands/d-1/matches", "", "", &out); code != 200 {
			t.Fatalf("status %d", code)
		}
		if len(out.Matches) != 1 || out.Matches[0].Level != tt.level || out.Note != tt.note {
			t.Errorf("level %s: got %+v", tt.level, out)
		}
	}
}

func TestSearchSaysHowItRead(t *testing.T) {
	ts := newTestServerWith(t, func(s *server.Server) { s.Index = stubIndex{} })
	var out struct {
		Parsed *data.ParsedQuery `json:"parsed"`
	}
	if code := ts.do("GET", "/api/v1/achievements?q=%E7%9F%B3%E5%A2%A8%E7%83%AF+-%E6%B0%A7%E5%8C%96", "", "", &out); code != 200 {
		t.Fatalf("status %d", code)
	}
	if out.Parsed == nil || len(out.Parsed.Not) != 1 || out.Parsed.Not[0] != "氧化" {
		t.Errorf("parsed = %+v", out.Parsed)
	}
}
