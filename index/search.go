package index

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/techmatch/techmatch/data"
)

// Limits on searches.
const (
	DefaultLimit  = 10
	MaxLimit      = 1000
	MaxWindow     = 10000 // Offset+Limit
	MaxQueryRunes = 1000
	MaxTerms      = 1000
	facetSize     = 20
)

// pruning drops query terms that cost more than they tell: a term in a
// large share of the catalogue has a low idf, hardly changes the ranking,
// and has the longest postings to walk. The rarest words are always kept,
// so a query of common words still finds something. The words pruning
// keeps are also the words the all-words tier asks for (queryText.tiers).
//
// Origin: set with the query pruning (commit 4573ece) on the dev
// known-item suites; no grid was recorded then. They are held by the
// regression floors below (weights).
var pruning = struct {
	wordShare   float64 // words in more of the catalogue than this are dropped…
	keepWords   int     // …unless fewer words than this would be left
	maxWords    int     // at most this many words, the rarest (long texts)
	bigramShare float64 // the same for the bigrams that stand on their own
	maxBigrams  int     // at most this many of those, the rarest
}{
	wordShare:   0.2,
	keepWords:   2,
	maxWords:    32,
	bigramShare: 0.1,
	maxBigrams:  12,
}

// Weights of the query's parts. The title weight is a bonus on top of the
// text field, which holds the title too.
//
// Origins (dev suites in ../shared/eval/dev, `techmatch eval`):
//   - title: grid {0, 0.3, 1.0, 2.0} on data with real titles — the
//     bdci-match catalogue (titles only) searched with its 123 demand
//     titles as queries and its grades as qrels (a derived suite, built in
//     /tmp, never committed): nDCG@10 0.1687 / 0.1684 / 0.1697 / 0.1686,
//     recall@100 0.2835 / 0.2833 / 0.2831 / 0.2811 — flat within noise,
//     since a title-only record's title is its whole text. The known-item
//     floors decide: at 1.0 csl-title MRR@10 falls to 0.9912 (floor
//     0.9925) and chinaxiv-title to 0.9839 (floor 0.9861); 0.3 holds them
//     (0.9925, 0.9865). Their records carry an abstract's first sentence
//     in place of a title, so they say nothing for a higher weight either.
//   - text 1.0 is the anchor; bigram 1.0, bigramAny 0.75, synonym 0.5 and
//     phrase 2.0 were set with the first search (commit 54f944e) on the
//     known-item suites, no grid recorded. Floors they hold today
//     (MRR@10): csl-title 0.9925, csl-keywords 0.9963, csl-contains 1.0,
//     chinaxiv-title 0.9865, chinaxiv-keywords 0.9848, chinaxiv-contains
//     0.999.
//   - The ranking's tiers (all the words first) carry no constant: on
//     csl-allterms nDCG@10 0.836 → 1.0, chinaxiv-allterms 0.877 → 0.992.
var weights = struct {
	title     float64 // a word in the title
	text      float64 // a word anywhere in the text
	bigram    float64 // all bigrams of a typed chunk in the text (substring)
	bigramAny float64 // any bigram of the query in the text (recall, cut mismatches)
	synonym   float64 // a synonym of a typed term
	phrase    float64 // a quoted phrase, on top of its words
}{
	title:     0.3,
	text:      1.0,
	bigram:    1.0,
	bigramAny: 0.75,
	synonym:   0.5,
	phrase:    2.0,
}

