package tabular_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/tabular"
)

// read reads content as a file called name and returns every row.
func read(tb testing.TB, name string, kind data.Kind, content []byte, opts ...tabular.Options) ([]tabular.Row, error) {
	tb.Helper()
	var rows []tabular.Row
	err := tabular.Read(context.Background(), bytes.NewReader(content), name, kind, func(r tabular.Row) error {
		rows = append(rows, r)
		return nil
	}, opts...)
	return rows, err
}

// mustRead is read for files that must read without an error.
func mustRead(tb testing.TB, name string, kind data.Kind, content []byte, opts ...tabular.Options) []tabular.Row {
	tb.Helper()
	rows, err := read(tb, name, kind, content, opts...)
	if err != nil {
		tb.Fatalf("Read(%s): %v", name, err)
	}
	return rows
}

// mustParse fails unless every row parsed.
func mustParse(tb testing.TB, rows []tabular.Row) {
	tb.Helper()
	for _, r := range rows {
		if r.Err != nil {
			tb.Fatalf("row %d: %v", r.Num, r.Err)
		}
	}
}

func nums(rows []tabular.Row) []int {
	var n []int
	for _, r := range rows {
		n = append(n, r.Num)
	}
	return n
}

func TestDetectFormat(t *testing.T) {
	for _, tt := range []struct {
		name string
		want tabular.Format
	}{
		{"a.jsonl", tabular.FormatJSONL},
		{"/tmp/b.NDJSON", tabular.FormatJSONL},
		{"c.json", tabular.FormatJSONL},
		{"成果.csv", tabular.FormatCSV},
		{"x.tsv", tabular.FormatCSV},
		{"export.txt", tabular.FormatCSV},
		{"需求.XLSX", tabular.FormatXLSX},
		{"old.xls", ""},
		{"noext", ""},
		{"a.pdf", ""},
	} {
		got, err := tabular.DetectFormat(tt.name)
		if got != tt.want {
			t.Errorf("DetectFormat(%q) = %q, want %q", tt.name, got, tt.want)
		}
		if tt.want == "" && (data.ErrorCode(err) != data.EINVALID || !strings.Contains(data.ErrorMessage(err), "格式")) {
			t.Errorf("DetectFormat(%q) error = %v, want EINVALID with a Chinese message", tt.name, err)
		}
	}
	if _, err := tabular.ParseFormat("pdf"); data.ErrorCode(err) != data.EINVALID {
		t.Errorf("ParseFormat(pdf) error = %v", err)
	}
	if f, err := tabular.ParseFormat(" Excel "); f != tabular.FormatXLSX || err != nil {
		t.Errorf("ParseFormat(Excel) = %q, %v", f, err)
	}
}

func TestReadErrors(t *testing.T) {
	for _, tt := range []struct {
		name    string
		kind    data.Kind
		content string
		opts    tabular.Options
		want    string // part of the Chinese message
	}{
		{"a.pdf", data.KindAchievement, "x", tabular.Options{}, "不支持"},
		{"a.csv", "events", "title\nx\n", tabular.Options{}, "未知的目录类型"},
		{"-", data.KindAchievement, "title\nx\n", tabular.Options{Format: "yaml"}, "未知的文件格式"},
		{"a.xlsx", data.KindAchievement, "not a zip", tabular.Options{}, "无法读取 Excel 文件"},
		{"a.csv", data.KindAchievement, "foo,bar\n1,2\n3,4\n", tabular.Options{}, "没有找到表头"},
		{"a.csv", data.KindAchievement, "\"成果名称,关键词\n", tabular.Options{}, "引号没有闭合"},
		{"a.json", data.KindAchievement, "[{\"title\":\"a\"},\n{\"title\": }]", tabular.Options{}, "第 2 行附近不是有效的 JSON"},
		{"a.json", data.KindAchievement, "[{\"title\":\"a\"}", tabular.Options{}, "没有以 ] 结束"},
	} {
		_, err := read(t, tt.name, tt.kind, []byte(tt.content), tt.opts)
		if data.ErrorCode(err) != data.EINVALID || !strings.Contains(data.ErrorMessage(err), tt.want) {
			t.Errorf("Read(%s, %q) error = %v, want EINVALID containing %q", tt.name, tt.content, err, tt.want)
		}
	}
	// The header may follow a few title rows, but not many.
	content := strings.Repeat("吉林省科技成果汇总表\n", 9) + "成果名称\n甲\n"
	if rows := mustRead(t, "a.csv", data.KindAchievement, []byte(content)); len(rows) != 1 || rows[0].Num != 11 {
		t.Errorf("rows after 9 title rows: %+v", rows)
	}
	content = strings.Repeat("吉林省科技成果汇总表\n", 10) + "成果名称\n甲\n"
	if _, err := read(t, "a.csv", data.KindAchievement, []byte(content)); data.ErrorCode(err) != data.EINVALID {
		t.Errorf("10 title rows: error = %v, want EINVALID", err)
	}
	// An empty file holds no records and is no error.
	for _, name := range []string{"a.csv", "a.jsonl"} {
		if rows := mustRead(t, name, data.KindDemand, nil); len(rows) != 0 {
			t.Errorf("%s: empty file gave %d rows", name, len(rows))
		}
	}
}

