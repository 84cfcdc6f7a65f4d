package data

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits on record sizes. They are generous for real listings and stop
// accidental pastes of whole documents.
const (
	MaxIDLen       = 128
	MaxTitleLen    = 200
	MaxTextLen     = 20000
	MaxKeywords    = 50
	MaxKeywordLen  = 50
	MaxShortLen    = 200
	MaxListLen     = 100
	MaxAmountWan   = 1e7
	DefaultStatus  = "发布中"
	IDPattern      = `^[A-Za-z0-9][A-Za-z0-9._:#-]*$`
	maturityPrefix = "TRL"
)

// Maturity stages (成熟度) in order of readiness: one scale that TRL 1–9
// and the usual Chinese stage names map to (see MaturityStage).
var MaturityStages = []string{"实验室", "小试", "中试", "产业化"}

// maturityAliases are other names of the stages, as records write them.
var maturityAliases = map[string]int{
	"研发": 1, "研发阶段": 1, "实验室阶段": 1, "实验室研究": 1, "基础研究": 1, "理论研究": 1, "原理样机": 1, "概念": 1,
	"小试阶段": 2, "样品": 2, "样机": 2, "初试": 2,
	"中试阶段": 3, "试生产": 3, "工程化": 3, "示范应用": 3,
	"产业化阶段": 4, "已产业化": 4, "批量生产": 4, "量产": 4, "规模化生产": 4, "成熟应用": 4, "推广应用": 4, "工业化": 4,
}

// TransferModes are the ways an achievement can change hands.
var TransferModes = []string{"转让", "许可", "作价入股", "技术服务", "合作开发"}

// Statuses a record may have.
var Statuses = []string{"发布中", "草稿", "已成交", "已下架"}

// EnterpriseSizes are the usual size classes of Chinese enterprises.
var EnterpriseSizes = []string{"大型", "中型", "小型", "微型"}

var idRE = regexp.MustCompile(IDPattern)

// MaturityStage maps a maturity value to 1 (实验室) … 4 (产业化), accepting the
// stage names, their aliases (研发, 小试阶段, 已产业化 …) and TRL levels
// ("TRL6", "trl 6" or "6": 1–3 实验室, 4–5 小试, 6–7 中试, 8–9 产业化); 0
// means unknown or empty.
func MaturityStage(s string) int {
	s = strings.TrimSpace(s)
	for i, m := range MaturityStages {
		if s == m {
			return i + 1
		}
	}
	if st, ok := maturityAliases[s]; ok {
		return st
	}
	t := strings.TrimSpace(strings.TrimPrefix(strings.ToUpper(s), maturityPrefix))
	n, err := strconv.Atoi(t)
	if err != nil || n < 1 || n > 9 {
		return 0
	}
	switch {
	case n <= 3:
		return 1
	case n <= 5:
		return 2
	case n <= 7:
		return 3
	}
	return 4
}

// MaturityName returns the stage name of a maturity value, or "" if unknown.
func MaturityName(s string) string {
	if st := MaturityStage(s); st > 0 {
		return MaturityStages[st-1]
	}
	return ""
}

// ParseDate accepts 2006-01-02, 2006/01/02, 2006-01 and 2006.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02", "2006/01/02", "2006-1-2", "2006/1/2", "2006-01", "2006", time.RFC3339} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("bad date %q", s)
}

type checker struct{ errs []FieldError }

