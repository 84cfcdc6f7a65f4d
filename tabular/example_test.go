package tabular_test

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/techmatch/techmatch/data"
	"github.com/techmatch/techmatch/tabular"
)

func ExampleRead() {
	file := "需求名称,预算（万元）,联系人,备注\n" +
		"寒区混凝土抗冻,50-200,赵六,急\n" +
		"电池回收,很多,,\n"
	opts := tabular.Options{OnUnknownColumns: func(cols []string) {
		fmt.Printf("未知列（已保存到 extra）：%s\n", strings.Join(cols, "、"))
	}}
	err := tabular.Read(context.Background(), strings.NewReader(file), "需求.csv", data.KindDemand, func(row tabular.Row) error {
		if row.Err != nil {
			fmt.Println(data.ErrorMessage(row.Err))
			return nil
		}
		d := row.Demand
		fmt.Printf("第 %d 行：%s，预算 %s 万元，联系人 %s，备注 %s\n", row.Num, d.Title, tabular.FormatRange(d.BudgetWan), d.Contact.Name, d.Extra["备注"])
		return nil
	}, opts)
	if err != nil {
		fmt.Println(data.ErrorMessage(err))
	}
	// Output:
	// 未知列（已保存到 extra）：备注
	// 第 2 行：寒区混凝土抗冻，预算 50~200 万元，联系人 赵六，备注 "急"
	// 第 3 行：预算（万元）“很多”不是有效的金额：应写成 10、10~50、10以上、50以下 或 面议（单位：万元）
}

func ExampleWrite() {
	recs := []data.Demand{{ID: "D-1", Title: "电池回收", BudgetWan: &data.Range{Min: 200}, Contact: &data.Contact{Name: "赵六"}}}
	err := tabular.Write(context.Background(), os.Stdout, tabular.FormatJSONL, tabular.Records(recs))
	if err != nil {
		fmt.Println(err)
	}
	// Output:
	// {"id":"D-1","title":"电池回收","budget_wan":{"min":200,"max":0,"text":"200万元以上"},"contact":{"name":"赵六"}}
}