func TestReadStops(t *testing.T) {
	content := []byte("成果名称\n甲\n乙\n丙\n")
	stop := errors.New("stop")
	n := 0
	err := tabular.Read(context.Background(), bytes.NewReader(content), "a.csv", data.KindAchievement, func(r tabular.Row) error {
		if n++; n == 2 {
			return stop
		}
		return nil
	})
	if err != stop || n != 2 {
		t.Errorf("Read returned %v after %d rows, want the callback's error after 2", err, n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, name := range []string{"a.csv", "a.jsonl"} {
		err := tabular.Read(ctx, bytes.NewReader([]byte("{\"title\":\"甲\"}\n")), name, data.KindAchievement, func(tabular.Row) error { return nil })
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s: Read with a cancelled context = %v", name, err)
		}
	}
}

const achievementsCSV = `成果编号,成果名称,成果简介,关键词,学科,技术领域,行业,完成单位,完成人,成熟度,转化方式,价格（万元）,省份,城市,区县,专利,年份,发布日期,状态
A-001,一种玉米秸秆还田机,适用于东北黑土地的秸秆粉碎还田装置。,秸秆还田 黑土地保护,农业工程,智能农机,农业,吉林大学,张三（教授，联系方式：13800000000）、李四,中试,转让、许可,10-50,吉林省,长春市,朝阳区,ZL202010000001.1,2021,2024/5/1,发布中
A-002,"寒地水稻""旱育""秧技术","多行
简介",水稻；寒地,作物学,种植,农业,吉林省农业科学院,王五,TRL6,技术服务,面议,吉林省,公主岭市,,,2020年,2023年12月1日,
`

func wantAchievements() []data.Achievement {
	return []data.Achievement{{
		ID: "A-001", Title: "一种玉米秸秆还田机", Abstract: "适用于东北黑土地的秸秆粉碎还田装置。",
		Keywords: []string{"秸秆还田", "黑土地保护"}, Discipline: "农业工程", Field: "智能农机", Industry: "农业",
		Institution: "吉林大学", Inventors: []data.Inventor{{Name: "张三", Title: "教授", Contact: "13800000000"}, {Name: "李四"}},
		Maturity: "中试", TransferModes: []string{"转让", "许可"}, PriceWan: &data.Range{Min: 10, Max: 50},
		Region: data.Region{Province: "吉林省", City: "长春市", County: "朝阳区"}, Patents: []string{"ZL202010000001.1"},
		Year: 2021, Published: "2024-05-01", Status: "发布中",
	}, {
		ID: "A-002", Title: `寒地水稻"旱育"秧技术`, Abstract: "多行\n简介", Keywords: []string{"水稻", "寒地"},
		Discipline: "作物学", Field: "种植", Industry: "农业", Institution: "吉林省农业科学院",
		Inventors: []data.Inventor{{Name: "王五"}}, Maturity: "中试", TransferModes: []string{"技术服务"},
		Region: data.Region{Province: "吉林省", City: "公主岭市"}, Year: 2020, Published: "2023-12-01",
	}}
}

func achievementsOf(tb testing.TB, rows []tabular.Row) []data.Achievement {
	tb.Helper()
	var out []data.Achievement
	for _, r := range rows {
		if r.Achievement == nil || r.Demand != nil {
			tb.Fatalf("row %d: achievement %v, demand %v", r.Num, r.Achievement, r.Demand)
		}
		out = append(out, *r.Achievement)
	}
	return out
}

func demandsOf(tb testing.TB, rows []tabular.Row) []data.Demand {
	tb.Helper()
	var out []data.Demand
	for _, r := range rows {
		if r.Demand == nil || r.Achievement != nil {
			tb.Fatalf("row %d: achievement %v, demand %v", r.Num, r.Achievement, r.Demand)
		}
		out = append(out, *r.Demand)
	}
	return out
}

func TestReadCSVChinese(t *testing.T) {
	gb, err := simplifiedchinese.GB18030.NewEncoder().String(achievementsCSV)
	if err != nil {
		t.Fatal(err)
	}
	if utf8.ValidString(gb) {
		t.Fatal("the GB18030 test file is valid UTF-8: it tests nothing")
	}
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(strings.ReplaceAll(achievementsCSV, ",", "\t"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name    string
		content string
	}{
		{"utf8.csv", achievementsCSV},
		{"bom.csv", "\ufeff" + achievementsCSV},
		{"gb18030.csv", gb},
		{"crlf.csv", strings.ReplaceAll(achievementsCSV, "\n", "\r\n")},
		{"tab.tsv", strings.ReplaceAll(achievementsCSV, ",", "\t")},
		{"semicolon.csv", strings.ReplaceAll(achievementsCSV, ",", ";")},
		{"unicode.txt", utf16},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rows := mustRead(t, tt.name, data.KindAchievement, []byte(tt.content))
			mustParse(t, rows)
			if got, want := nums(rows), []int{2, 3}; !reflect.DeepEqual(got, want) {
				t.Errorf("row numbers %v, want %v", got, want)
			}
			got := achievementsOf(t, rows)
			if want := wantAchievements(); !reflect.DeepEqual(got, want) {
				t.Errorf("records\n got %+v\nwant %+v", got, want)
			}
		})
	}
}

