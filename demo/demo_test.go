package demo

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/techmatch/techmatch/data"
)

// catalogue is one generation of both catalogues with each record's topic.
type catalogue struct {
	ach      []data.Achievement
	achTopic []int
	dem      []data.Demand
	demTopic []int
}

var generated = sync.OnceValue(func() *catalogue {
	c := &catalogue{}
	c.ach, c.achTopic = generateAchievements()
	c.dem, c.demTopic = generateDemands()
	return c
})

// testCatalogue returns the catalogue shared by the tests, generated once.
func testCatalogue(tb testing.TB) *catalogue {
	tb.Helper()
	return generated()
}

// The nine fields, written out here rather than taken from the package.
var wantFields = []string{"电子信息", "生物与新医药", "航空航天", "新材料", "高技术服务", "新能源与节能", "资源与环境", "先进制造与自动化", "现代农业"}

var wantJilinCities = []string{"长春市", "吉林市", "四平市", "辽源市", "通化市", "白山市", "松原市", "白城市", "延边朝鲜族自治州"}

var wantOtherProvinces = []string{"辽宁省", "黑龙江省", "内蒙古自治区"}

func TestCounts(t *testing.T) {
	c := testCatalogue(t)
	tests := []struct {
		name      string
		got, want int
	}{
		{"achievements", len(c.ach), 30000},
		{"demands", len(c.dem), 16000},
		{"NumAchievements", NumAchievements, 30000},
		{"NumDemands", NumDemands, 16000},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %d, want %d", tt.name, tt.got, tt.want)
		}
	}
	if len(c.achTopic) != len(c.ach) || len(c.demTopic) != len(c.dem) {
		t.Fatalf("topic slices do not match records")
	}
}

func TestIDs(t *testing.T) {
	c := testCatalogue(t)
	tests := []struct {
		prefix string
		ids    []string
	}{
		{"demo-a-", achievementIDs(c.ach)},
		{"demo-d-", demandIDs(c.dem)},
	}
	for _, tt := range tests {
		t.Run(tt.prefix, func(t *testing.T) {
			seen := make(map[string]bool, len(tt.ids))
			for i, id := range tt.ids {
				if want := fmt.Sprintf("%s%06d", tt.prefix, i+1); id != want {
					t.Fatalf("record %d: id %q, want %q", i, id, want)
				}
				if seen[id] {
					t.Fatalf("id %q repeated", id)
				}
				seen[id] = true
			}
		})
	}
}

func achievementIDs(recs []data.Achievement) []string {
	ids := make([]string, len(recs))
	for i, r := range recs {
		ids[i] = r.ID
	}
	return ids
}

func demandIDs(recs []data.Demand) []string {
	ids := make([]string, len(recs))
	for i, r := range recs {
		ids[i] = r.ID
	}
	return ids
}

// Every record validates, and is already normalised: Normalize changes
// nothing.
func TestValidate(t *testing.T) {
	c := testCatalogue(t)
	for _, a := range c.ach {
		n := a
		n.Keywords = append([]string(nil), a.Keywords...)
		n.Normalize()
		if err := n.Validate(); err != nil {
			t.Fatalf("%s: %v", a.ID, err)
		}
		if !reflect.DeepEqual(n, a) {
			t.Fatalf("%s: Normalize changed the record:\n got %+v\nwant %+v", a.ID, n, a)
		}
	}
	for _, d := range c.dem {
		n := d
		n.Keywords = append([]string(nil), d.Keywords...)
		n.Normalize()
		if err := n.Validate(); err != nil {
			t.Fatalf("%s: %v", d.ID, err)
		}
		if !reflect.DeepEqual(n, d) {
			t.Fatalf("%s: Normalize changed the record:\n got %+v\nwant %+v", d.ID, n, d)
		}
	}
}