// Search runs a search over one catalogue. It implements data.Searcher.
//
// q.Text is cut like the index's text ("quoted phrases" count as phrases);
// its words are OR-ed, ranked with BM25 (see buildTextQuery), and empty text
// lists every record the filters let through. q.Terms are OR-ed with their
// weights. Filters narrow without scoring; Facets counts the hits per
// field, maturity, province and city (keys "field", "maturity", "province",
// "city"; top 20 values each); Highlight cuts snippets from the store's copy
// of the hits' title, abstract or description, keywords and institution or
// enterprise name. Equal scores rank by id, so pages are stable. Bad
// parameters give an EINVALID *data.Error with a Chinese message.
func (ix *Index) Search(ctx context.Context, q data.SearchQuery) (*data.SearchResult, error) {
	if err := checkQuery(&q); err != nil {
		return nil, err
	}
	key, cacheable := listKey(q)
	seq := ix.seq.Load() // before searching: the result is at least this new
	if cacheable {
		if res := ix.lists.get(seq, key); res != nil {
			return res, nil
		}
	}
	idx, an, done, err := ix.reader(q.Kind)
	if err != nil {
		return nil, err
	}
	defer done()

	textQ, pq, err := ix.textQuery(idx, an, q)
	if err != nil {
		return nil, err
	}
	filter, err := buildFilter(an, q, today())
	if err != nil {
		return nil, err
	}
	notQ := pq.qt.excluded(an)
	// main is the text query under the filters, without the records of
	// the tiers in out and with those of the tier in (if any).
	main := func(in query.Query, out []query.Query) query.Query {
		if filter == nil && notQ == nil && in == nil && len(out) == 0 {
			return textQ
		}
		bq := query.NewBooleanQuery(nil, nil, nil)
		bq.AddMust(textQ)
		var fs []query.Query
		for _, f := range []query.Query{filter, in} {
			if f != nil {
				fs = append(fs, f)
			}
		}
		bq.AddFilter(conjunction(fs))
		if notQ != nil {
			bq.AddMustNot(notQ)
		}
		bq.AddMustNot(out...)
		return bq
	}
	// All the words first: with relevance order, the records of each tier
	// (see queryText.tiers) rank above the next tier's, and the rest of the
	// matches below them all, each part by score.
	var tiers []query.Query
	if q.Sort != data.SortDate && len(q.Terms) == 0 {
		tiers = pq.qt.tiers(an, func(w string) bool { return pq.weighed[w] })
	}
	out := &data.SearchResult{Hits: []data.Hit{}, Parsed: pq.qt.parsed()}
	offset, need := q.Offset, q.Limit
	for t := 0; t <= len(tiers); t++ {
		var in query.Query
		if t < len(tiers) {
			in = tiers[t]
		}
		size := need
		if size < 0 {
			size = 0
		}
		req := bleve.NewSearchRequestOptions(main(in, tiers[:t]), size, offset, false)
		if q.Sort == data.SortDate {
			req.SortByCustom(search.SortOrder{
				&search.SortField{Field: fieldDate, Type: search.SortFieldAsNumber, Desc: true, Missing: search.SortFieldMissingLast},
				&search.SortScore{Desc: true},
				&search.SortDocID{},
			})
		} else {
			req.SortByCustom(search.SortOrder{&search.SortScore{Desc: true}, &search.SortDocID{}})
		}
		if q.Facets && len(tiers) == 0 {
			for _, f := range facetFields {
				req.AddFacet(f, bleve.NewFacetRequest(f, facetSize))
			}
		}
		res, err := ix.run(ctx, idx, q.Kind, req)
		if err != nil {
			return nil, err
		}
		out.Total += res.Total
		hits := make([]data.Hit, len(res.Hits))
		for i, h := range res.Hits {
			hits[i] = data.Hit{ID: h.ID, Score: h.Score}
		}
		if len(tiers) > 0 {
			// Scores stay monotone over the page: a tier's scores are
			// squashed into (0, 1) and lifted above the tiers below.
			for i := range hits {
				hits[i].Score = float64(len(tiers)-t) + hits[i].Score/(1+hits[i].Score)
			}
		}
		if q.Sort != data.SortDate {
			hits = stableOrder(hits)
		}
		out.Hits = append(out.Hits, hits...)
		need -= len(res.Hits)
		if offset -= int(res.Total); offset < 0 {
			offset = 0
		}
		if res.Facets != nil && q.Facets {
			out.Facets = facetCounts(res)
		}
	}
	if q.Facets && len(tiers) > 0 {
		req := bleve.NewSearchRequestOptions(main(nil, nil), 0, 0, false)
		for _, f := range facetFields {
			req.AddFacet(f, bleve.NewFacetRequest(f, facetSize))
		}
		res, err := ix.run(ctx, idx, q.Kind, req)
		if err != nil {
			return nil, err
		}
		out.Facets = facetCounts(res)
	}
	if q.Highlight && len(out.Hits) > 0 {
		if err := ix.highlight(ctx, q.Kind, an, pq, out.Hits); err != nil {
			return nil, err
		}
	}
	if cacheable {
		ix.lists.put(seq, key, out)
		return copyResult(out), nil
	}
	return out, nil
}

func (ix *Index) run(ctx context.Context, idx bleve.Index, kind data.Kind, req *bleve.SearchRequest) (*bleve.SearchResult, error) {
	res, err := idx.SearchInContext(ctx, req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("search %s: %w", kind, err)
	}
	return res, nil
}