// A GB18030 file whose first 64 KiB are ASCII is taken for UTF-8 at first;
// the Chinese cells further down must still come out right.
func TestReadCSVLateGB18030(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,title,keywords\n")
	for i := 0; b.Len() < 70<<10; i++ {
		b.WriteString("X-1,plain ascii title,ascii\n")
	}
	tail, err := simplifiedchinese.GB18030.NewEncoder().String("X-2,寒地水稻育秧,水稻、寒地\n")
	if err != nil {
		t.Fatal(err)
	}
	b.WriteString(tail)
	rows := mustRead(t, "late.csv", data.KindAchievement, []byte(b.String()))
	mustParse(t, rows)
	last := rows[len(rows)-1].Achievement
	if last.Title != "寒地水稻育秧" || !reflect.DeepEqual(last.Keywords, []string{"水稻", "寒地"}) {
		t.Errorf("last record %+v", last)
	}
}

func TestReadCSVRowNumbers(t *testing.T) {
	content := "吉林省2024年技术需求汇总\n" + // title row 1, skipped
		"\n" + // blank row 2
		"需求名称,需求描述,预算\n" + // header row 3
		"甲,一行,10\n" + // 4
		"\n" + // 5
		"乙,\"三行\n描述\n在此\",20\n" + // 6 (one spreadsheet row)
		",,\n" + // 7: empty cells only
		"丙,,30\n" // 8
	rows := mustRead(t, "d.csv", data.KindDemand, []byte(content))
	mustParse(t, rows)
	if got, want := nums(rows), []int{4, 6, 8}; !reflect.DeepEqual(got, want) {
		t.Errorf("row numbers %v, want %v", got, want)
	}
	ds := demandsOf(t, rows)
	if ds[1].Description != "三行\n描述\n在此" || ds[2].Title != "丙" || ds[2].BudgetWan.Min != 30 {
		t.Errorf("records %+v", ds)
	}
}

