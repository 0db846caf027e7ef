package store

import (
	"context"
	"strings"
	"unicode"

	"bayu/workflow"
)

type metaKey int

const (
	requestMetaKey metaKey = iota
	auditActorKey
)

// requestMeta is where a request came from, carried to every audit record and
// history row written on its behalf.
type requestMeta struct {
	addr, id string
}

// WithRequestMeta returns a context carrying the client's address and the
// request id; the HTTP layer sets it once per request.
func WithRequestMeta(ctx context.Context, clientAddr, requestID string) context.Context {
	return context.WithValue(ctx, requestMetaKey, requestMeta{addr: clean(clientAddr, 100), id: clean(requestID, 200)})
}

// RequestMeta returns the client address and request id carried by ctx, or
// empty strings outside a request (commands, scheduled jobs).
func RequestMeta(ctx context.Context) (clientAddr, requestID string) {
	m, _ := ctx.Value(requestMetaKey).(requestMeta)
	return m.addr, m.id
}

// WithActor returns a context naming who acts, for audit records written by
// methods that take no actor (CreateUser is called by a signed-in coordinator
// or by an operator at a shell).
func WithActor(ctx context.Context, a workflow.Actor) context.Context {
	return context.WithValue(ctx, auditActorKey, a)
}

// actorFrom returns the actor set by WithActor, else the system actor.
func actorFrom(ctx context.Context) workflow.Actor {
	if a, ok := ctx.Value(auditActorKey).(workflow.Actor); ok {
		return a
	}
	return workflow.System
}

// clean makes client-supplied text safe to store and to show: valid UTF-8, no
// control characters (PostgreSQL refuses NUL in text), at most n bytes. An
// X-Request-Id header, for one, is whatever the client sent; a bad one must
// not make a transition fail.
func clean(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		s = strings.Map(func(r rune) rune {
			if unicode.IsControl(r) {
				return -1
			}
			return r
		}, s)
	}
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 { // back up to the start of a rune
		n--
	}
	return s[:n]
}