// Two calls give the same catalogue, and so does generating on a single
// processor: records do not depend on how work is split.
func TestDeterministic(t *testing.T) {
	c := testCatalogue(t)
	if a := Achievements(); !reflect.DeepEqual(a, c.ach) {
		t.Error("two generations of achievements differ")
	}
	if d := Demands(); !reflect.DeepEqual(d, c.dem) {
		t.Error("two generations of demands differ")
	}

	prev := runtime.GOMAXPROCS(1)
	a, d := Achievements(), Demands()
	runtime.GOMAXPROCS(prev)
	if !reflect.DeepEqual(a, c.ach) {
		t.Error("achievements generated on one processor differ")
	}
	if !reflect.DeepEqual(d, c.dem) {
		t.Error("demands generated on one processor differ")
	}

	// Callers own what they get.
	a[0].Title = "changed"
	d[0].Contact.Name = "changed"
	if Achievements()[0].Title == "changed" || Demands()[0].Contact.Name == "changed" {
		t.Error("records share memory between calls")
	}
}

func TestTopics(t *testing.T) {
	c := testCatalogue(t)
	names := Topics()
	if n := len(names); n < 60 || n > 100 {
		t.Errorf("got %d topics, want 60–100", n)
	}
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] {
			t.Errorf("topic %q repeated", n)
		}
		seen[n] = true
	}
	achPer := make([]int, len(names))
	demPer := make([]int, len(names))
	for _, ti := range c.achTopic {
		achPer[ti]++
	}
	for _, ti := range c.demTopic {
		demPer[ti]++
	}
	for i, n := range names {
		if achPer[i] < 100 || demPer[i] < 50 {
			t.Errorf("topic %s: %d achievements, %d demands; want at least 100 and 50", n, achPer[i], demPer[i])
		}
	}
}

// topicKeywords returns, per topic, how many of its achievements carry each
// keyword, and the number of achievements.
func topicKeywords(c *catalogue) ([]map[string]int, []int) {
	n := len(Topics())
	kw := make([]map[string]int, n)
	size := make([]int, n)
	for i := range kw {
		kw[i] = map[string]int{}
	}
	for i, a := range c.ach {
		ti := c.achTopic[i]
		size[ti]++
		for _, k := range a.Keywords {
			kw[ti][k]++
		}
	}
	return kw, size
}

// Every demand has a counterpart: it shares a keyword with an achievement
// of its own topic, and every record stays within its topic's field.
func TestDemandsShareKeywordsWithTheirTopic(t *testing.T) {
	c := testCatalogue(t)
	kw, _ := topicKeywords(c)
	names := Topics()
	for i, d := range c.dem {
		ti := c.demTopic[i]
		shared := false
		for _, k := range d.Keywords {
			if kw[ti][k] > 0 {
				shared = true
				break
			}
		}
		if !shared {
			t.Fatalf("%s (%s): keywords %v share nothing with the topic's achievements", d.ID, names[ti], d.Keywords)
		}
	}
	fieldOf := map[int]string{}
	for i, a := range c.ach {
		if f, ok := fieldOf[c.achTopic[i]]; ok && f != a.Field {
			t.Fatalf("%s: topic %s has achievements in %s and %s", a.ID, names[c.achTopic[i]], f, a.Field)
		}
		fieldOf[c.achTopic[i]] = a.Field
	}
	for i, d := range c.dem {
		if f := fieldOf[c.demTopic[i]]; f != d.Field {
			t.Fatalf("%s: field %s, its topic's achievements are in %s", d.ID, d.Field, f)
		}
	}
}

// Scoring topics by the share of their achievements that carry each of a
// demand's keywords finds the demand's own topic nearly always. Terms that
// two topics share (数字孪生, 水肥一体化 …) and synonyms make it less than
// perfect, which is the point.
func TestDemandsPointToTheirTopic(t *testing.T) {
	c := testCatalogue(t)
	kw, size := topicKeywords(c)
	hits := 0
	for i, d := range c.dem {
		best, bestScore := -1, 0.0
		for ti := range kw {
			score := 0.0
			for _, k := range d.Keywords {
				score += float64(kw[ti][k]) / float64(size[ti])
			}
			if score > bestScore {
				best, bestScore = ti, score
			}
		}
		if best == c.demTopic[i] {
			hits++
		}
	}
	rate := float64(hits) / float64(len(c.dem))
	t.Logf("keyword nearest topic is the demand's own for %.1f%% of demands", 100*rate)
	if rate < 0.99 {
		t.Errorf("only %.1f%% of demands point to their own topic, want ≥ 99%%", 100*rate)
	}
}

