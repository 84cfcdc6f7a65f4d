package data

import (
	"encoding/json"
	"strconv"
	"time"
)

// AmountText renders an amount range in 万元 as a person reads it:
// 990–1450万元, 300万元, 200万元以上 (open above), 15万元以内 (only a
// maximum), 面议 (none).
func AmountText(r *Range) string {
	if r == nil || (r.Min <= 0 && r.Max <= 0) {
		return "面议"
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	switch {
	case r.Max <= 0:
		return f(r.Min) + "万元以上"
	case r.Min <= 0:
		return f(r.Max) + "万元以内"
	case r.Min == r.Max:
		return f(r.Min) + "万元"
	}
	return f(r.Min) + "–" + f(r.Max) + "万元"
}

// MarshalJSON writes a range with its reading: {"min":200,"max":0,
// "text":"200万元以上"}. The text is ignored when read back.
func (r Range) MarshalJSON() ([]byte, error) {
	type plain struct {
		Min  float64 `json:"min"`
		Max  float64 `json:"max"`
		Text string  `json:"text"`
	}
	return json.Marshal(plain{r.Min, r.Max, AmountText(&r)})
}

// PastDeadline reports whether a demand's deadline is before the day of
// now (已过期); a demand without a deadline never expires.
func (d *Demand) PastDeadline(now time.Time) bool {
	if d.Deadline == "" {
		return false
	}
	t, err := ParseDate(d.Deadline)
	if err != nil {
		return false
	}
	y, m, day := now.Date()
	return t.Before(time.Date(y, m, day, 0, 0, 0, 0, t.Location()))
}

// ExpiredLabel is how an expired demand is marked where it is shown.
const ExpiredLabel = "已过期"
