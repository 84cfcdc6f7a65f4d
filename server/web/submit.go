package web

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/techmatch/techmatch/data"
)

// submitForm is the demand form: the values as typed and the problems found,
// keyed by the API's field names (title, budget_wan, contact.email …).
type submitForm struct {
	Values   map[string]string
	Errors   map[string]string
	Message  string
	First    string // the first field with a problem, focused on load
	Maturity []string
	Modes    []string
	Chosen   map[string]bool // modes ticked
}

// submitRoles may submit demands, as POST /api/v1/demands.
var submitRoles = []data.Role{data.RoleAdmin, data.RoleBroker, data.RoleEnterprise}

// formFields are the form's inputs in page order; errors are focused in it.
var formFields = []string{"title", "description", "keywords", "field", "industry", "enterprise.name",
	"enterprise.size", "region.province", "region.city", "region.county", "budget_wan", "deadline",
	"modes", "maturity", "contact.name", "contact.phone", "contact.email"}

func newSubmitForm() submitForm {
	return submitForm{Values: map[string]string{"region.province": "吉林省"}, Errors: map[string]string{},
		Maturity: data.MaturityStages, Modes: data.TransferModes, Chosen: map[string]bool{}}
}

func (wb *Workbench) submitPage(w http.ResponseWriter, r *http.Request) {
	if _, ok := wb.needRole(w, r, "提交技术需求", submitRoles...); !ok {
		return
	}
	wb.render(w, r, http.StatusOK, "submit.html", "提交需求", "submit", newSubmitForm())
}

var listSep = regexp.MustCompile(`[,，、;；\s]+`)

func (wb *Workbench) submit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	tok, ok := wb.needRole(w, r, "提交技术需求", submitRoles...)
	if !ok {
		return
	}
	f := newSubmitForm()
	for _, name := range formFields {
		f.Values[name] = strings.TrimSpace(r.PostFormValue(name))
	}
	f.Values["budget_min"] = strings.TrimSpace(r.PostFormValue("budget_min"))
	f.Values["budget_max"] = strings.TrimSpace(r.PostFormValue("budget_max"))
	v := f.Values
	d := data.Demand{
		Title: v["title"], Description: v["description"], Field: v["field"], Industry: v["industry"],
		Enterprise: data.Enterprise{Name: v["enterprise.name"], Size: v["enterprise.size"]},
		Region:     data.Region{Province: v["region.province"], City: v["region.city"], County: v["region.county"]},
		Deadline:   v["deadline"], Maturity: v["maturity"],
	}
	if v["keywords"] != "" {
		d.Keywords = listSep.Split(v["keywords"], -1)
	}
	for _, m := range r.PostForm["modes"] {
		d.Modes = append(d.Modes, m)
		f.Chosen[m] = true
	}
	if c := (data.Contact{Name: v["contact.name"], Phone: v["contact.phone"], Email: v["contact.email"]}); !c.IsZero() {
		d.Contact = &c
	}
	// The budget is the one field typed as numbers: its parse errors join
	// the store's validation errors.
	var parseErrs []data.FieldError
	amount := func(s string) float64 {
		if s == "" {
			return 0
		}
		x, err := strconv.ParseFloat(s, 64)
		if err != nil {
			parseErrs = append(parseErrs, data.FieldError{Field: "budget_wan", Message: "预算应填写数字（单位：万元），例如 50"})
		}
		return x
	}
	if lo, hi := amount(v["budget_min"]), amount(v["budget_max"]); lo != 0 || hi != 0 {
		d.BudgetWan = &data.Range{Min: lo, Max: hi}
	}
	d.Owner = tok.ID
	d.Normalize()
	err := d.Validate()
	if err == nil && len(parseErrs) == 0 {
		recs := []data.Demand{d}
		if _, err = wb.Store.PutDemands(ctx, recs); err == nil {
			if wb.Index != nil {
				if _, err := wb.Index.Sync(ctx); err != nil {
					wb.logger().Error("index sync after a submitted demand", "err", err)
				}
			}
			redirect(w, r, "/demands/"+recs[0].ID+"?new=1")
			return
		}
	}
	if err != nil && data.ErrorCode(err) != data.EINVALID {
		wb.fail(w, r, err)
		return
	}
	for _, fe := range append(data.ErrorFields(err), parseErrs...) {
		name := fieldName(fe.Field)
		if _, dup := f.Errors[name]; dup {
			f.Errors[name] += "；" + fe.Message
		} else {
			f.Errors[name] = fe.Message
		}
	}
	for _, name := range formFields {
		if _, bad := f.Errors[name]; bad {
			f.First = name
			break
		}
	}
	if f.First == "" { // a problem the form has no input for
		f.Message = data.ErrorMessage(err)
	} else {
		f.Message = "需求尚未提交：请按各栏下方的提示修改后再提交"
	}
	wb.render(w, r, http.StatusBadRequest, "submit.html", "提交需求", "submit", f)
}

// fieldName maps an error's field (keywords[2], modes[0]) to its input.
func fieldName(f string) string {
	if i := strings.IndexByte(f, '['); i > 0 {
		f = f[:i]
	}
	return f
}

// input is one field of the demand form as the template draws it.
type input struct {
	Name, Label, Type, Hint, Value, Error string
	Required, Focus                       bool
	Options                               []string
	Min, Max                              string // the budget's two values
}

// Inputs lists the form's fields in page order with values and errors.
func (f submitForm) Inputs() []input {
	spec := []input{
		{Name: "title", Label: "需求名称", Type: "text", Required: true, Hint: "一句话说明要解决的技术问题，最多 200 字"},
		{Name: "description", Label: "需求描述", Type: "textarea", Hint: "现状、目标指标、应用场景"},
		{Name: "keywords", Label: "关键词", Type: "text", Hint: "用逗号或顿号分隔，例如：秸秆、饲料化"},
		{Name: "field", Label: "技术领域", Type: "text", Hint: "例如：现代农业"},
		{Name: "industry", Label: "所属行业", Type: "text"},
		{Name: "enterprise.name", Label: "企业名称", Type: "text"},
		{Name: "enterprise.size", Label: "企业规模", Type: "select", Options: []string{"大型", "中型", "小型", "微型"}},
		{Name: "region.province", Label: "省份", Type: "text"},
		{Name: "region.city", Label: "城市", Type: "text", Hint: "例如：长春市"},
		{Name: "region.county", Label: "区县", Type: "text"},
		{Name: "budget_wan", Label: "预算（万元）", Type: "budget", Hint: "可只填上限或下限"},
		{Name: "deadline", Label: "截止日期", Type: "date"},
		{Name: "modes", Label: "接受的合作方式", Type: "checks", Options: f.Modes},
		{Name: "maturity", Label: "期望成熟度", Type: "select", Options: f.Maturity},
		{Name: "contact.name", Label: "联系人", Type: "text", Hint: "联系方式不公开：只有管理员和本企业能看到，对接双方同意后向对方显示"},
		{Name: "contact.phone", Label: "联系电话", Type: "tel"},
		{Name: "contact.email", Label: "联系邮箱", Type: "email"},
	}
	for i := range spec {
		in := &spec[i]
		in.Value, in.Error, in.Focus = f.Values[in.Name], f.Errors[in.Name], in.Name == f.First
		if in.Type == "budget" {
			in.Min, in.Max = f.Values["budget_min"], f.Values["budget_max"]
		}
	}
	return spec
}
