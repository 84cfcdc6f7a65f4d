package tabular

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/techmatch/techmatch/data"
)

func TestContactColumns(t *testing.T) {
	for _, tt := range []struct {
		kind data.Kind
		csv  string
	}{
		{data.KindAchievement, "成果名称,联系人,联系电话,手机号码,联系人邮箱,传真,QQ,微信,地址,推荐单位\n秸秆还田机,王老师,0431-85160000,13900000000,w@jlu.edu.cn,0431-85160001,12345,wx_w,长春市前进大街2699号,吉林大学\n"},
		{data.KindDemand, "需求名称,联系人,电话,手机,邮箱,传真,QQ号,微信号,联系地址,推荐单位\n秸秆利用,王老师,0431-85160000,13900000000,w@jlu.edu.cn,0431-85160001,12345,wx_w,长春市前进大街2699号,吉林大学\n"},
	} {
		t.Run(string(tt.kind), func(t *testing.T) {
			var contactCols, unknown []string
			var rows []Row
			err := Read(context.Background(), strings.NewReader(tt.csv), "x.csv", tt.kind, func(r Row) error { rows = append(rows, r); return nil },
				Options{OnContactColumns: func(c []string) { contactCols = c }, OnUnknownColumns: func(c []string) { unknown = c }})
			if err != nil || len(rows) != 1 || rows[0].Err != nil {
				t.Fatalf("%v %+v", err, rows)
			}
			if len(contactCols) != 8 || !reflect.DeepEqual(unknown, []string{"推荐单位"}) {
				t.Fatalf("contact columns %v, unknown %v", contactCols, unknown)
			}
			var c *data.Contact
			var extra map[string]any
			if r := rows[0]; r.Achievement != nil {
				c, extra = r.Achievement.Contact, map[string]any{}
				for k := range r.Achievement.Extra {
					extra[k] = true
				}
			} else {
				c, extra = r.Demand.Contact, map[string]any{}
				for k := range r.Demand.Extra {
					extra[k] = true
				}
			}
			want := &data.Contact{Name: "王老师", Phone: "0431-85160000", Mobile: "13900000000", Email: "w@jlu.edu.cn", Fax: "0431-85160001",
				QQ: "12345", WeChat: "wx_w", Address: "长春市前进大街2699号"}
			if !reflect.DeepEqual(c, want) {
				t.Fatalf("contact %+v", c)
			}
			if !reflect.DeepEqual(extra, map[string]any{"推荐单位": true}) {
				t.Fatalf("extra %v", extra)
			}
		})
	}
}
