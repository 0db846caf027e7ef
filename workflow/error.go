package workflow

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Code classifies an Error; the http layer maps each code to one status.
type Code string

// The error codes of CONTRACT.md.
const (
	CodeBadRequest        Code = "bad_request"
	CodeUnauthenticated   Code = "unauthenticated"
	CodeForbidden         Code = "forbidden"
	CodeNotFound          Code = "not_found"
	CodeInvalidTransition Code = "invalid_transition"
	CodeVersionConflict   Code = "version_conflict"
	CodeConflict          Code = "conflict"
	CodeTooLarge          Code = "too_large"
	CodeInvalid           Code = "invalid"
	CodeLocked            Code = "locked"
	CodeUnsupportedMedia  Code = "unsupported_media_type"
	CodeInternal          Code = "internal"
)

// Text is a message for people, in Chinese first and English second.
type Text struct {
	ZH string
	EN string
}

// In returns the text in the language asked for; anything but English gets Chinese.
func (t Text) In(lang string) string {
	if strings.HasPrefix(lang, "en") && t.EN != "" {
		return t.EN
	}
	return t.ZH
}

// T builds a Text.
func T(zh, en string) Text { return Text{ZH: zh, EN: en} }

// Error is the one error type of bayu: a code, a message for people, and
// per-field messages when input was invalid.
type Error struct {
	Code    Code
	Message Text
	Fields  map[string]Text
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return fmt.Sprintf("%s: %s", e.Code, e.Message.EN)
	}
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + e.Fields[k].EN
	}
	return fmt.Sprintf("%s: %s (%s)", e.Code, e.Message.EN, strings.Join(parts, "; "))
}

// Errorf returns an Error with a code and a bilingual message.
func Errorf(code Code, zh, en string) *Error {
	return &Error{Code: code, Message: T(zh, en)}
}

// ErrorCode returns the code of err, or CodeInternal for errors bayu did not classify.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// FieldErrors collects per-field problems so that a user sees all of them at once.
type FieldErrors map[string]Text

// Add records a problem with one field; the first problem for a field wins.
func (f FieldErrors) Add(field, zh, en string) {
	if _, ok := f[field]; !ok {
		f[field] = T(zh, en)
	}
}

// Err returns nil when nothing was recorded, else an invalid Error naming every field.
func (f FieldErrors) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Code: CodeInvalid, Message: T("输入有误，请检查标出的字段", "some fields are invalid"), Fields: map[string]Text(f)}
}