func facetCounts(res *bleve.SearchResult) map[string][]data.FacetCount {
	out := map[string][]data.FacetCount{}
	for _, f := range facetFields {
		fr := res.Facets[f]
		counts := []data.FacetCount{}
		if fr != nil && fr.Terms != nil {
			for _, t := range fr.Terms.Terms() {
				counts = append(counts, data.FacetCount{Value: t.Term, Count: t.Count})
			}
		}
		out[f] = counts
	}
	return out
}

// scoreQuantum is the precision at which two scores count as equal. BM25
// sums its parts in an order that depends on how the index happens to be
// segmented, so equal scores differ in the last bits from one build to the
// next; rounded, they tie and the id decides.
const scoreQuantum = 1e-9

// stableOrder orders hits by score (to scoreQuantum), then by id, so that
// the same query over the same records gives the same page every time.
func stableOrder(hits []data.Hit) []data.Hit {
	for i := range hits {
		hits[i].Score = math.Round(hits[i].Score/scoreQuantum) * scoreQuantum
	}
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].Score != hits[j].Score {
			return hits[i].Score > hits[j].Score
		}
		return hits[i].ID < hits[j].ID
	})
	return hits
}

// today is the date searches compare deadlines with, as yyyymmdd.
var today = func() int {
	t := time.Now()
	return t.Year()*10000 + int(t.Month())*100 + t.Day()
}

func invalid(format string, args ...any) error { return data.Errorf(data.EINVALID, format, args...) }

// checkQuery validates q and fills in defaults.
func checkQuery(q *data.SearchQuery) error {
	if _, err := kindIndex(q.Kind); err != nil {
		return err
	}
	switch {
	case q.Offset < 0:
		return invalid("起始位置不能为负数")
	case q.Limit < 0:
		return invalid("每页条数不能为负数")
	case q.Limit > MaxLimit:
		return invalid("每页最多 %d 条", MaxLimit)
	}
	if q.Limit == 0 {
		q.Limit = DefaultLimit
	}
	if q.Offset+q.Limit > MaxWindow {
		return invalid("最多只能翻到第 %d 条结果，请缩小检索范围", MaxWindow)
	}
	switch q.Sort {
	case "", data.SortRelevance, data.SortDate:
	default:
		return invalid("排序方式“%s”无法识别：应为 relevance（相关度）或 date（日期）", q.Sort)
	}
	if !utf8.ValidString(q.Text) {
		return invalid("检索词含有无效的字符编码")
	}
	if n := utf8.RuneCountInString(q.Text); n > MaxQueryRunes {
		return invalid("检索词过长：%d 个字，最多 %d 个字", n, MaxQueryRunes)
	}
	if len(q.Terms) > MaxTerms {
		return invalid("加权检索词过多：%d 个，最多 %d 个", len(q.Terms), MaxTerms)
	}
	for _, t := range q.Terms {
		if !utf8.ValidString(t.Text) {
			return invalid("加权检索词含有无效的字符编码")
		}
		if math.IsNaN(t.Weight) || math.IsInf(t.Weight, 0) || t.Weight < 0 {
			return invalid("检索词“%s”的权重 %v 无效：应为非负数", t.Text, t.Weight)
		}
	}
	f := &q.Filter
	for _, v := range []string{f.Field, f.Discipline, f.Industry, f.Province, f.City, f.County, f.Institution, f.Status} {
		if !utf8.ValidString(v) {
			return invalid("筛选条件含有无效的字符编码")
		}
		if n := utf8.RuneCountInString(v); n > data.MaxShortLen {
			return invalid("筛选条件过长：%d 个字，最多 %d 个字", n, data.MaxShortLen)
		}
	}
	if f.Maturity != "" {
		m := data.MaturityName(f.Maturity)
		if m == "" {
			return invalid("成熟度“%s”无法识别：应为 实验室、小试、中试、产业化 之一，或 TRL1–TRL9", f.Maturity)
		}
		f.Maturity = m
	}
	if f.Status != "" {
		ok := false
		for _, s := range data.Statuses {
			ok = ok || s == f.Status
		}
		if !ok {
			return invalid("状态“%s”无法识别：应为 %s 之一", f.Status, strings.Join(data.Statuses, "、"))
		}
	}
	bad := func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) || v < 0 }
	if bad(f.AmountMin) || bad(f.AmountMax) {
		return invalid("金额范围应为非负数（单位：万元）")
	}
	if f.AmountMax > 0 && f.AmountMin > f.AmountMax {
		return invalid("金额下限（%g 万元）高于上限（%g 万元）", f.AmountMin, f.AmountMax)
	}
	from, to := 0, 0
	if f.From != "" {
		if from = dateNumber(f.From); from == 0 {
			return invalid("起始日期“%s”不是有效日期：请写成 2024-05-01 的格式", f.From)
		}
	}
	if f.To != "" {
		if to = dateEnd(f.To); to == 0 {
			return invalid("截止日期“%s”不是有效日期：请写成 2024-05-01 的格式", f.To)
		}
	}
	if from > 0 && to > 0 && from > to {
		return invalid("起始日期 %s 晚于截止日期 %s", f.From, f.To)
	}
	if f.Challenge && q.Kind != data.KindDemand {
		return invalid("“揭榜挂帅”筛选只适用于技术需求")
	}

	return nil
}