// Some demands name their subject with a near-synonym the achievements do
// not use, so that matching is not plain string comparison.
func TestDemandsUseSynonyms(t *testing.T) {
	c := testCatalogue(t)
	kw, _ := topicKeywords(c)
	n := 0
	for i, d := range c.dem {
		for _, k := range d.Keywords {
			if kw[c.demTopic[i]][k] == 0 {
				n++
				break
			}
		}
	}
	t.Logf("%d demands carry a keyword no achievement of their topic has", n)
	if n < 1000 || n > 6000 {
		t.Errorf("%d demands use a synonym keyword, want 1000–6000", n)
	}
}

func TestFields(t *testing.T) {
	c := testCatalogue(t)
	achFields, demFields := map[string]int{}, map[string]int{}
	for _, a := range c.ach {
		achFields[a.Field]++
	}
	for _, d := range c.dem {
		demFields[d.Field]++
	}
	for _, f := range wantFields {
		if achFields[f] < 1000 {
			t.Errorf("field %s: %d achievements, want ≥ 1000", f, achFields[f])
		}
		if demFields[f] < 500 {
			t.Errorf("field %s: %d demands, want ≥ 500", f, demFields[f])
		}
	}
	if len(achFields) != len(wantFields) || len(demFields) != len(wantFields) {
		t.Errorf("got fields %v and %v, want exactly %v", achFields, demFields, wantFields)
	}
	if achFields["现代农业"] < achFields["航空航天"] {
		t.Errorf("agriculture (%d) should outweigh aerospace (%d) in Jilin", achFields["现代农业"], achFields["航空航天"])
	}
}

func TestRegions(t *testing.T) {
	c := testCatalogue(t)
	isJilinCity := map[string]bool{}
	for _, city := range wantJilinCities {
		isJilinCity[city] = true
	}
	for _, a := range c.ach {
		r := a.Region
		if r.Province != "吉林省" || !isJilinCity[r.City] || r.County == "" {
			t.Fatalf("%s: region %+v, want a county of a Jilin city", a.ID, r)
		}
	}
	jilin, other := 0, 0
	cities := map[string]bool{}
	for _, d := range c.dem {
		r := d.Region
		switch {
		case r.Province == "吉林省" && isJilinCity[r.City] && r.County != "":
			jilin++
			cities[r.City] = true
		case slices.Contains(wantOtherProvinces, r.Province) && r.City != "" && r.County != "":
			other++
		default:
			t.Fatalf("%s: unexpected region %+v", d.ID, r)
		}
	}
	share := float64(jilin) / float64(len(c.dem))
	t.Logf("%.1f%% of demands in Jilin", 100*share)
	if share < 0.85 || share > 0.95 {
		t.Errorf("%.1f%% of demands in Jilin, want 85–95%%", 100*share)
	}
	if len(cities) != len(wantJilinCities) {
		t.Errorf("demands come from %d Jilin cities, want all %d", len(cities), len(wantJilinCities))
	}
}

var phoneRE = regexp.MustCompile(`^(1[3-9]\d{9}|0\d{2,3}-\d{8})$`)

func TestContacts(t *testing.T) {
	c := testCatalogue(t)
	for _, d := range c.dem {
		if d.Contact == nil || d.Contact.Name == "" || !phoneRE.MatchString(d.Contact.Phone) {
			t.Fatalf("%s: contact %+v, want a name and a phone number", d.ID, d.Contact)
		}
		if p := d.Public(); p.Contact != nil {
			t.Fatalf("%s: public copy keeps the contact", d.ID)
		}
	}
	withContact := 0
	for _, a := range c.ach {
		if len(a.Inventors) < 1 || len(a.Inventors) > 4 {
			t.Fatalf("%s: %d inventors, want 1–4", a.ID, len(a.Inventors))
		}
		for _, p := range a.Inventors {
			if n := utf8.RuneCountInString(p.Name); n < 2 || n > 3 || p.Title == "" {
				t.Fatalf("%s: inventor %+v", a.ID, p)
			}
			if p.Contact != "" {
				withContact++
				if !phoneRE.MatchString(p.Contact) {
					t.Fatalf("%s: contact %q is not a phone number", a.ID, p.Contact)
				}
			}
		}
	}
	if share := float64(withContact) / float64(len(c.ach)); share < 0.3 || share > 0.6 {
		t.Errorf("%.0f%% of achievements give a contact, want 30–60%%", 100*share)
	}
}