func (c *checker) add(field, format string, args ...any) {
	c.errs = append(c.errs, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

func (c *checker) err(kind Kind) error {
	if len(c.errs) == 0 {
		return nil
	}
	return &Error{
		Code:    EINVALID,
		Message: fmt.Sprintf("%s有 %d 处需要修改", kind.Label(), len(c.errs)),
		Fields:  c.errs,
	}
}

func (c *checker) id(id string) {
	switch {
	case id == "":
		// The store assigns one.
	case len(id) > MaxIDLen:
		c.add("id", "编号过长：最多 %d 个字符", MaxIDLen)
	case !idRE.MatchString(id):
		c.add("id", "编号 %q 含有不允许的字符：只能用英文字母、数字和 . _ : # -", id)
	}
}

func (c *checker) title(s string) {
	switch n := utf8.RuneCountInString(s); {
	case strings.TrimSpace(s) == "":
		c.add("title", "名称不能为空")
	case n > MaxTitleLen:
		c.add("title", "名称过长：%d 个字，最多 %d 个字", n, MaxTitleLen)
	}
}

func (c *checker) text(field, label, s string, max int) {
	if n := utf8.RuneCountInString(s); n > max {
		c.add(field, "%s过长：%d 个字，最多 %d 个字", label, n, max)
	}
	if !utf8.ValidString(s) {
		c.add(field, "%s含有无效的字符编码，请以 UTF-8 或 GB18030 保存后重新提交", label)
	}
}

func (c *checker) keywords(kw []string) {
	if len(kw) > MaxKeywords {
		c.add("keywords", "关键词过多：%d 个，最多 %d 个", len(kw), MaxKeywords)
	}
	for i, k := range kw {
		if utf8.RuneCountInString(k) > MaxKeywordLen {
			c.add(fmt.Sprintf("keywords[%d]", i), "关键词“%s”过长：最多 %d 个字", k, MaxKeywordLen)
		}
	}
}

func (c *checker) maturity(field, s string) {
	if s != "" && MaturityStage(s) == 0 {
		c.add(field, "成熟度“%s”无法识别：应为 实验室、小试、中试、产业化 之一，或 TRL1–TRL9", s)
	}
}

func (c *checker) modes(field string, modes []string) {
	if len(modes) > len(TransferModes) {
		c.add(field, "转化方式过多：最多 %d 个", len(TransferModes))
	}
	for i, m := range modes {
		if !slices.Contains(TransferModes, m) {
			c.add(fmt.Sprintf("%s[%d]", field, i), "转化方式“%s”无法识别：应为 %s 之一", m, strings.Join(TransferModes, "、"))
		}
	}
}

func (c *checker) amount(field, label string, r *Range) {
	if r == nil {
		return
	}
	bad := func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v > MaxAmountWan }
	if bad(r.Min) || bad(r.Max) {
		c.add(field, "%s应在 0 到 %.0f 万元之间", label, MaxAmountWan)
		return
	}
	if r.Max > 0 && r.Min > r.Max {
		c.add(field, "%s下限（%g 万元）高于上限（%g 万元），请检查是否填反", label, r.Min, r.Max)
	}
}

func (c *checker) date(field, label, s string) {
	if s == "" {
		return
	}
	if _, err := ParseDate(s); err != nil {
		c.add(field, "%s“%s”不是有效日期：请写成 2024-05-01 的格式", label, s)
	}
}

func (c *checker) status(s string) {
	if s != "" && !slices.Contains(Statuses, s) {
		c.add("status", "状态“%s”无法识别：应为 %s 之一", s, strings.Join(Statuses, "、"))
	}
}

func (c *checker) short(field, label, s string) {
	if n := utf8.RuneCountInString(s); n > MaxShortLen {
		c.add(field, "%s过长：%d 个字，最多 %d 个字", label, n, MaxShortLen)
	}
}

func (c *checker) contact(k *Contact) {
	if k == nil {
		return
	}
	c.short("contact.name", "联系人", k.Name)
	c.short("contact.phone", "联系电话", k.Phone)
	c.short("contact.mobile", "手机", k.Mobile)
	c.short("contact.email", "联系邮箱", k.Email)
	c.short("contact.fax", "传真", k.Fax)
	c.short("contact.qq", "QQ", k.QQ)
	c.short("contact.wechat", "微信", k.WeChat)
	c.short("contact.address", "地址", k.Address)
	if e := k.Email; e != "" && !strings.Contains(e, "@") {
		c.add("contact.email", "联系邮箱“%s”格式不正确", e)
	}
}

func (c *checker) region(field string, r Region) {
	c.short(field+".province", "省份", r.Province)
	c.short(field+".city", "城市", r.City)
	c.short(field+".county", "区县", r.County)
}

// Validate checks an achievement and returns every problem at once as an
// *Error with code EINVALID, or nil.
func (a *Achievement) Validate() error {
	var c checker
	c.id(a.ID)
	c.title(a.Title)
	c.text("abstract", "成果简介", a.Abstract, MaxTextLen)
	c.keywords(a.Keywords)
	c.short("discipline", "学科", a.Discipline)
	c.short("field", "技术领域", a.Field)
	c.short("industry", "行业", a.Industry)
	c.short("institution", "完成单位", a.Institution)
	if len(a.Inventors) > MaxListLen {
		c.add("inventors", "完成人过多：最多 %d 位", MaxListLen)
	}
	for i, p := range a.Inventors {
		if strings.TrimSpace(p.Name) == "" {
			c.add(fmt.Sprintf("inventors[%d].name", i), "第 %d 位完成人缺少姓名", i+1)
		}
	}
	c.maturity("maturity", a.Maturity)
	c.modes("transfer_modes", a.TransferModes)
	c.amount("price_wan", "转让价格", a.PriceWan)
	c.region("region", a.Region)
	if len(a.Patents) > MaxListLen {
		c.add("patents", "专利过多：最多 %d 项", MaxListLen)
	}
	if a.Year != 0 && (a.Year < 1900 || a.Year > 2100) {
		c.add("year", "年份 %d 不合理：应在 1900 到 2100 之间", a.Year)
	}
	c.date("published", "发布日期", a.Published)
	c.status(a.Status)
	c.extra(a.Extra)
	c.contact(a.Contact)
	return c.err(KindAchievement)
}

// Validate checks a demand and returns every problem at once as an *Error
// with code EINVALID, or nil.
func (d *Demand) Validate() error {
	var c checker
	c.id(d.ID)
	c.title(d.Title)
	c.text("description", "需求描述", d.Description, MaxTextLen)
	c.keywords(d.Keywords)
	c.short("industry", "行业", d.Industry)
	c.short("field", "技术领域", d.Field)
	c.short("enterprise.name", "企业名称", d.Enterprise.Name)
	c.short("enterprise.size", "企业规模", d.Enterprise.Size)
	c.region("region", d.Region)
	c.amount("budget_wan", "预算", d.BudgetWan)
	c.date("deadline", "截止日期", d.Deadline)
	c.modes("modes", d.Modes)
	c.maturity("maturity", d.Maturity)
	if d.RewardWan < 0 || d.RewardWan > MaxAmountWan || math.IsNaN(d.RewardWan) {
		c.add("reward_wan", "揭榜奖励应在 0 到 %.0f 万元之间", MaxAmountWan)
	}
	if d.RewardWan > 0 && !d.Challenge {
		c.add("reward_wan", "只有揭榜挂帅需求（challenge 为 true）才能设置揭榜奖励")
	}
	c.contact(d.Contact)
	c.date("published", "发布日期", d.Published)
	c.status(d.Status)
	c.extra(d.Extra)
	return c.err(KindDemand)
}

// Normalize trims white space, drops empty and repeated keywords, and maps
// TRL maturity values to stage names; it never changes meaning.
func (a *Achievement) Normalize() {
	a.ID = strings.TrimSpace(a.ID)
	a.Title = strings.TrimSpace(a.Title)
	a.Abstract = strings.TrimSpace(a.Abstract)
	a.Keywords = normalizeList(a.Keywords)
	a.TransferModes = normalizeList(a.TransferModes)
	a.Institution = strings.TrimSpace(a.Institution)
	a.Maturity = normalMaturity(a.Maturity)
	if a.Contact != nil && a.Contact.IsZero() {
		a.Contact = nil
	}
}

// normalMaturity is a maturity value on the one scale of MaturityStages;
// a value not recognised stays as written.
func normalMaturity(s string) string {
	s = strings.TrimSpace(s)
	if n := MaturityName(s); n != "" {
		return n
	}
	return s
}

// Normalize trims white space, drops empty and repeated keywords, and maps
// maturity values to stage names.
func (d *Demand) Normalize() {
	d.ID = strings.TrimSpace(d.ID)
	d.Title = strings.TrimSpace(d.Title)
	d.Description = strings.TrimSpace(d.Description)
	d.Keywords = normalizeList(d.Keywords)
	d.Modes = normalizeList(d.Modes)
	d.Enterprise.Name = strings.TrimSpace(d.Enterprise.Name)
	d.Maturity = normalMaturity(d.Maturity)
	d.Expired = false // shown, never stored
	if d.Contact != nil && d.Contact.IsZero() {
		d.Contact = nil
	}
}

func normalizeList(in []string) []string {
	if len(in) == 0 {
		return nil
	}
	out := in[:0:0]
	seen := map[string]bool{}
	for _, s := range in {
		s = strings.TrimSpace(s)
		if s == "" || seen[s] {
			continue
		}
		seen[s] = true
		out = append(out, s)
	}
	return out
}

// RecordPtr is *Achievement or *Demand: what a store's generic code needs
// of a record type T.
type RecordPtr[T any] interface {
	*T
	Record
}

// ValidateBatch normalizes and validates every record of a batch before a
// store writes any of it. When the batch has more than one record, the
// failing record's number (from 1) is put before the message.
func ValidateBatch[T any, P RecordPtr[T]](recs []T) error {
	for i := range recs {
		p := P(&recs[i])
		p.Normalize()
		if err := p.Validate(); err != nil {
			if len(recs) > 1 {
				if e, ok := err.(*Error); ok {
					e.Message = fmt.Sprintf("第 %d 条：%s", i+1, e.Message)
				}
			}
			return err
		}
	}
	return nil
}