// dateEnd is the last yyyymmdd a date stands for: 2024 → 20241231,
// 2024-05 → 20240531 (as a bound 31 serves every month).
func dateEnd(s string) int {
	d := dateNumber(s)
	if d == 0 {
		return 0
	}
	switch len(strings.FieldsFunc(strings.TrimSpace(s), func(r rune) bool { return r == '-' || r == '/' })) {
	case 1:
		return d/10000*10000 + 1231
	case 2:
		return d/100*100 + 31
	}
	return d
}

// parsedQuery is the analysis of a query's text, kept for highlighting.
type parsedQuery struct {
	words   []string   // word-field terms, deduplicated, in order
	chunks  []string   // the typed pieces (split at white space), and phrases
	synonym [][]string // token lists of synonyms found
	qt      queryText
	weighed map[string]bool // words kept by pruning
}

// splitQuery separates "quoted phrases" (straight, curly or corner quotes)
// from the rest of the text. An unclosed quote is ignored.
func splitQuery(text string) (phrases []string, rest string) {
	var sb strings.Builder
	for {
		i := strings.IndexAny(text, "\"“「『")
		if i < 0 {
			break
		}
		open, n := utf8.DecodeRuneInString(text[i:])
		closeQ := map[rune]string{'"': "\"", '“': "”\"", '「': "」", '『': "』"}[open]
		j := strings.IndexAny(text[i+n:], closeQ)
		if j < 0 {
			sb.WriteString(text[:i])
			sb.WriteByte(' ')
			text = text[i+n:]
			continue
		}
		sb.WriteString(text[:i])
		sb.WriteByte(' ')
		if p := strings.TrimSpace(text[i+n : i+n+j]); p != "" {
			phrases = append(phrases, p)
		}
		_, m := utf8.DecodeRuneInString(text[i+n+j:])
		text = text[i+n+j+m:]
	}
	sb.WriteString(text)
	return phrases, sb.String()
}

func termQuery(field, term string, boost float64) *query.TermQuery {
	q := query.NewTermQuery(term)
	q.SetField(field)
	q.SetBoost(boost)
	return q
}

// allTerms is a conjunction of term queries on one field, or nil.
func allTerms(field string, terms []string, boost float64) query.Query {
	switch len(terms) {
	case 0:
		return nil
	case 1:
		return termQuery(field, terms[0], boost)
	}
	// bleve ignores a conjunction's own boost: weigh its terms instead.
	qs := make([]query.Query, len(terms))
	for i, t := range terms {
		qs[i] = termQuery(field, t, boost)
	}
	return query.NewConjunctionQuery(qs)
}