func TestReadCSVBadCells(t *testing.T) {
	content := "需求编号,需求名称,预算（万元）,揭榜挂帅,揭榜奖励（万元）,截止日期\n" +
		"D1,好的需求,10~50,是,20,2024-12-31\n" + // 2
		"D2,坏的预算,abc,否,,\n" + // 3
		"D3,好的需求二,面议,,,\n" + // 4
		"D4,三处错误,50-10,也许,很多,\n" + // 5
		"D5,\"引号\"错误\",10,,,\n" + // 6
		"D6,最后一个,200以上,1,5.5,2025/1/2\n" + // 7
		"D7,引号\"在中间,10,,,\n" // 8
	rows := mustRead(t, "d.csv", data.KindDemand, []byte(content))
	if got, want := nums(rows), []int{2, 3, 4, 5, 6, 7, 8}; !reflect.DeepEqual(got, want) {
		t.Fatalf("row numbers %v, want %v", got, want)
	}
	for _, tt := range []struct {
		row    int
		fields []string
		msgs   []string
	}{
		{0, nil, nil},
		{1, []string{"budget_wan"}, []string{"第 3 行：预算（万元）“abc”不是有效的金额"}},
		{2, nil, nil},
		{3, []string{"budget_wan", "challenge", "reward_wan"}, []string{"第 5 行有 3 处无法识别", "预算（万元）“50-10”的下限高于上限", "揭榜挂帅“也许”无法识别", "揭榜奖励（万元）“很多”不是数字"}},
		{4, []string{""}, []string{"第 6 行：引号没有闭合或多余"}},
		{5, nil, nil},
		{6, []string{""}, []string{"第 8 行：英文双引号使用不当"}},
	} {
		r := rows[tt.row]
		if tt.fields == nil {
			if r.Err != nil {
				t.Errorf("row %d: unexpected error %v", r.Num, r.Err)
			}
			continue
		}
		var e *data.Error
		if !errors.As(r.Err, &e) || e.Code != data.EINVALID {
			t.Errorf("row %d: error %v, want *data.Error EINVALID", r.Num, r.Err)
			continue
		}
		var fields []string
		for _, f := range e.Fields {
			fields = append(fields, f.Field)
		}
		if !reflect.DeepEqual(fields, tt.fields) {
			t.Errorf("row %d: fields %q, want %q", r.Num, fields, tt.fields)
		}
		for _, m := range tt.msgs {
			if !strings.Contains(e.Message, m) {
				t.Errorf("row %d: message %q lacks %q", r.Num, e.Message, m)
			}
		}
	}
	// The good rows around the bad ones are intact.
	d := rows[5].Demand
	if d.ID != "D6" || !d.Challenge || d.RewardWan != 5.5 || *d.BudgetWan != (data.Range{Min: 200}) || d.Deadline != "2025-01-02" {
		t.Errorf("row 7: %+v", d)
	}
	// A bad row still carries what could be read, for messages.
	if d := rows[1].Demand; d == nil || d.ID != "D2" || d.Title != "坏的预算" {
		t.Errorf("row 3: partial record %+v", d)
	}
}

func TestReadCSVUnknownColumns(t *testing.T) {
	content := "成果名称,备注,关键词,负责人电话,,成果名称,备注\n" +
		"甲,需要复核,a、b,0431-1234,,重复名称,第二个备注\n" +
		"乙,,,,,,,多出的值\n"
	var reported [][]string
	rows := mustRead(t, "a.csv", data.KindAchievement, []byte(content), tabular.Options{
		OnUnknownColumns: func(cols []string) { reported = append(reported, cols) },
	})
	mustParse(t, rows)
	want := [][]string{{"备注", "负责人电话", "成果名称", "备注"}, {"H列"}}
	if !reflect.DeepEqual(reported, want) {
		t.Errorf("reported %q, want %q", reported, want)
	}
	extra := func(r tabular.Row) map[string]string {
		m := map[string]string{}
		for k, raw := range r.Achievement.Extra {
			var s string
			if err := json.Unmarshal(raw, &s); err != nil {
				t.Fatalf("Extra[%q] = %s: not a JSON string", k, raw)
			}
			m[k] = s
		}
		return m
	}
	if got, want := extra(rows[0]), map[string]string{"备注": "需要复核", "负责人电话": "0431-1234", "成果名称": "重复名称", "备注（G列）": "第二个备注"}; !reflect.DeepEqual(got, want) {
		t.Errorf("row 2 Extra %q, want %q", got, want)
	}
	if rows[0].Achievement.Title != "甲" {
		t.Errorf("title %q: the first 成果名称 column must win", rows[0].Achievement.Title)
	}
	if got, want := extra(rows[1]), map[string]string{"H列": "多出的值"}; !reflect.DeepEqual(got, want) {
		t.Errorf("row 3 Extra %q, want %q", got, want)
	}
}

