package tabular_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/tabular"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(tb testing.TB, name string, got []byte) {
	tb.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		tb.Errorf("%s differs from the golden file (run go test -update and review the diff)\n got: %.600q\nwant: %.600q", name, got, want)
	}
}

var cst = time.FixedZone("CST", 8*3600)

// sampleAchievements are normalized records using every field.
func sampleAchievements() []data.Achievement {
	return []data.Achievement{{
		ID: "JL-2024-001", Title: "一种玉米秸秆还田机", Abstract: "适用于东北黑土地的秸秆粉碎还田装置，\n作业效率提高 30%。",
		Keywords: []string{"秸秆还田", "黑土地保护", "machine learning"}, Discipline: "农业工程", Field: "智能农机", Industry: "农业",
		Institution: "吉林大学", Inventors: []data.Inventor{
			{Name: "张三", Title: "教授，博士生导师", Contact: "13800000000"},
			{Name: "李四", Contact: "lisi@jlu.edu.cn"},
			{Name: "王五", Title: "副研究员"},
			{Name: "Li Lei"},
		},
		Maturity: "中试", TransferModes: []string{"转让", "许可"}, PriceWan: &data.Range{Min: 10, Max: 50},
		Region: data.Region{Province: "吉林省", City: "长春市", County: "朝阳区"}, Patents: []string{"ZL202010000001.1", "ZL202110000002.X"},
		Year: 2021, Published: "2024-05-01", Status: "发布中",
		Meta:  data.Meta{Owner: "tok-admin", Created: time.Date(2024, 5, 1, 8, 30, 0, 123456789, cst), Updated: time.Date(2024, 6, 2, 9, 0, 0, 0, time.UTC)},
		Extra: map[string]json.RawMessage{"备注": json.RawMessage(`"需复核 <重要> & 紧急"`), "source": json.RawMessage(`"chinaxiv"`)},
	}, {
		ID: "JL-2024-002", Title: "=寒地水稻\"旱育\"秧技术", Keywords: []string{"1,3-丁二烯"},
		PriceWan: &data.Range{Min: 200}, Year: 2020, Maturity: "中试",
		Extra: map[string]json.RawMessage{"备注": json.RawMessage(`"+86 联系"`)},
	}, {
		ID: "JL-2024-003", Title: "只有名称", PriceWan: &data.Range{Max: 1},
	}, {
		ID: "JL-2024-004", Title: "价格固定", PriceWan: &data.Range{Min: 12.5, Max: 12.5}, Region: data.Region{Province: "吉林省"},
	}}
}

func sampleDemands() []data.Demand {
	return []data.Demand{{
		ID: "D-001", Title: "寒区混凝土抗冻技术", Description: "冬季施工混凝土早期受冻。\n需要新型防冻剂。",
		Keywords: []string{"混凝土", "防冻剂"}, Industry: "建筑", Field: "新材料",
		Enterprise: data.Enterprise{Name: "长春某建设集团有限公司", Size: "中型", Industry: "建筑业", CreditCode: "91220101MA0000000X"},
		Region:     data.Region{Province: "吉林省", City: "长春市", County: "南关区"}, BudgetWan: &data.Range{Min: 50, Max: 200},
		Deadline: "2024-12-31", Modes: []string{"合作开发", "技术服务"}, Maturity: "中试", Challenge: true, RewardWan: 30.5,
		Contact:   &data.Contact{Name: "赵六", Phone: "+86 0431-85166666", Email: "zhao@example.cn"},
		Published: "2024-05-01", Status: "发布中",
		Meta:  data.Meta{Owner: "tok-ent-7", Created: time.Date(2024, 5, 1, 8, 0, 0, 0, cst)},
		Extra: map[string]json.RawMessage{"附件": json.RawMessage(`"图纸.pdf"`)},
	}, {
		ID: "D-002", Title: "电池回收", BudgetWan: &data.Range{Min: 200},
	}, {
		ID: "D-003", Title: "预算面议", Contact: &data.Contact{Email: "a@b.cn"},
	}}
}

func writeAll[T tabular.Record](tb testing.TB, format tabular.Format, recs []T) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := tabular.Write(context.Background(), &buf, format, tabular.Records(recs)); err != nil {
		tb.Fatalf("Write(%s): %v", format, err)
	}
	return buf.Bytes()
}