// The same enterprise is the same everywhere: size, credit code and region
// go with the name.
func TestEnterprises(t *testing.T) {
	c := testCatalogue(t)
	type seen struct {
		ent    data.Enterprise
		region data.Region
	}
	byName := map[string]seen{}
	sizes := map[string]int{}
	for _, d := range c.dem {
		e := d.Enterprise
		if e.Name == "" || !slices.Contains(data.EnterpriseSizes, e.Size) || e.Industry != d.Industry {
			t.Fatalf("%s: enterprise %+v", d.ID, e)
		}
		if !strings.HasSuffix(e.Name, "公司") {
			t.Fatalf("%s: enterprise name %q", d.ID, e.Name)
		}
		if len(e.CreditCode) != 18 || creditCodeCheck(e.CreditCode) != e.CreditCode[17] {
			t.Fatalf("%s: credit code %q has a wrong check character", d.ID, e.CreditCode)
		}
		if s, ok := byName[e.Name]; ok && (s.ent != e || s.region != d.Region) {
			t.Fatalf("%s: %s appears as %+v in %v and as %+v in %v", d.ID, e.Name, s.ent, s.region, e, d.Region)
		}
		byName[e.Name] = seen{e, d.Region}
		sizes[e.Size]++
	}
	t.Logf("%d enterprises post the demands; sizes %v", len(byName), sizes)
	if len(byName) < 2000 || len(byName) > 8000 {
		t.Errorf("%d distinct enterprises, want 2000–8000", len(byName))
	}
	for _, s := range data.EnterpriseSizes {
		if sizes[s] == 0 {
			t.Errorf("no %s enterprise", s)
		}
	}
}

func TestCheckCharacters(t *testing.T) {
	tests := []struct {
		name string
		got  byte
		want byte
	}{
		{"patent 200710308494", patentCheck("200710308494"), 'X'},
		{"credit 91350100M000100Y4", creditCodeCheck("91350100M000100Y4"), '3'},
		{"credit 91110000802100433", creditCodeCheck("91110000802100433"), 'B'},
		{"credit 91110108551385082", creditCodeCheck("91110108551385082"), 'Q'},
		{"credit 91440300708461136", creditCodeCheck("91440300708461136"), 'T'},
		{"org 80210043", orgCodeCheck("80210043"), '3'},
		{"org 55138508", orgCodeCheck("55138508"), '2'},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: check %c, want %c", tt.name, tt.got, tt.want)
		}
	}
}

var patentRE = regexp.MustCompile(`^CN(20[12]\d)([12])\d{7}\.[0-9X]$`)

func TestPatents(t *testing.T) {
	c := testCatalogue(t)
	with := 0
	for _, a := range c.ach {
		if len(a.Patents) > 0 {
			with++
		}
		for _, p := range a.Patents {
			m := patentRE.FindStringSubmatch(p)
			if m == nil {
				t.Fatalf("%s: patent %q", a.ID, p)
			}
			if patentCheck(p[2:14]) != p[15] {
				t.Fatalf("%s: patent %q has a wrong check digit", a.ID, p)
			}
			if y := int(m[1][2]-'0')*10 + int(m[1][3]-'0') + 2000; y > a.Year || y < a.Year-3 {
				t.Fatalf("%s (%d): patent %q filed in %d", a.ID, a.Year, p, y)
			}
		}
	}
	if share := float64(with) / float64(len(c.ach)); share < 0.3 || share > 0.8 {
		t.Errorf("%.0f%% of achievements list patents, want 30–80%%", 100*share)
	}
}

func TestChallenges(t *testing.T) {
	c := testCatalogue(t)
	n := 0
	for _, d := range c.dem {
		if !d.Challenge {
			if d.RewardWan != 0 || strings.Contains(d.Title, "揭榜挂帅") {
				t.Fatalf("%s: not a challenge but reward %g, title %q", d.ID, d.RewardWan, d.Title)
			}
			continue
		}
		n++
		if d.RewardWan < 50 || d.RewardWan > 1000 {
			t.Fatalf("%s: reward %g 万元, want 50–1000", d.ID, d.RewardWan)
		}
		if !strings.HasPrefix(d.Title, "揭榜挂帅") || !strings.Contains(d.Description, "揭榜") {
			t.Fatalf("%s: challenge not announced in %q", d.ID, d.Title)
		}
	}
	t.Logf("%d challenges", n)
	if n < 500 || n > 1100 {
		t.Errorf("%d challenges, want 500–1100 (about 5%%)", n)
	}
}

