package server

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/techmatch/techmatch/data"
)

// searchParams reads the search query and filters. searching is false when
// none is given, so that a plain GET lists the catalogue.
func searchParams(c *gin.Context, kind data.Kind) (q data.SearchQuery, searching bool, err error) {
	var fields []data.FieldError
	bad := func(name, msg string) { fields = append(fields, data.FieldError{Field: name, Message: msg}) }
	str := func(name string) string {
		v := strings.TrimSpace(c.Query(name))
		if v != "" {
			searching = true
		}
		if len([]rune(v)) > 500 {
			bad(name, "过长：最多 500 个字")
		}
		return v
	}
	num := func(name string) float64 {
		v := str(name)
		if v == "" {
			return 0
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f < 0 || f > data.MaxAmountWan {
			bad(name, "应为 0 到 10000000 之间的数字（万元）")
		}
		return f
	}
	date := func(name string) string {
		v := str(name)
		if v != "" {
			if _, err := data.ParseDate(v); err != nil {
				bad(name, "日期格式应为 2024-05-01")
			}
		}
		return v
	}

	q.Kind = kind
	q.Text = str("q")
	f := &q.Filter
	f.Field = str("field")
	f.Discipline = str("discipline")
	f.Industry = str("industry")
	f.Maturity = str("maturity")
	if f.Maturity != "" {
		if name := data.MaturityName(f.Maturity); name == "" {
			bad("maturity", "应为 实验室、小试、中试、产业化 之一")
		} else {
			f.Maturity = name
		}
	}
	f.Province = str("province")
	f.City = str("city")
	f.County = str("county")
	f.Status = str("status")
	if kind == data.KindDemand {
		f.Institution = str("enterprise")
		f.AmountMin, f.AmountMax = num("budget_min"), num("budget_max")
		if v := str("challenge"); v != "" {
			b, err := strconv.ParseBool(v)
			if err != nil {
				bad("challenge", "应为 true 或 false")
			}
			f.Challenge = b
		}
		if v := str("expired"); v != "" { // expired=true brings back demands past their deadline
			b, err := strconv.ParseBool(v)
			if err != nil {
				bad("expired", "应为 true 或 false")
			}
			f.Expired = b
		}
	} else {
		f.Institution = str("institution")
		f.AmountMin, f.AmountMax = num("price_min"), num("price_max")
	}
	if f.AmountMax > 0 && f.AmountMin > f.AmountMax {
		bad("amount", "金额下限高于上限")
	}
	f.From, f.To = date("from"), date("to")

	switch sort := c.DefaultQuery("sort", data.SortRelevance); sort {
	case data.SortRelevance, data.SortDate:
		q.Sort = sort
	default:
		bad("sort", "应为 relevance 或 date")
	}
	q.Facets = c.Query("facets") != "false"
	q.Highlight = c.Query("highlight") != "false" && q.Text != ""
	if len(fields) > 0 {
		return q, searching, &data.Error{Code: data.EINVALID, Message: "搜索参数有误，请按提示修改", Fields: fields}
	}
	return q, searching, nil
}

// search runs q and answers with the page of records, their scores and
// highlights (aligned by position) and the facets.
func (s *Server) search(c *gin.Context, q data.SearchQuery, page, size int) {
	ctx := c.Request.Context()
	if s.Index == nil {
		s.fail(c, data.Errorf(data.EINTERNAL, "search index is not configured"))
		return
	}
	q.Offset, q.Limit = (page-1)*size, size
	res, recs, err := s.searchRecords(ctx, q)
	if err != nil {
		s.fail(c, err)
		return
	}
	items, hits := []any{}, []data.Hit{}
	tok := token(c)
	for i, r := range recs {
		if r != nil && i < len(res.Hits) {
			items = append(items, view(tok, r))
			hits = append(hits, res.Hits[i])
		}
	}
	resp := gin.H{"total": res.Total, "page": page, "size": size, "items": items, "hits": hits}
	if res.Facets != nil {
		resp["facets"] = res.Facets
	}
	if res.Parsed != nil {
		resp["parsed"] = res.Parsed
	}
	s.searchNote(ctx, resp)
	c.JSON(http.StatusOK, resp)
}

// recordSearcher is an index that returns the hits' records with them
// (index.Index: highlighting reads them anyway).
type recordSearcher interface {
	SearchRecords(ctx context.Context, q data.SearchQuery) (*data.SearchResult, []data.Record, error)
}

// searchRecords runs q and returns the hits' records (nil where one is
// gone), from the index when it can give them, else from the store.
func (s *Server) searchRecords(ctx context.Context, q data.SearchQuery) (*data.SearchResult, []data.Record, error) {
	if rs, ok := s.Index.(recordSearcher); ok {
		return rs.SearchRecords(ctx, q)
	}
	res, err := s.Index.Search(ctx, q)
	if err != nil {
		return nil, nil, err
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	recs := make([]data.Record, len(ids))
	if q.Kind == data.KindDemand {
		ds, err := s.Store.Demands(ctx, ids)
		if err != nil {
			return nil, nil, err
		}
		for i, r := range ds {
			if r != nil && i < len(recs) {
				recs[i] = r
			}
		}
	} else {
		as, err := s.Store.Achievements(ctx, ids)
		if err != nil {
			return nil, nil, err
		}
		for i, r := range as {
			if r != nil && i < len(recs) {
				recs[i] = r
			}
		}
	}
	return res, recs, nil
}