func dedupe(in []string) []string {
	seen := make(map[string]bool, len(in))
	out := in[:0:0]
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// buildTextQuery turns the query's text and weighted terms into one OR
// query. Each typed word counts in the text and, a little more, in the
// title; each typed chunk (the text split at white space) adds the
// conjunction of its bigrams in the bigram sub-field, so a record holding
// the chunk verbatim scores however the segmenter cut it; every bigram of
// the query adds a little on its own (recall where query and record were
// cut differently); synonyms of typed terms count at a lower weight; a
// quoted phrase adds its bigrams' conjunction at a higher one; weighted
// terms count with their weights. Empty text lists everything.
func buildTextQuery(an *analyzers, q data.SearchQuery, st *termStats) (query.Query, *parsedQuery) {
	pq := &parsedQuery{}
	pq.qt = parseText(q.Text)
	phrases := pq.qt.phrases
	var should []query.Query

	var tokens, bigrams []string
	for _, chunk := range pq.qt.chunks {
		pq.chunks = append(pq.chunks, chunk)
		tokens = append(tokens, termsOf(an.search.Analyze([]byte(chunk)))...)
		if an.bigram != nil {
			bs := termsOf(an.bigram.Analyze([]byte(chunk)))
			bigrams = append(bigrams, bs...)
			if len(bs) > 1 && !st.anyAbsent(fieldTextBi, bs) {
				should = append(should, allTerms(fieldTextBi, bs, weights.bigram))
			}
		}
	}
	pq.words = dedupe(tokens)
	pq.weighed = map[string]bool{}
	for _, w := range st.prune(fieldText, pq.words, pruning.wordShare, pruning.keepWords, pruning.maxWords) {
		pq.weighed[w] = true
		should = append(should, termQuery(fieldTitle, w, weights.title), termQuery(fieldText, w, weights.text))
		if q.Kind == data.KindDemand {
			should = append(should, termQuery(fieldProfile, w, weights.text*data.ProfileWeight))
		}
	}
	if weights.bigramAny > 0 {
		for _, b := range st.prune(fieldTextBi, dedupe(bigrams), pruning.bigramShare, 0, pruning.maxBigrams) {
			should = append(should, termQuery(fieldTextBi, b, weights.bigramAny))
		}
	}
	if an.syn != nil {
		pq.synonym = an.syn.expand(tokens)
		for _, s := range pq.synonym {
			should = append(should, allTerms(fieldText, s, weights.synonym))
		}
	}
	// A quoted phrase is a phrase: its bigrams in sequence (all of them,
	// which for Chinese is nearly the same) score on top of its words. As
	// with the words, it is not required: titles quote words too (论广告的
	// "全球化"与"本土化"), and OR is what finds a record typed from memory.
	for _, p := range phrases {
		pq.chunks = append(pq.chunks, p)
		words := termsOf(an.search.Analyze([]byte(p)))
		for _, w := range words {
			if !contains(pq.words, w) {
				pq.words = append(pq.words, w)
				should = append(should, termQuery(fieldTitle, w, weights.title), termQuery(fieldText, w, weights.text))
			}
		}
		var pqy query.Query
		if an.bigram != nil {
			pqy = allTerms(fieldTextBi, termsOf(an.bigram.Analyze([]byte(p))), weights.phrase)
		} else {
			pqy = allTerms(fieldText, words, weights.phrase)
		}
		if pqy != nil {
			should = append(should, pqy)
		}
	}
	for _, t := range q.Terms {
		term := strings.ToLower(strings.TrimSpace(t.Text))
		if term == "" || t.Weight == 0 {
			continue
		}
		should = append(should, termQuery(fieldText, term, t.Weight), termQuery(fieldTitle, term, t.Weight*0.5))
		if q.Kind == data.KindDemand {
			should = append(should, termQuery(fieldProfile, term, t.Weight*data.ProfileWeight))
		}
	}

	if len(should) == 0 {
		if len(pq.qt.chunks)+len(pq.qt.phrases) == 0 && len(q.Terms) == 0 {
			return query.NewMatchAllQuery(), pq
		}
		return query.NewMatchNoneQuery(), pq
	}
	return query.NewDisjunctionQuery(should), pq
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// buildFilter returns the query's filters as one query, or nil.
func buildFilter(an *analyzers, q data.SearchQuery, today int) (query.Query, error) {
	f := q.Filter
	var qs []query.Query
	if q.Kind == data.KindDemand && !f.Expired {
		// Demands past their deadline (已过期) are left out unless asked
		// for: a deadline before today excludes, none does not.
		v, incl := float64(today), false
		past := query.NewNumericRangeInclusiveQuery(nil, &v, nil, &incl)
		past.SetField(fieldDeadline)
		bq := query.NewBooleanQuery(nil, nil, nil)
		bq.AddMust(query.NewMatchAllQuery())
		bq.AddMustNot(past)
		qs = append(qs, bq)
	}
	kw := func(field, v string) {
		if v = strings.TrimSpace(v); v != "" {
			qs = append(qs, termQuery(field, v, 1))
		}
	}
	kw(fieldField, f.Field)
	kw(fieldDiscipline, f.Discipline)
	kw(fieldIndustry, f.Industry)
	kw(fieldMaturity, f.Maturity)
	kw(fieldProvince, f.Province)
	kw(fieldCity, f.City)
	kw(fieldCounty, f.County)
	kw(fieldStatus, f.Status)
	if f.Challenge {
		kw(fieldChallenge, "true")
	}
	if org := strings.TrimSpace(f.Institution); org != "" {
		alts := []query.Query{termQuery(fieldOrg, org, 1)}
		if an.bigram != nil {
			if bq := allTerms(fieldOrgBi, termsOf(an.bigram.Analyze([]byte(org))), 1); bq != nil {
				alts = append(alts, bq)
			}
		}
		qs = append(qs, query.NewDisjunctionQuery(alts))
	}
	if f.AmountMin > 0 {
		v, incl := f.AmountMin, true
		r := query.NewNumericRangeInclusiveQuery(&v, nil, &incl, nil)
		r.SetField(fieldAmountHi)
		qs = append(qs, r)
	}
	if f.AmountMax > 0 {
		v, incl := f.AmountMax, true
		r := query.NewNumericRangeInclusiveQuery(nil, &v, nil, &incl)
		r.SetField(fieldAmountLo)
		qs = append(qs, r)
	}
	if f.From != "" || f.To != "" {
		var lo, hi *float64
		incl := true
		if f.From != "" {
			v := float64(dateNumber(f.From))
			lo = &v
		}
		if f.To != "" {
			v := float64(dateEnd(f.To))
			hi = &v
		}
		r := query.NewNumericRangeInclusiveQuery(lo, hi, &incl, &incl)
		r.SetField(fieldDate)
		qs = append(qs, r)
	}
	if len(f.IDs) > 0 {
		qs = append(qs, query.NewDocIDQuery(f.IDs))
	}
	switch len(qs) {
	case 0:
		return nil, nil
	case 1:
		return qs[0], nil
	}
	return query.NewConjunctionQuery(qs), nil
}

// termStats looks up document frequencies while a query is built.
type termStats struct {
	n  int                          // records in the index
	df func(field, term string) int // records with term in field
}

// anyAbsent reports whether some term is in no record's field.
func (st *termStats) anyAbsent(field string, terms []string) bool {
	if st == nil {
		return false
	}
	for _, t := range terms {
		if st.df(field, t) == 0 {
			return true
		}
	}
	return false
}

// prune returns the terms worth searching, in their order: terms in no
// record go, and so do terms in more than share of the records, unless
// fewer than keep terms would stay (the rarest are kept then); with
// max > 0 only the max rarest stay.
func (st *termStats) prune(field string, terms []string, share float64, keep, max int) []string {
	if st == nil || len(terms) == 0 {
		return terms
	}
	type tdf struct {
		i, df int
	}
	ts := make([]tdf, len(terms))
	for i, t := range terms {
		ts[i] = tdf{i, st.df(field, t)}
	}
	sort.SliceStable(ts, func(a, b int) bool { return ts[a].df < ts[b].df })
	limit := int(share * float64(st.n))
	ok := make([]bool, len(terms))
	kept := 0
	for _, t := range ts {
		if t.df == 0 || (max > 0 && kept >= max) {
			continue
		}
		if t.df <= limit || kept < keep {
			ok[t.i] = true
			kept++
		}
	}
	out := terms[:0:0]
	for i, t := range terms {
		if ok[i] {
			out = append(out, t)
		}
	}
	return out
}

// textQuery builds the text query with document frequencies from idx.
func (ix *Index) textQuery(idx bleve.Index, an *analyzers, q data.SearchQuery) (query.Query, *parsedQuery, error) {
	adv, err := idx.Advanced()
	if err != nil {
		return nil, nil, err
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, nil, err
	}
	defer r.Close()
	n, err := r.DocCount()
	if err != nil {
		return nil, nil, err
	}
	cache := map[[2]string]int{}
	st := &termStats{n: int(n), df: func(field, term string) int {
		k := [2]string{field, term}
		if c, ok := cache[k]; ok {
			return c
		}
		c := 0
		if tfr, err := r.TermFieldReader(context.Background(), []byte(term), field, false, false, false); err == nil {
			c = int(tfr.Count())
			tfr.Close()
		}
		cache[k] = c
		return c
	}}
	tq, pq := buildTextQuery(an, q, st)
	return tq, pq, nil
}
