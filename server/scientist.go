package server

import (
	"encoding/json"

	"github.com/techmatch/techmatch/data"
)

// checkScientist lets a scientist token (成果方) manage only the
// achievements it created, and no demands.
func checkScientist(tok *data.Token, kind data.Kind, existing data.Record) error {
	if kind != data.KindAchievement {
		return data.Errorf(data.EFORBIDDEN, "成果方账号只能管理自己的科技成果")
	}
	if existing != nil && existing.RecordMeta().Owner != tok.ID {
		return data.Errorf(data.EFORBIDDEN, "这项成果属于其他账号，不能修改或删除")
	}
	return nil
}

// bindInstitution gives a scientist's achievement the token's institution,
// and refuses one naming another institution.
func bindInstitution(tok *data.Token, rec data.Record) error {
	a, ok := rec.(*data.Achievement)
	if !ok || tok == nil || tok.Role != data.RoleScientist || tok.Institution == "" {
		return nil
	}
	switch a.Institution {
	case "":
		a.Institution = tok.Institution
	case tok.Institution:
	default:
		return &data.Error{Code: data.EFORBIDDEN, Message: "成果方账号只能录入本单位（" + tok.Institution + "）的成果",
			Fields: []data.FieldError{{Field: "institution", Message: "应为 " + tok.Institution}}}
	}
	return nil
}

// withWarnings adds warnings (public text that looks like contact data) to
// a record's answer.
func withWarnings(out any, warnings []data.FieldError) any {
	if len(warnings) == 0 {
		return out
	}
	m, ok := out.(map[string]any)
	if !ok {
		buf, err := json.Marshal(out)
		if err != nil {
			return out
		}
		if err := json.Unmarshal(buf, &m); err != nil {
			return out
		}
	}
	m["warnings"] = warnings
	return m
}