func TestReadJSONL(t *testing.T) {
	content := "\ufeff" + `{"id":"A1","title":" 甲 ","keywords":["x"," x ",""],"source":"chinaxiv","score":{"a":1}}` + "\n" +
		"\n" + // 2: blank
		`{"id":"A2","title":"乙","year":"2020"}` + "\r\n" + // 3: wrong type
		`{"id":"A3","title":` + "\n" + // 4: broken
		`[1,2]` + "\n" + // 5: not an object
		`{"id":"A6","title":"` + strings.Repeat("长", 100000) + `","source":"x","lang":"zh"}` + "\n" // 6: long line
	var reported [][]string
	rows := mustRead(t, "a.jsonl", data.KindAchievement, []byte(content), tabular.Options{
		OnUnknownColumns: func(cols []string) { reported = append(reported, cols) },
	})
	if got, want := nums(rows), []int{1, 3, 4, 5, 6}; !reflect.DeepEqual(got, want) {
		t.Fatalf("row numbers %v, want %v", got, want)
	}
	a := rows[0].Achievement
	if rows[0].Err != nil || a.Title != "甲" || !reflect.DeepEqual(a.Keywords, []string{"x"}) {
		t.Errorf("line 1 not normalized: %+v, %v", a, rows[0].Err)
	}
	if string(a.Extra["source"]) != `"chinaxiv"` || string(a.Extra["score"]) != `{"a":1}` {
		t.Errorf("line 1 unknown fields not kept: %q", a.Extra)
	}
	if want := [][]string{{"score", "source"}, {"lang"}}; !reflect.DeepEqual(reported, want) {
		t.Errorf("reported %q, want %q", reported, want)
	}
	for _, tt := range []struct {
		i     int
		field string
		msg   string
	}{
		{1, "year", "第 3 行：字段 year 应为整数，实际是文本"},
		{2, "", "第 4 行：不是有效的 JSON"},
		{3, "", "第 5 行：不是 JSON 对象"},
	} {
		fs := data.ErrorFields(rows[tt.i].Err)
		if data.ErrorCode(rows[tt.i].Err) != data.EINVALID || len(fs) != 1 || fs[0].Field != tt.field ||
			!strings.HasPrefix(data.ErrorMessage(rows[tt.i].Err), tt.msg) {
			t.Errorf("line %d: error %v, want field %q and message %q", rows[tt.i].Num, rows[tt.i].Err, tt.field, tt.msg)
		}
	}
	if rows[1].Achievement == nil || rows[1].Achievement.ID != "A2" {
		t.Errorf("line 3: partial record %+v", rows[1].Achievement)
	}
	if rows[4].Err != nil || len([]rune(rows[4].Achievement.Title)) != 100000 {
		t.Errorf("line 6 (300 KB) not read: %v", rows[4].Err)
	}
	// A line in GB18030 is decoded rather than garbled.
	gb, _ := simplifiedchinese.GB18030.NewEncoder().String(`{"title":"寒地水稻"}`)
	rows = mustRead(t, "gb.jsonl", data.KindAchievement, []byte(gb))
	if mustParse(t, rows); rows[0].Achievement.Title != "寒地水稻" {
		t.Errorf("GB18030 line read as %q", rows[0].Achievement.Title)
	}
}

func TestReadJSONArray(t *testing.T) {
	content := `[
  {"id": "D1", "title": "甲", "budget_wan": {"min": 10, "max": 50}},

  {
    "id": "D2",
    "title": "乙",
    "challenge": "yes"
  },
  {"id": "D3", "title": "丙", "contact": {"name": "赵", "phone": "138"}, "tag": "t"}
]
`
	rows := mustRead(t, "d.json", data.KindDemand, []byte(content))
	if got, want := nums(rows), []int{2, 4, 9}; !reflect.DeepEqual(got, want) {
		t.Fatalf("row numbers %v, want %v (the line each element starts on)", got, want)
	}
	if rows[0].Err != nil || rows[2].Err != nil || rows[0].Demand.BudgetWan.Max != 50 || rows[2].Demand.Contact.Phone != "138" {
		t.Errorf("rows %+v", rows)
	}
	if string(rows[2].Demand.Extra["tag"]) != `"t"` {
		t.Errorf("unknown field lost: %q", rows[2].Demand.Extra)
	}
	if fs := data.ErrorFields(rows[1].Err); len(fs) != 1 || fs[0].Field != "challenge" {
		t.Errorf("element at line 4: error %v, want one about challenge", rows[1].Err)
	}
}

// A .json file may hold pretty-printed records one after another.
func TestReadJSONDocument(t *testing.T) {
	content := "{\n  \"id\": \"A1\",\n  \"title\": \"甲\"\n}\n\n{\"id\": \"A2\", \"title\": \"乙\", \"year\": \"x\"} {\"id\": \"A3\", \"title\": \"丙\"}\n"
	rows := mustRead(t, "a.json", data.KindAchievement, []byte(content))
	if got, want := nums(rows), []int{1, 6, 6}; !reflect.DeepEqual(got, want) {
		t.Fatalf("row numbers %v, want %v", got, want)
	}
	if rows[0].Err != nil || rows[0].Achievement.Title != "甲" || rows[2].Achievement.ID != "A3" || data.ErrorFields(rows[1].Err)[0].Field != "year" {
		t.Errorf("rows %+v", rows)
	}
	// The same content in a .jsonl file is read line by line: the first
	// record is broken over four lines.
	rows = mustRead(t, "a.jsonl", data.KindAchievement, []byte(content))
	if len(rows) != 5 || rows[0].Err == nil {
		t.Errorf(".jsonl: %d rows, first error %v", len(rows), rows[0].Err)
	}
}