// sameJSON fails unless got and want encode to the same JSON, record by
// record: that is what equal means for records (times in equal instants and
// zones, Extra values with equal JSON).
func sameJSON[T any](tb testing.TB, got, want []T) {
	tb.Helper()
	if len(got) != len(want) {
		tb.Fatalf("%d records, want %d", len(got), len(want))
	}
	for i := range want {
		g, err1 := json.Marshal(got[i])
		w, err2 := json.Marshal(want[i])
		if err1 != nil || err2 != nil {
			tb.Fatal(err1, err2)
		}
		if !bytes.Equal(g, w) {
			tb.Errorf("record %d\n got %s\nwant %s", i, g, w)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	for _, format := range []tabular.Format{tabular.FormatJSONL, tabular.FormatCSV, tabular.FormatXLSX} {
		t.Run(string(format)+"/achievements", func(t *testing.T) {
			want := sampleAchievements()
			b := writeAll(t, format, want)
			rows := mustRead(t, "export."+string(format), data.KindAchievement, b)
			mustParse(t, rows)
			sameJSON(t, achievementsOf(t, rows), want)
		})
		t.Run(string(format)+"/demands", func(t *testing.T) {
			want := sampleDemands()
			b := writeAll(t, format, want)
			rows := mustRead(t, "export."+string(format), data.KindDemand, b)
			mustParse(t, rows)
			sameJSON(t, demandsOf(t, rows), want)
		})
	}
}

// Non-string Extra values survive JSONL as they are, and CSV as the text of
// their JSON.
func TestRoundTripExtraTypes(t *testing.T) {
	recs := []data.Demand{{ID: "D1", Title: "甲", Extra: map[string]json.RawMessage{"score": json.RawMessage(`{"a":1}`), "n": json.RawMessage(`2.5`)}}}
	rows := mustRead(t, "x.jsonl", data.KindDemand, writeAll(t, tabular.FormatJSONL, recs))
	sameJSON(t, demandsOf(t, rows), recs)
	rows = mustRead(t, "x.csv", data.KindDemand, writeAll(t, tabular.FormatCSV, recs))
	got := demandsOf(t, rows)[0].Extra
	if string(got["score"]) != `"{\"a\":1}"` || string(got["n"]) != `"2.5"` {
		t.Errorf("Extra after CSV: %q", got)
	}
}

func TestWriteGolden(t *testing.T) {
	golden(t, "achievements.jsonl.golden", writeAll(t, tabular.FormatJSONL, sampleAchievements()))
	golden(t, "demands.jsonl.golden", writeAll(t, tabular.FormatJSONL, sampleDemands()))
	golden(t, "achievements.csv.golden", writeAll(t, tabular.FormatCSV, sampleAchievements()))
	golden(t, "demands.csv.golden", writeAll(t, tabular.FormatCSV, sampleDemands()))
	// Workbooks carry timestamps: compare what Excel shows.
	for name, b := range map[string][]byte{
		"achievements.xlsx.golden.json": writeAll(t, tabular.FormatXLSX, sampleAchievements()),
		"demands.xlsx.golden.json":      writeAll(t, tabular.FormatXLSX, sampleDemands()),
	} {
		sheets, err := tabular.ReadXLSXSheets(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		var j bytes.Buffer
		enc := json.NewEncoder(&j)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", " ")
		if err := enc.Encode(sheets); err != nil {
			t.Fatal(err)
		}
		golden(t, name, j.Bytes())
	}
}

func TestWriteCSV(t *testing.T) {
	b := writeAll(t, tabular.FormatCSV, sampleAchievements())
	if !bytes.HasPrefix(b, []byte("\ufeff成果编号,成果名称,")) {
		t.Errorf("CSV does not start with a BOM and the Chinese header: %.40q", b)
	}
	header, _, _ := bytes.Cut(b, []byte("\r\n"))
	if !bytes.HasSuffix(header, []byte(",更新时间,source,备注")) {
		t.Errorf("Extra columns not appended in name order: %q", header)
	}
	if !bytes.Contains(b, []byte(`'=寒地水稻""旱育""秧技术`)) || !bytes.Contains(b, []byte(`,'+86 联系`)) {
		t.Error("cells starting with = or + are not guarded against formula injection")
	}
	if !bytes.Contains(b, []byte("张三（教授，博士生导师，联系方式：13800000000）、李四（联系方式：lisi@jlu.edu.cn）")) {
		t.Error("inventors' private contact data not exported")
	}
}

func TestWriteXLSXCatalogue(t *testing.T) {
	b := writeAll(t, tabular.FormatXLSX, sampleDemands())
	sheets, err := tabular.ReadXLSXSheets(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	rows, ok := sheets["技术需求"]
	if !ok || len(sheets) != 1 {
		t.Fatalf("sheets %v, want one named 技术需求", reflect.ValueOf(sheets).MapKeys())
	}
	want, _ := tabular.Header(data.KindDemand)
	if !reflect.DeepEqual(rows[0][:len(want)], want) || rows[0][len(want)] != "附件" {
		t.Errorf("header %q", rows[0])
	}
	if len(rows) != 4 || rows[1][1] != "寒区混凝土抗冻技术" {
		t.Errorf("rows %q", rows)
	}
}

func TestWriteXLSX(t *testing.T) {
	var buf bytes.Buffer
	err := tabular.WriteXLSX(&buf, []tabular.Sheet{
		{Name: "对接活动", Header: []string{"活动", "日期", "人数", "比例", "已结束"}, Rows: [][]any{
			{"长春技术对接会", time.Date(2024, 5, 1, 0, 0, 0, 0, cst), 120, 0.25, true},
			{"吉林市路演", time.Date(2024, 6, 2, 14, 30, 5, 0, cst), 45, nil, false},
		}},
		{Name: "空表"},
		{Name: "签约", Header: []string{"项目"}, Rows: [][]any{{"=1+1"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	sheets, err := tabular.ReadXLSXSheets(&buf)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][][]string{
		"对接活动": {{"活动", "日期", "人数", "比例", "已结束"}, {"长春技术对接会", "2024-05-01", "120", "0.25", "TRUE"}, {"吉林市路演", "2024-06-02 14:30:05", "45", "", "FALSE"}},
		"空表":   {},
		"签约":   {{"项目"}, {"=1+1"}},
	}
	if !reflect.DeepEqual(sheets, want) {
		t.Errorf("sheets\n got %q\nwant %q", sheets, want)
	}
	if len(sheets) != 3 {
		t.Errorf("%d sheets, want 3", len(sheets))
	}

	// Too long for a cell: an error, not a silently cut export.
	err = tabular.WriteXLSX(&bytes.Buffer{}, []tabular.Sheet{{Name: "长", Header: []string{"内容"}, Rows: [][]any{{strings.Repeat("长", 40000)}}}})
	if data.ErrorCode(err) != data.EINVALID || !strings.Contains(data.ErrorMessage(err), "“内容”超过 Excel 单元格上限") {
		t.Errorf("40,000-character cell: error %v", err)
	}
	err = tabular.WriteXLSX(&bytes.Buffer{}, []tabular.Sheet{{Name: "a/b"}})
	if data.ErrorCode(err) != data.EINVALID {
		t.Errorf("sheet name a/b: error %v", err)
	}
}

func TestWriteStops(t *testing.T) {
	bad := errors.New("store failed")
	seq := func(yield func(data.Achievement, error) bool) {
		if yield(data.Achievement{ID: "A", Title: "甲"}, nil) {
			yield(data.Achievement{}, bad)
		}
	}
	for _, f := range []tabular.Format{tabular.FormatJSONL, tabular.FormatCSV, tabular.FormatXLSX} {
		if err := tabular.Write(context.Background(), &bytes.Buffer{}, f, seq); err != bad {
			t.Errorf("%s: Write = %v, want the sequence's error", f, err)
		}
	}
	if err := tabular.Write(context.Background(), &bytes.Buffer{}, "pdf", seq); data.ErrorCode(err) != data.EINVALID {
		t.Errorf("Write(pdf) = %v", err)
	}
}

// An exported CSV with only the header is the import template.
func TestTemplate(t *testing.T) {
	b := writeAll[data.Demand](t, tabular.FormatCSV, nil)
	rows := mustRead(t, "template.csv", data.KindDemand, b)
	if len(rows) != 0 {
		t.Errorf("template has %d rows", len(rows))
	}
	h, _ := tabular.Header(data.KindDemand)
	if want := "\ufeff" + strings.Join(h, ",") + "\r\n"; string(b) != want {
		t.Errorf("template %q, want %q", b, want)
	}
}

// TestWriteCSVTable writes a plain table through the one guarded CSV
// writer: byte-order mark, CRLF, formula cells defused, rows untouched.
func TestWriteCSVTable(t *testing.T) {
	// A cell already starting with the guard gets another, so that reading
	// gives it back as written.
	rows := [][]any{{"=HYPERLINK(\"x\")", "吉林大学"}, {"-3", "多行\n文本"}, {"'=已防护", "+86 431"}}
	var b bytes.Buffer
	if err := tabular.WriteCSV(&b, []string{"单元格", "说明"}, rows); err != nil {
		t.Fatal(err)
	}
	want := "\uFEFF单元格,说明\r\n\"'=HYPERLINK(\"\"x\"\")\",吉林大学\r\n'-3,\"多行\r\n文本\"\r\n''=已防护,'+86 431\r\n"
	if b.String() != want {
		t.Errorf("got %q\nwant %q", b.String(), want)
	}
	if rows[0][0] != "=HYPERLINK(\"x\")" {
		t.Errorf("rows changed: %q", rows[0][0])
	}
}
