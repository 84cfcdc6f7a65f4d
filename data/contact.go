package data

import (
	"fmt"
	"regexp"
)

// contactLike finds text that looks like a phone number or an e-mail
// address: a mainland mobile (1[3-9] + 9 digits), a landline with an area
// code (0431-8888888), or user@host.
var contactLike = regexp.MustCompile(`(?:^|[^0-9])(1[3-9][0-9]{9}|0[1-9][0-9]{1,2}[- ]?[0-9]{7,8})(?:[^0-9]|$)|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}`)

// ContactWarnings reports public text fields of rec that look like they
// hold a phone number or an e-mail address: public text is shown to
// everyone, so contact data there is not protected.
func ContactWarnings(rec Record) []FieldError {
	var fields [][2]string
	switch r := rec.(type) {
	case *Achievement:
		fields = [][2]string{{"title", r.Title}, {"abstract", r.Abstract}, {"institution", r.Institution}}
		for i, p := range r.Inventors {
			fields = append(fields, [2]string{fmt.Sprintf("inventors[%d].name", i), p.Name})
		}
	case *Demand:
		fields = [][2]string{{"title", r.Title}, {"description", r.Description}, {"enterprise.name", r.Enterprise.Name}}
	}
	var out []FieldError
	for _, f := range fields {
		if m := contactLike.FindString(f[1]); m != "" {
			out = append(out, FieldError{Field: f[0], Message: "公开字段中似乎含有电话或邮箱，所有人都能看到；请移到联系方式（contact）中"})
		}
	}
	return out
}
