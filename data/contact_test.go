package data

import (
	"encoding/json"
	"testing"
)

func TestContactWarnings(t *testing.T) {
	for _, tt := range []struct {
		name string
		rec  Record
		want []string
	}{
		{"landline in description", &Demand{Title: "秸秆利用", Description: "有意者请联系 电话：0431-85551234"}, []string{"description"}},
		{"mobile in abstract", &Achievement{Title: "还田机", Abstract: "联系人手机13912345678。"}, []string{"abstract"}},
		{"e-mail in title", &Achievement{Title: "联系 li@jlu.edu.cn"}, []string{"title"}},
		{"inventor name with phone", &Achievement{Title: "x", Inventors: []Inventor{{Name: "张三 13800000000"}}}, []string{"inventors[0].name"}},
		{"patent and year numbers are not phones", &Achievement{Title: "x", Abstract: "专利 ZL202010000001.1，2021年，效率提高 30%，产能 12000000 吨"}, nil},
		{"contact field itself is fine", &Demand{Title: "x", Contact: &Contact{Phone: "13900000000"}}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, w := range ContactWarnings(tt.rec) {
				got = append(got, w.Field)
			}
			if len(got) != len(tt.want) || len(got) > 0 && got[0] != tt.want[0] {
				t.Fatalf("warnings on %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPublicDropsPrivateData(t *testing.T) {
	var a Achievement
	if err := json.Unmarshal([]byte(`{"title":"x","contact":{"phone":"139"},"inventors":[{"name":"张","contact":"138"}],"微信":"wx"}`), &a); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(a.Public())
	if s := string(b); s != `{"id":"","title":"x","inventors":[{"name":"张"}]}` {
		t.Fatalf("public achievement %s", s)
	}
	var d Demand
	if err := json.Unmarshal([]byte(`{"title":"x","contact":{"qq":"1"},"联系电话":"0431"}`), &d); err != nil {
		t.Fatal(err)
	}
	b, _ = json.Marshal(d.Public())
	if s := string(b); s != `{"id":"","title":"x"}` {
		t.Fatalf("public demand %s", s)
	}
}
