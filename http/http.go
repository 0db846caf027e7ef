// Package http serves bayu's JSON API (and later its UI) over the store.
package http

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"bayu/workflow"
)

// statusOf maps each error code to its HTTP status: the one place this is decided.
var statusOf = map[workflow.Code]int{
	workflow.CodeBadRequest:        http.StatusBadRequest,
	workflow.CodeUnauthenticated:   http.StatusUnauthorized,
	workflow.CodeForbidden:         http.StatusForbidden,
	workflow.CodeNotFound:          http.StatusNotFound,
	workflow.CodeInvalidTransition: http.StatusConflict,
	workflow.CodeVersionConflict:   http.StatusConflict,
	workflow.CodeConflict:          http.StatusConflict,
	workflow.CodeTooLarge:          http.StatusRequestEntityTooLarge,
	workflow.CodeInvalid:           http.StatusUnprocessableEntity,
	workflow.CodeLocked:            http.StatusTooManyRequests,
	workflow.CodeUnsupportedMedia:  http.StatusUnsupportedMediaType,
	workflow.CodeInternal:          http.StatusInternalServerError,
}

type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    workflow.Code     `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// lang is the language a request asks for: ?lang=en, else Accept-Language, else Chinese.
func lang(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l != "" {
		return l
	}
	al := strings.ToLower(r.Header.Get("Accept-Language"))
	if strings.HasPrefix(al, "en") {
		return "en"
	}
	return "zh"
}

// writeError answers with the error JSON of CONTRACT.md. Unclassified errors are
// logged in full and shown to the user only as a plain message.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var e *workflow.Error
	if !errors.As(err, &e) {
		s.log.ErrorContext(r.Context(), "internal error", "err", err, "path", r.URL.Path)
		e = workflow.Errorf(workflow.CodeInternal, "服务器内部错误，请稍后重试", "internal server error, please try again later")
	}
	l := lang(r)
	body := errorBody{Error: errorDetail{Code: e.Code, Message: e.Message.In(l)}}
	if len(e.Fields) > 0 {
		body.Error.Fields = make(map[string]string, len(e.Fields))
		for k, v := range e.Fields {
			body.Error.Fields[k] = v.In(l)
		}
	}
	status, ok := statusOf[e.Code]
	if !ok {
		status = http.StatusInternalServerError
	}
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// handlerFunc is a handler that returns its error; handle writes it.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

func (s *Server) handle(fn handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			s.writeError(w, r, err)
		}
	}
}
