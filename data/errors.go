package data

import (
	"errors"
	"fmt"
)

// Error codes. They are mapped to HTTP status codes in one table in server/.
const (
	EINVALID      = "invalid"
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
	ENOTFOUND     = "not_found"
	ECONFLICT     = "conflict"
	ETOOLARGE     = "too_large"
	// EPRECONDITION: the record changed since the client read it (If-Match).
	EPRECONDITION = "precondition_failed"
	// ERATELIMIT: too many requests; the client should wait and retry.
	ERATELIMIT = "rate_limited"
	// EUNAVAILABLE: the service is warming up; retry shortly.
	EUNAVAILABLE = "unavailable"
	EINTERNAL    = "internal"
)

// FieldError is one problem with one field of a record, with a Chinese message
// a person can act on.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is an application error: a machine-readable code, a Chinese message
// for people, and for validation errors every problem found at once.
type Error struct {
	Code    string       `json:"code"`
	Message string       `json:"message"`
	Fields  []FieldError `json:"fields,omitempty"`
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return fmt.Sprintf("techmatch error: code=%s message=%s", e.Code, e.Message)
	}
	return fmt.Sprintf("techmatch error: code=%s message=%s fields=%v", e.Code, e.Message, e.Fields)
}

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the people-facing message of err. Internal errors get a
// generic message so that nothing about the system leaks.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "服务器内部错误，请稍后重试"
}

// ErrorFields returns the field problems of the first *Error in err's chain.
func ErrorFields(err error) []FieldError {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// ErrorMessageOrText is for command-line output: an *Error's message, or the
// error's own text for anything else (the operator needs the detail there).
func ErrorMessageOrText(err error) string {
	var e *Error
	if errors.As(err, &e) {
		s := e.Message
		for _, f := range e.Fields {
			s += "\n  " + f.Field + "：" + f.Message
		}
		return s
	}
	return err.Error()
}