func TestMaturity(t *testing.T) {
	c := testCatalogue(t)
	ach := map[string]int{}
	for _, a := range c.ach {
		ach[a.Maturity]++
	}
	for _, m := range data.MaturityStages {
		if share := float64(ach[m]) / float64(len(c.ach)); share < 0.1 || share > 0.4 {
			t.Errorf("achievements at %s: %.0f%%, want 10–40%%", m, 100*share)
		}
	}
	given, late := 0, 0
	for _, d := range c.dem {
		if d.Maturity == "" {
			continue
		}
		given++
		if d.Maturity == "中试" || d.Maturity == "产业化" {
			late++
		}
	}
	if share := float64(late) / float64(given); share < 0.7 {
		t.Errorf("only %.0f%% of demands want 中试 or 产业化, want ≥ 70%%", 100*share)
	}
	if share := float64(given) / float64(len(c.dem)); share < 0.8 || share == 1 {
		t.Errorf("%.0f%% of demands state a maturity, want most but not all", 100*share)
	}
}

func TestAmounts(t *testing.T) {
	c := testCatalogue(t)
	tests := []struct {
		name   string
		ranges []*data.Range
	}{
		{"price_wan", func() []*data.Range {
			out := make([]*data.Range, len(c.ach))
			for i, a := range c.ach {
				out[i] = a.PriceWan
			}
			return out
		}()},
		{"budget_wan", func() []*data.Range {
			out := make([]*data.Range, len(c.dem))
			for i, d := range c.dem {
				out[i] = d.BudgetWan
			}
			return out
		}()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			missing := 0
			for _, r := range tt.ranges {
				if r == nil {
					missing++
					continue
				}
				if r.Max <= 0 || r.Min > r.Max {
					t.Fatalf("range %+v", *r)
				}
			}
			if share := float64(missing) / float64(len(tt.ranges)); share < 0.05 || share > 0.3 {
				t.Errorf("%.0f%% missing, want 5–30%%", 100*share)
			}
		})
	}
}

func TestDates(t *testing.T) {
	c := testCatalogue(t)
	first, last := "2015-01-01", "2025-12-31"
	for _, a := range c.ach {
		p, err := time.Parse(time.DateOnly, a.Published)
		if err != nil || a.Published < first || a.Published > last {
			t.Fatalf("%s: published %q", a.ID, a.Published)
		}
		if a.Year < 2015 || a.Year > 2025 || p.Year() < a.Year || p.Year() > a.Year+1 {
			t.Fatalf("%s: year %d, published %s", a.ID, a.Year, a.Published)
		}
	}
	for _, d := range c.dem {
		if d.Published < "2023-01-01" || d.Published > last || d.Deadline <= d.Published {
			t.Fatalf("%s: published %s, deadline %s", d.ID, d.Published, d.Deadline)
		}
		if d.Status != "发布中" {
			t.Fatalf("%s: status %s", d.ID, d.Status)
		}
	}
}

