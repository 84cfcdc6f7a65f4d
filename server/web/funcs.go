package web

import (
	"fmt"
	"html"
	"html/template"
	"sort"
	"strings"

	"github.com/techmatch/techmatch/data"
)

var funcs = template.FuncMap{
	"roleLabel": roleLabel,
	"kindLabel": func(k data.Kind) string { return k.Label() },
	"markTerms": markTerms,
	"snippet":   snippet,
	"score":     func(x float64) string { return fmt.Sprintf("%.2f", x) },
	"percent":   func(x float64) string { return fmt.Sprintf("%.0f%%", x*100) },
	"join":      strings.Join,
	"eventType": eventType,
	"regKind": func(k string) string {
		if k == data.RegScientist {
			return "科研方"
		}
		return "企业"
	},
	"contains": func(list []string, s string) bool {
		for _, x := range list {
			if x == s {
				return true
			}
		}
		return false
	},
	"add":      func(a, b int) int { return a + b },
	"verdict":  verdictLabel,
	"listKind": data.ListKindLabel,
	"fieldOf": func(f *form, name, label, typ string, required bool) formField {
		return formField{Name: name, Label: label, Type: typ, Required: required, Value: f.Values[name], Error: f.Errors[name]}
	},
	"sourceLabel": data.SourceLabel,
	"auditAction": auditAction,
	"cfield": func(p pairingPage, name, label, typ, hint string) input {
		return input{Name: name, Label: label, Type: typ, Hint: hint, Value: p.Form[name], Error: p.Errors[name]}
	},
	"rng": func(r *data.Range) string {
		switch {
		case r == nil || (r.Min == 0 && r.Max == 0):
			return ""
		case r.Max == 0:
			return fmt.Sprintf("%g 万元以上", r.Min)
		case r.Min == 0:
			return fmt.Sprintf("%g 万元以内", r.Max)
		}
		return fmt.Sprintf("%g–%g 万元", r.Min, r.Max)
	},
}

func roleLabel(r data.Role) string {
	switch r {
	case data.RoleAdmin:
		return "管理员"
	case data.RoleBroker:
		return "技术经纪人"
	case data.RoleOrganiser:
		return "活动组织方"
	case data.RoleEnterprise:
		return "企业"
	case data.RoleScientist:
		return "成果方"
	}
	return string(r)
}

func auditAction(a string) string {
	switch a {
	case data.AuditPairingCreate:
		return "创建对接"
	case data.AuditPairingTransfer:
		return "变更状态"
	case data.AuditPairingUpdate:
		return "修改对接"
	case data.AuditPairingImport:
		return "导入对接"
	case data.AuditContactReveal:
		return "显示联系方式"
	}
	return a
}

func eventType(t string) string {
	switch t {
	case data.EventRoadshow:
		return "科技成果路演"
	case data.EventSalon:
		return "科学家企业家交流沙龙"
	case data.EventChallenge:
		return "揭榜挂帅发布"
	}
	return t
}

// markTerms escapes text and wraps every occurrence of the terms in <mark>,
// longest terms first.
func markTerms(text string, terms []string) template.HTML {
	ts := make([]string, 0, len(terms))
	for _, t := range terms {
		if t = strings.TrimSpace(t); t != "" {
			ts = append(ts, t)
		}
	}
	sort.Slice(ts, func(i, j int) bool { return len(ts[i]) > len(ts[j]) })
	var b strings.Builder
	lower := strings.ToLower(text)
	for i := 0; i < len(text); {
		hit := 0
		for _, t := range ts {
			if strings.HasPrefix(lower[i:], strings.ToLower(t)) {
				hit = len(t)
				break
			}
		}
		if hit > 0 {
			b.WriteString("<mark>")
			b.WriteString(html.EscapeString(text[i : i+hit]))
			b.WriteString("</mark>")
			i += hit
			continue
		}
		j := i + 1
		for j < len(text) && text[j]&0xC0 == 0x80 { // keep UTF-8 sequences whole
			j++
		}
		b.WriteString(html.EscapeString(text[i:j]))
		i = j
	}
	return template.HTML(b.String())
}

// snippet returns the index's highlight of a field (matched words in
// <mark>, the rest escaped by the index), or the escaped plain text when
// there is none. A highlight with any other markup is escaped whole.
func snippet(hl map[string][]string, field, plain string) template.HTML {
	if frags := hl[field]; len(frags) > 0 {
		s := strings.Join(frags, " … ")
		bare := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(s)
		if !strings.ContainsAny(bare, "<>") {
			return template.HTML(s)
		}
	}
	return template.HTML(html.EscapeString(plain))
}

// pageTemplates are the pages, each parsed with the layout.
var pageTemplates = []string{"home.html", "login.html", "search.html", "record.html", "submit.html",
	"events.html", "event.html", "pending.html", "error.html",
	"pairings.html", "pairing.html", "brokers.html", "broker.html", "stats.html", "challenges.html", "challenge.html"}

func parsePages() map[string]*template.Template {
	out := map[string]*template.Template{}
	for _, p := range pageTemplates {
		t := template.New(p).Funcs(funcs)
		out[p] = template.Must(t.ParseFS(templateFS, "templates/layout.html", "templates/"+p))
	}
	return out
}

// formField is one input of a small form (the "field" template).
type formField struct {
	Name, Label, Type, Value, Error string
	Required                        bool
}
