package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/techmatch/techmatch/data"
)

// decodeJSON decodes a request body into v with errors a person can act on:
// invalid UTF-8 is refused (encoding/json would silently turn it into
// U+FFFD), and a value of the wrong type names the field and the type
// expected ("budget_wan.max 应为数字").
func decodeJSON(body []byte, v any, label string) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return data.Errorf(data.EINVALID, "请求体为空：请提交%s的 JSON", label)
	}
	if !utf8.Valid(body) {
		off := invalidUTF8Offset(body)
		return data.Errorf(data.EINVALID, "请求体含有无效的 UTF-8 编码（第 %d 字节处）：请以 UTF-8 编码提交", off+1)
	}
	err := json.Unmarshal(body, v)
	if err == nil {
		return nil
	}
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			return data.Errorf(data.EINVALID, "请求体应为一个%s JSON 对象", label)
		}
		msg := fmt.Sprintf("应为%s", jsonTypeName(typeErr.Type.Kind().String()))
		return &data.Error{Code: data.EINVALID, Message: field + " " + msg,
			Fields: []data.FieldError{{Field: field, Message: msg}}}
	case errors.As(err, &syntaxErr):
		return data.Errorf(data.EINVALID, "请求体不是有效的 JSON：第 %d 字节附近有语法错误", syntaxErr.Offset)
	}
	return data.Errorf(data.EINVALID, "请求体不是有效的%s JSON", label)
}

func invalidUTF8Offset(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// jsonTypeName names a Go kind as a person writing JSON knows it.
func jsonTypeName(kind string) string {
	switch kind {
	case "string":
		return "文字（带引号的字符串）"
	case "bool":
		return "true 或 false"
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64":
		return "整数"
	case "float32", "float64":
		return "数字"
	case "slice", "array":
		return "数组（[…]）"
	case "map", "struct", "ptr":
		return "对象（{…}）"
	}
	return "其他类型"
}
