package tabular

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/techmatch/techmatch/data"
)

// A column maps one spreadsheet column to one field of a record of type T.
type column[T any] struct {
	key     string   // JSON path of the field: "region.city"
	label   string   // canonical Chinese header written on export; "" = import only
	aliases []string // other accepted headers
	date    bool     // spreadsheet numbers in it are serial dates
	get     func(*T) string
	set     func(*T, string) error // s is trimmed and not empty
	value   func(*T) any           // typed spreadsheet value; nil means get
}

// A schema is the column layout of one catalogue.
type schema[T any] struct {
	kind   data.Kind
	cols   []column[T]
	byName map[string]int // normalized header → index into cols
	extra  func(*T) *map[string]json.RawMessage
	norm   func(*T)
	row    func(num int, rec *T, err error) Row
}

func newSchema[T any](kind data.Kind, cols []column[T], extra func(*T) *map[string]json.RawMessage, norm func(*T), row func(int, *T, error) Row) *schema[T] {
	s := &schema[T]{kind: kind, cols: cols, byName: map[string]int{}, extra: extra, norm: norm, row: row}
	for i, c := range cols {
		names := append([]string{c.key, c.label}, c.aliases...)
		for _, n := range names {
			if n == "" {
				continue
			}
			k := normalizeHeader(n)
			if j, dup := s.byName[k]; dup && j != i {
				panic(fmt.Sprintf("tabular: header %q of %s maps to both %s and %s", n, kind, cols[j].key, c.key))
			}
			s.byName[k] = i
		}
	}
	return s
}

// lookup returns the column a header names, or -1.
func (s *schema[T]) lookup(header string) int {
	k := normalizeHeader(header)
	if k == "" {
		return -1
	}
	if i, ok := s.byName[k]; ok {
		return i
	}
	// "转让价格(万元)", "奖励（万元）": try again without the unit.
	if i := strings.IndexByte(k, '('); i > 0 {
		if j, ok := s.byName[k[:i]]; ok {
			return j
		}
	}
	return -1
}

// header returns the canonical Chinese headers in export order.
func (s *schema[T]) header() []string {
	var h []string
	for _, c := range s.cols {
		if c.label != "" {
			h = append(h, c.label)
		}
	}
	return h
}

