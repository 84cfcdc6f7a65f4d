package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"github.com/techmatch/techmatch/data"
)

// decodeJSON decodes a request body into v with errors a person can act on:
// invalid UTF-8 is refused (encoding/json would silently turn it into
// U+FFFD), and a value of the wrong type names the field and the type
// expected ("budget_wan.max 应为数字"). Unknown fields are kept by v's
// own UnmarshalJSON (records keep extra fields).
func decodeJSON(body []byte, v any, label string) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return data.Errorf(data.EINVALID, "请求体为空：请提交%s的 JSON", label)
	}
	if err := checkUTF8(body); err != nil {
		return err
	}
	if err := json.Unmarshal(body, v); err != nil {
		return jsonError(err, label)
	}
	return nil
}

// decodeBody reads a JSON body into v, refusing unknown fields so that a
// misspelt option is reported rather than ignored. An empty body leaves v
// as it is.
func decodeBody(c *gin.Context, what string, v any) error {
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return err
		}
		return data.Errorf(data.EINVALID, "请求体未能读完（连接中断？），请重试")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	if err := checkUTF8(body); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err, what)
	}
	if dec.More() {
		return data.Errorf(data.EINVALID, "请求体中%s JSON 之后还有多余内容", what)
	}
	return nil
}

func checkUTF8(body []byte) error {
	if utf8.Valid(body) {
		return nil
	}
	return data.Errorf(data.EINVALID, "请求体含有无效的 UTF-8 编码（第 %d 字节处）：请以 UTF-8 编码提交", invalidUTF8Offset(body)+1)
}

// jsonError says in Chinese, without Go's wording, what is wrong with a
// JSON body of what (a label such as 技术需求).
func jsonError(err error, what string) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	var dataErr *data.Error
	switch {
	case errors.As(err, &dataErr):
		return dataErr // from a type's own UnmarshalJSON, already Chinese
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			return data.Errorf(data.EINVALID, "请求体应为一个%s JSON 对象（{…}）", what)
		}
		msg := fmt.Sprintf("应为%s", jsonTypeName(typeErr.Type.Kind().String()))
		return &data.Error{Code: data.EINVALID, Message: field + " " + msg,
			Fields: []data.FieldError{{Field: field, Message: msg}}}
	case errors.As(err, &syntaxErr):
		return data.Errorf(data.EINVALID, "请求体不是有效的 JSON：第 %d 字节附近有语法错误，请检查引号、逗号和括号", syntaxErr.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return data.Errorf(data.EINVALID, "请求体不是完整的 JSON：在结尾处中断，请检查括号是否成对")
	}
	// encoding/json has no type for an unknown field: read its name.
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		if uq, uerr := strconv.Unquote(name); uerr == nil {
			name = uq
		}
		msg := "没有这个字段：请检查拼写（各接口的字段见 /openapi.json）"
		return &data.Error{Code: data.EINVALID, Message: fmt.Sprintf("%s不认识字段 %s：请检查拼写（各接口的字段见 /openapi.json）", what, name),
			Fields: []data.FieldError{{Field: name, Message: msg}}}
	}
	return data.Errorf(data.EINVALID, "请求体不是有效的%s JSON", what)
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
