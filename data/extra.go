package data

import (
	"encoding/json"
	"fmt"
	"sort"
)

// Bounds on the fields a record carries that this version does not know
// (Extra): they are stored and served with every record, so one careless
// paste must not make every page heavy.
const (
	MaxExtraFields = 32
	MaxExtraBytes  = 8 << 10
	MaxExtraDepth  = 4
)

// extraDepth returns how deeply arrays and objects nest in a JSON value
// (0 for a scalar).
func extraDepth(raw json.RawMessage) int {
	depth, deepest := 0, 0
	inString, escaped := false, false
	for _, b := range raw {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case b == '\\':
				escaped = true
			case b == '"':
				inString = false
			}
		case b == '"':
			inString = true
		case b == '[' || b == '{':
			depth++
			deepest = max(deepest, depth)
		case b == ']' || b == '}':
			depth--
		}
	}
	return deepest
}

func (c *checker) extra(extra map[string]json.RawMessage) {
	if len(extra) > MaxExtraFields {
		c.add("extra", "附加字段过多：%d 个，最多 %d 个", len(extra), MaxExtraFields)
	}
	names := make([]string, 0, len(extra))
	for k := range extra {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		raw := extra[k]
		field := k
		if len(field) > 64 {
			field = field[:64] + "…"
		}
		if len(k) > MaxShortLen {
			c.add(field, "附加字段名过长：最多 %d 个字符", MaxShortLen)
		}
		if len(raw) > MaxExtraBytes {
			c.add(field, "附加字段“%s”过大：%s，最多 %d KB", field, sizeText(len(raw)), MaxExtraBytes>>10)
		}
		if d := extraDepth(raw); d > MaxExtraDepth {
			c.add(field, "附加字段“%s”嵌套过深：%d 层，最多 %d 层", field, d, MaxExtraDepth)
		}
	}
}

func sizeText(n int) string {
	if n < 1<<10 {
		return fmt.Sprintf("%d 字节", n)
	}
	return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
}