// Titles vary: few achievements share a title, and the text is built of
// whole sentences of the right count.
func TestText(t *testing.T) {
	c := testCatalogue(t)
	achTitles, demTitles := map[string]bool{}, map[string]bool{}
	for _, a := range c.ach {
		achTitles[a.Title] = true
		if n := strings.Count(a.Abstract, "。"); n < 3 || n > 5 || !strings.HasSuffix(a.Abstract, "。") {
			t.Fatalf("%s: abstract has %d sentences: %s", a.ID, n, a.Abstract)
		}
		if n := len(a.Keywords); n < 3 || n > 6 {
			t.Fatalf("%s: %d keywords", a.ID, n)
		}
		if strings.ContainsAny(a.Title+a.Abstract, "{}") {
			t.Fatalf("%s: unexpanded template: %s %s", a.ID, a.Title, a.Abstract)
		}
	}
	for _, d := range c.dem {
		demTitles[d.Title] = true
		if n := strings.Count(d.Description, "。"); n < 3 || n > 4 {
			t.Fatalf("%s: description has %d sentences: %s", d.ID, n, d.Description)
		}
		if n := len(d.Keywords); n < 3 || n > 5 {
			t.Fatalf("%s: %d keywords", d.ID, n)
		}
		if strings.ContainsAny(d.Title+d.Description, "{}") {
			t.Fatalf("%s: unexpanded template: %s %s", d.ID, d.Title, d.Description)
		}
		// The description speaks of what the keywords name.
		named := false
		for _, k := range d.Keywords {
			if strings.Contains(d.Title+d.Description, k) {
				named = true
				break
			}
		}
		if !named {
			t.Fatalf("%s: no keyword of %v in %s %s", d.ID, d.Keywords, d.Title, d.Description)
		}
	}
	t.Logf("%d distinct achievement titles, %d distinct demand titles", len(achTitles), len(demTitles))
	if len(achTitles) < 27000 {
		t.Errorf("%d distinct achievement titles, want ≥ 27000", len(achTitles))
	}
	if len(demTitles) < 12500 {
		t.Errorf("%d distinct demand titles, want ≥ 12500", len(demTitles))
	}
}

func TestCompile(t *testing.T) {
	tests := []struct {
		tmpl string
		ok   bool
	}{
		{"一种{c}的{v}方法", true},
		{"提高{10-35}%", true},
		{"达到{0.05-0.50}%", true},
		{"无占位", true},
		{"{unknown}", false},
		{"{35-10}", false},
		{"{c", false},
	}
	for _, tt := range tests {
		t.Run(tt.tmpl, func(t *testing.T) {
			defer func() {
				if r := recover(); (r == nil) != tt.ok {
					t.Errorf("compile(%q): panic %v, want ok=%v", tt.tmpl, r, tt.ok)
				}
			}()
			compile(tt.tmpl)
		})
	}
}

// Numbers drawn into text stay within their range and keep their decimals.
func TestNumbers(t *testing.T) {
	tests := []struct {
		tmpl   string
		lo, hi float64
		dec    int
	}{
		{"{10-35}", 10, 35, 0},
		{"{0.05-0.50}", 0.05, 0.50, 2},
		{"{2000-5000}", 2000, 5000, 0},
		{"{1995-2021}", 1995, 2021, 0},
	}
	g := gen{r: newRand(1)}
	var vals [numSlots]string
	for _, tt := range tests {
		seen := map[string]bool{}
		for i := 0; i < 200; i++ {
			s := compile(tt.tmpl).string(&vals, g.r)
			var v float64
			if _, err := fmt.Sscan(s, &v); err != nil || v < tt.lo || v > tt.hi {
				t.Fatalf("%s: drew %q", tt.tmpl, s)
			}
			if _, frac, _ := strings.Cut(s, "."); len(frac) != tt.dec {
				t.Fatalf("%s: drew %q, want %d decimals", tt.tmpl, s, tt.dec)
			}
			seen[s] = true
		}
		if len(seen) < 5 {
			t.Errorf("%s: only %d different values in 200 draws", tt.tmpl, len(seen))
		}
	}
}

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, seed)) }

func BenchmarkGenerate(b *testing.B) {
	loadVocab()
	b.ReportAllocs()
	for b.Loop() {
		a, d := Achievements(), Demands()
		if len(a) != NumAchievements || len(d) != NumDemands {
			b.Fatal("wrong counts")
		}
	}
}

// The demo must look alive for years: searches and matches leave expired
// demands out, so about one demand in ten has closed and the rest stay open
// until at least the end of 2027.
func TestDemandsMostlyOpen(t *testing.T) {
	c := testCatalogue(t)
	asOf := time.Date(2027, 12, 30, 0, 0, 0, 0, time.UTC)
	expired := 0
	for i := range c.dem {
		if c.dem[i].PastDeadline(asOf) {
			expired++
		}
	}
	share := float64(expired) / float64(len(c.dem))
	if share < 0.05 || share > 0.2 {
		t.Errorf("%d of %d demands (%.1f%%) expired by %s, want about 10%%", expired, len(c.dem), 100*share, asOf.Format(time.DateOnly))
	}
}