// writeWorkbook writes a workbook the way a person might fill one in: a
// title row, Chinese headers, numbers, dates and booleans as Excel types.
func writeWorkbook(tb testing.TB, sheets map[string][][]any, order ...string) []byte {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, name := range order {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				tb.Fatal(err)
			}
		} else if _, err := f.NewSheet(name); err != nil {
			tb.Fatal(err)
		}
		for r, row := range sheets[name] {
			if row == nil {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(name, cell, &row); err != nil {
				tb.Fatal(err)
			}
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadXLSX(t *testing.T) {
	date := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	content := writeWorkbook(t, map[string][][]any{
		"说明": {{"本工作簿第二张表是需求"}},
		"技术需求": {
			{"2024 年度企业技术需求汇总"},
			nil,
			{"需求编号", "需求名称", "需求描述", "预算(万元)", "揭榜挂帅", "揭榜奖励（万元）", "联系电话", "发布日期", "截止日期", "企业规模", "附件"},
			{"D1", "寒区混凝土抗冻", "多行\n描述", 50, true, 12.5, 13800000000, date, "2024年12月31日", "中型", "图纸.pdf"},
			{1002, "新能源汽车电池回收", "", "10-50", false, nil, "0431-85166666", "2024/6/1", nil, nil, nil},
			nil,
			{"D3", "坏预算", "", "许多", "否", nil, nil, nil, nil, nil, nil},
		},
	}, "说明", "技术需求")
	var reported []string
	rows := mustRead(t, "需求.xlsx", data.KindDemand, content, tabular.Options{OnUnknownColumns: func(c []string) { reported = append(reported, c...) }})
	if got, want := nums(rows), []int{4, 5, 7}; !reflect.DeepEqual(got, want) {
		t.Fatalf("row numbers %v, want %v", got, want)
	}
	if rows[0].Err != nil || rows[1].Err != nil {
		t.Fatalf("errors: %v, %v", rows[0].Err, rows[1].Err)
	}
	d := rows[0].Demand
	want := data.Demand{
		ID: "D1", Title: "寒区混凝土抗冻", Description: "多行\n描述", BudgetWan: &data.Range{Min: 50, Max: 50},
		Challenge: true, RewardWan: 12.5, Contact: &data.Contact{Phone: "13800000000"}, Published: "2024-05-01",
		Deadline: "2024-12-31", Enterprise: data.Enterprise{Size: "中型"},
		Extra: map[string]json.RawMessage{"附件": json.RawMessage(`"图纸.pdf"`)},
	}
	if !reflect.DeepEqual(*d, want) {
		t.Errorf("row 4\n got %+v\nwant %+v", *d, want)
	}
	d = rows[1].Demand
	if d.ID != "1002" || *d.BudgetWan != (data.Range{Min: 10, Max: 50}) || d.Challenge || d.Contact.Phone != "0431-85166666" || d.Published != "2024-06-01" {
		t.Errorf("row 5: %+v", d)
	}
	if fs := data.ErrorFields(rows[2].Err); len(fs) != 1 || fs[0].Field != "budget_wan" || !strings.Contains(fs[0].Message, "预算(万元)“许多”") {
		t.Errorf("row 7: error %v", rows[2].Err)
	}
	if !reflect.DeepEqual(reported, []string{"附件"}) {
		t.Errorf("unknown columns %q", reported)
	}
	// Without a sheet named for the catalogue, the first sheet is read.
	content = writeWorkbook(t, map[string][][]any{"Sheet A": {{"成果名称", "年份"}, {"甲", 2021}}, "Sheet B": {{"成果名称"}, {"乙"}}}, "Sheet A", "Sheet B")
	rows = mustRead(t, "a.xlsx", data.KindAchievement, content)
	if mustParse(t, rows); len(rows) != 1 || rows[0].Achievement.Title != "甲" || rows[0].Achievement.Year != 2021 {
		t.Errorf("first sheet: %+v", rows)
	}
}
