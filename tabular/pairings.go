package tabular

import (
	"io"
	"strings"

	"github.com/techmatch/techmatch/data"
)

// Sheet names of pairing exports.
const (
	SheetPairings = "对接台账"
	SheetFunnel   = "对接漏斗"
)

// PairingsHeader is the pairing ledger's columns. Pairings carry no contact
// data, so the ledger has none.
var PairingsHeader = []string{"对接编号", "状态", "来源", "活动编号", "技术需求", "需求编号", "科技成果", "成果编号",
	"技术领域", "城市", "区县", "技术经纪人", "匹配度", "创建时间", "更新时间", "请求有效期至",
	"合同登记号", "合同类型", "合同金额（万元）", "签约日期", "登记日期", "登记机构", "终止原因"}

// PairingsSheet is the ledger of pairings; brokerName names a broker id
// (nil leaves the id).
func PairingsSheet(ps []data.Pairing, brokerName func(string) string) Sheet {
	rows := make([][]any, 0, len(ps))
	for _, p := range ps {
		broker := p.BrokerID
		if brokerName != nil && broker != "" {
			broker = brokerName(broker)
		}
		var expires any
		if p.ExpiresAt != nil {
			expires = *p.ExpiresAt
		}
		row := []any{p.ID, p.Status.Label(), data.SourceLabel(p.Source), p.EventID, p.DemandTitle, p.DemandID,
			p.AchievementTitle, p.AchievementID, p.Field, p.Region.City, p.Region.County, broker, p.Score,
			p.Created, p.Updated, expires}
		if k := p.Contract; k != nil {
			row = append(row, k.Number, k.Type, k.AmountWan, k.SignedOn, k.RegisteredOn, k.Office)
		} else {
			row = append(row, nil, nil, nil, nil, nil, nil)
		}
		row = append(row, p.ClosedReason)
		rows = append(rows, row)
	}
	return Sheet{Name: SheetPairings, Header: PairingsHeader, Rows: rows}
}

// FunnelHeader is the funnel's columns.
func FunnelHeader(groupLabel string) []string {
	h := []string{groupLabel}
	for _, s := range data.FunnelStatuses {
		h = append(h, "到达"+s.Label())
	}
	h = append(h, "已签约", "合同金额（万元）")
	for _, s := range data.ConversionSteps {
		h = append(h, s[0].Label()+"→"+s[1].Label())
	}
	return append(h, "推荐至签约天数（中位数）")
}

// FunnelSheet is the funnel's rows and its total.
func FunnelSheet(groupLabel string, rows []data.FunnelRow, total data.FunnelRow) Sheet {
	var out [][]any
	for _, r := range append(rows, total) {
		row := []any{r.Label}
		for _, s := range data.FunnelStatuses {
			row = append(row, r.Reached[s])
		}
		row = append(row, r.Signed, r.ContractAmountWan)
		for _, s := range data.ConversionSteps {
			if v, ok := r.Conversion[string(s[1])+"/"+string(s[0])]; ok {
				row = append(row, v)
			} else {
				row = append(row, nil)
			}
		}
		if r.MedianDaysToSign != nil {
			row = append(row, *r.MedianDaysToSign)
		} else {
			row = append(row, nil)
		}
		out = append(out, row)
	}
	return Sheet{Name: SheetFunnel, Header: FunnelHeader(groupLabel), Rows: out}
}

// WriteSheets writes sheets as an XLSX workbook, or the first one as CSV
// (UTF-8 with a byte-order mark, cells a spreadsheet would run as formulas
// guarded).
func WriteSheets(w io.Writer, format Format, sheets []Sheet) error {
	switch format {
	case FormatXLSX:
		return WriteXLSX(w, sheets)
	case FormatCSV:
		var s Sheet
		if len(sheets) > 0 {
			s = sheets[0]
		}
		text := make([][]string, len(s.Rows))
		for i, row := range s.Rows {
			text[i] = make([]string, len(row))
			for j, v := range row {
				text[i][j] = cellText(v)
			}
		}
		return writeCSV(w, s.Header, text)
	}
	return data.Errorf(data.EINVALID, "不支持的导出格式“%s”：应为 xlsx 或 csv", strings.TrimSpace(string(format)))
}