// normalizeHeader folds full-width forms and case and drops white space and
// the asterisks templates put on required columns, so that "价格（万元）",
// "价格(万元)" and " 价格 (万元)* " are the same header.
func normalizeHeader(s string) string {
	var b strings.Builder
	for _, r := range s {
		r = data.FoldWidth(r)
		if unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return strings.Trim(b.String(), "*")
}

// Header returns the canonical Chinese column headers of a catalogue, in the
// order Write uses; a file with this header row is an import template.
func Header(kind data.Kind) ([]string, error) {
	switch kind {
	case data.KindAchievement:
		return achievementSchema.header(), nil
	case data.KindDemand:
		return demandSchema.header(), nil
	}
	return nil, errKind(kind)
}

func errKind(kind data.Kind) error {
	return data.Errorf(data.EINVALID, "未知的目录类型 %q：应为 achievements（科技成果）或 demands（技术需求）", kind)
}

// Column constructors.

func textCol[T any](key, label string, aliases []string, p func(*T) *string) column[T] {
	return column[T]{
		key: key, label: label, aliases: aliases,
		get: func(r *T) string { return *p(r) },
		set: func(r *T, s string) error { *p(r) = s; return nil },
	}
}

func dateCol[T any](key, label string, aliases []string, p func(*T) *string) column[T] {
	c := textCol(key, label, aliases, p)
	c.date = true
	c.set = func(r *T, s string) error { *p(r) = normalizeDate(s); return nil }
	return c
}

func listCol[T any](key, label string, aliases []string, extraSeps string, p func(*T) *[]string) column[T] {
	return column[T]{
		key: key, label: label, aliases: aliases,
		get: func(r *T) string { return joinList(*p(r), extraSeps) },
		set: func(r *T, s string) error { *p(r) = splitList(s, extraSeps); return nil },
	}
}

func rangeCol[T any](key, label string, aliases []string, p func(*T) **data.Range) column[T] {
	return column[T]{
		key: key, label: label, aliases: aliases,
		get: func(r *T) string { return FormatRange(*p(r)) },
		set: func(r *T, s string) (err error) { *p(r), err = parseRange(s); return err },
	}
}

// boundCol reads one bound of a range from a column of its own
// ("price_wan.min"); it is never written.
func boundCol[T any](key string, aliases []string, upper bool, p func(*T) **data.Range) column[T] {
	return column[T]{
		key: key, aliases: aliases,
		get: func(*T) string { return "" },
		set: func(r *T, s string) error {
			v, err := parseSingleAmount(s)
			if err != nil {
				return err
			}
			if *p(r) == nil {
				*p(r) = &data.Range{}
			}
			if upper {
				(*p(r)).Max = v
			} else {
				(*p(r)).Min = v
			}
			return nil
		},
	}
}

func amountCol[T any](key, label string, aliases []string, p func(*T) *float64) column[T] {
	return column[T]{
		key: key, label: label, aliases: aliases,
		get: func(r *T) string {
			if *p(r) == 0 {
				return ""
			}
			return formatFloat(*p(r))
		},
		set: func(r *T, s string) (err error) { *p(r), err = parseSingleAmount(s); return err },
		value: func(r *T) any {
			if *p(r) == 0 {
				return nil
			}
			return *p(r)
		},
	}
}

func yearCol[T any](key, label string, aliases []string, p func(*T) *int) column[T] {
	return column[T]{
		key: key, label: label, aliases: aliases,
		get: func(r *T) string {
			if *p(r) == 0 {
				return ""
			}
			return strconv.Itoa(*p(r))
		},
		set: func(r *T, s string) (err error) { *p(r), err = parseYear(s); return err },
		value: func(r *T) any {
			if *p(r) == 0 {
				return nil
			}
			return *p(r)
		},
	}
}

func boolCol[T any](key, label string, aliases []string, p func(*T) *bool) column[T] {
	return column[T]{
		key: key, label: label, aliases: aliases,
		get: func(r *T) string { return formatBool(*p(r)) },
		set: func(r *T, s string) (err error) { *p(r), err = parseBool(s); return err },
	}
}

func timeCol[T any](key, label string, aliases []string, p func(*T) *time.Time) column[T] {
	return column[T]{
		key: key, label: label, aliases: aliases, date: true,
		get: func(r *T) string { return formatTime(*p(r)) },
		set: func(r *T, s string) (err error) { *p(r), err = parseTime(s); return err },
	}
}

func contactCol[T any](key, label string, aliases []string, rec func(*T) **data.Contact, f func(*data.Contact) *string) column[T] {
	return column[T]{
		key: key, label: label, aliases: aliases,
		get: func(r *T) string {
			if *rec(r) == nil {
				return ""
			}
			return *f(*rec(r))
		},
		set: func(r *T, s string) error {
			if *rec(r) == nil {
				*rec(r) = &data.Contact{}
			}
			*f(*rec(r)) = s
			return nil
		},
	}
}

// contactCols are the private contact columns of a catalogue: the common
// Chinese contact headers map to the record's contact, never to public
// fields or to extra fields.
func contactCols[T any](rec func(*T) **data.Contact) []column[T] {
	return []column[T]{
		contactCol("contact.name", "联系人", []string{"联系人姓名", "联络人"}, rec, func(c *data.Contact) *string { return &c.Name }),
		contactCol("contact.phone", "联系电话", []string{"电话", "联系方式", "固定电话", "办公电话", "座机"}, rec, func(c *data.Contact) *string { return &c.Phone }),
		contactCol("contact.mobile", "手机", []string{"手机号", "手机号码", "移动电话", "联系手机"}, rec, func(c *data.Contact) *string { return &c.Mobile }),
		contactCol("contact.email", "邮箱", []string{"电子邮箱", "联系邮箱", "联系人邮箱", "电子邮件", "email", "e-mail", "mail"}, rec, func(c *data.Contact) *string { return &c.Email }),
		contactCol("contact.fax", "传真", []string{"传真号码", "fax"}, rec, func(c *data.Contact) *string { return &c.Fax }),
		contactCol("contact.qq", "QQ", []string{"qq号", "qq号码"}, rec, func(c *data.Contact) *string { return &c.QQ }),
		contactCol("contact.wechat", "微信", []string{"微信号", "wechat", "weixin"}, rec, func(c *data.Contact) *string { return &c.WeChat }),
		contactCol("contact.address", "地址", []string{"联系地址", "通讯地址", "详细地址", "单位地址"}, rec, func(c *data.Contact) *string { return &c.Address }),
	}
}

// IsContactColumn reports whether a column key is private contact data.
func IsContactColumn(key string) bool { return strings.HasPrefix(key, "contact.") }

// modeSeps also split transfer modes written as 转让/许可 or 转让 许可 (no
// mode has a space in it).
const modeSeps = "/／ \t\u3000"

type (
	ach = data.Achievement
	dem = data.Demand
)

var achievementSchema = newSchema(data.KindAchievement, concat([]column[ach]{
	textCol("id", "成果编号", []string{"编号", "成果id"}, func(a *ach) *string { return &a.ID }),
	textCol("title", "成果名称", []string{"项目名称", "名称", "成果标题", "标题"}, func(a *ach) *string { return &a.Title }),
	textCol("abstract", "成果简介", []string{"简介", "摘要", "成果摘要", "成果介绍"}, func(a *ach) *string { return &a.Abstract }),
	listCol("keywords", "关键词", []string{"关键字"}, "", func(a *ach) *[]string { return &a.Keywords }),
	textCol("discipline", "学科", []string{"所属学科", "学科分类"}, func(a *ach) *string { return &a.Discipline }),
	textCol("field", "技术领域", []string{"领域", "所属领域"}, func(a *ach) *string { return &a.Field }),
	textCol("industry", "行业", []string{"所属行业", "应用行业"}, func(a *ach) *string { return &a.Industry }),
	textCol("institution", "完成单位", []string{"单位", "依托单位", "单位名称", "所属单位", "第一完成单位"}, func(a *ach) *string { return &a.Institution }),
	{
		key: "inventors", label: "完成人", aliases: []string{"发明人", "成果完成人", "主要完成人"},
		get: func(a *ach) string { return formatInventors(a.Inventors) },
		set: func(a *ach, s string) error { a.Inventors = parseInventors(s); return nil },
	},
	textCol("maturity", "成熟度", []string{"技术成熟度", "成熟程度"}, func(a *ach) *string { return &a.Maturity }),
	listCol("transfer_modes", "转化方式", []string{"合作方式", "转让方式", "交易方式"}, modeSeps, func(a *ach) *[]string { return &a.TransferModes }),
	rangeCol("price_wan", "价格（万元）", []string{"价格", "转让价格", "交易价格", "参考价格"}, func(a *ach) **data.Range { return &a.PriceWan }),
	boundCol("price_wan.min", []string{"最低价格", "价格下限"}, false, func(a *ach) **data.Range { return &a.PriceWan }),
	boundCol("price_wan.max", []string{"最高价格", "价格上限"}, true, func(a *ach) **data.Range { return &a.PriceWan }),
	textCol("region.province", "省份", []string{"省", "所在省份"}, func(a *ach) *string { return &a.Region.Province }),
	textCol("region.city", "城市", []string{"市", "地市", "所在城市"}, func(a *ach) *string { return &a.Region.City }),
	textCol("region.county", "区县", []string{"县", "区", "县区"}, func(a *ach) *string { return &a.Region.County }),
	listCol("patents", "专利", []string{"专利号", "相关专利", "专利名称"}, "", func(a *ach) *[]string { return &a.Patents }),
	yearCol("year", "年份", []string{"年度", "完成年份"}, func(a *ach) *int { return &a.Year }),
	dateCol("published", "发布日期", []string{"发布时间"}, func(a *ach) *string { return &a.Published }),
	textCol("status", "状态", []string{"成果状态"}, func(a *ach) *string { return &a.Status }),
}, contactCols(func(a *ach) **data.Contact { return &a.Contact }), []column[ach]{
	textCol("owner", "录入账号", nil, func(a *ach) *string { return &a.Owner }),
	timeCol("created", "创建时间", nil, func(a *ach) *time.Time { return &a.Created }),
	timeCol("updated", "更新时间", nil, func(a *ach) *time.Time { return &a.Updated }),
}),
	func(a *ach) *map[string]json.RawMessage { return &a.Extra },
	(*ach).Normalize,
	func(num int, a *ach, err error) Row { return Row{Num: num, Achievement: a, Err: err} },
)

var demandSchema = newSchema(data.KindDemand, concat([]column[dem]{
	textCol("id", "需求编号", []string{"编号", "需求id"}, func(d *dem) *string { return &d.ID }),
	textCol("title", "需求名称", []string{"需求标题", "名称", "标题", "项目名称"}, func(d *dem) *string { return &d.Title }),
	textCol("description", "需求描述", []string{"需求内容", "描述", "需求简介", "内容", "需求详情"}, func(d *dem) *string { return &d.Description }),
	listCol("keywords", "关键词", []string{"关键字"}, "", func(d *dem) *[]string { return &d.Keywords }),
	textCol("industry", "行业", []string{"所属行业", "需求行业"}, func(d *dem) *string { return &d.Industry }),
	textCol("field", "技术领域", []string{"领域", "所属领域"}, func(d *dem) *string { return &d.Field }),
	textCol("enterprise.name", "企业名称", []string{"单位名称", "企业", "公司名称", "需求单位", "需求企业"}, func(d *dem) *string { return &d.Enterprise.Name }),
	textCol("enterprise.size", "企业规模", nil, func(d *dem) *string { return &d.Enterprise.Size }),
	textCol("enterprise.industry", "企业所属行业", []string{"企业行业"}, func(d *dem) *string { return &d.Enterprise.Industry }),
	textCol("enterprise.credit_code", "统一社会信用代码", []string{"信用代码", "社会信用代码"}, func(d *dem) *string { return &d.Enterprise.CreditCode }),
	textCol("region.province", "省份", []string{"省", "所在省份"}, func(d *dem) *string { return &d.Region.Province }),
	textCol("region.city", "城市", []string{"市", "地市", "所在城市"}, func(d *dem) *string { return &d.Region.City }),
	textCol("region.county", "区县", []string{"县", "区", "县区"}, func(d *dem) *string { return &d.Region.County }),
	rangeCol("budget_wan", "预算（万元）", []string{"预算", "资金预算", "预算金额", "投入预算", "拟投入资金"}, func(d *dem) **data.Range { return &d.BudgetWan }),
	boundCol("budget_wan.min", []string{"最低预算", "预算下限"}, false, func(d *dem) **data.Range { return &d.BudgetWan }),
	boundCol("budget_wan.max", []string{"最高预算", "预算上限"}, true, func(d *dem) **data.Range { return &d.BudgetWan }),
	dateCol("deadline", "截止日期", []string{"截止时间", "有效期至"}, func(d *dem) *string { return &d.Deadline }),
	listCol("modes", "合作方式", []string{"转化方式", "合作模式"}, modeSeps, func(d *dem) *[]string { return &d.Modes }),
	textCol("maturity", "成熟度", []string{"期望成熟度", "技术成熟度"}, func(d *dem) *string { return &d.Maturity }),
	boolCol("challenge", "揭榜挂帅", []string{"是否揭榜挂帅"}, func(d *dem) *bool { return &d.Challenge }),
	amountCol("reward_wan", "揭榜奖励（万元）", []string{"揭榜奖励", "奖励", "奖励金额"}, func(d *dem) *float64 { return &d.RewardWan }),
}, contactCols(func(d *dem) **data.Contact { return &d.Contact }), []column[dem]{
	dateCol("published", "发布日期", []string{"发布时间"}, func(d *dem) *string { return &d.Published }),
	textCol("status", "状态", []string{"需求状态"}, func(d *dem) *string { return &d.Status }),
	textCol("owner", "录入账号", nil, func(d *dem) *string { return &d.Owner }),
	timeCol("created", "创建时间", nil, func(d *dem) *time.Time { return &d.Created }),
	timeCol("updated", "更新时间", nil, func(d *dem) *time.Time { return &d.Updated }),
}),
	func(d *dem) *map[string]json.RawMessage { return &d.Extra },
	(*dem).Normalize,
	func(num int, d *dem, err error) Row { return Row{Num: num, Demand: d, Err: err} },
)

func concat[T any](parts ...[]column[T]) []column[T] {
	var out []column[T]
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}
