package http

import (
	"encoding/json"
	"reflect"
	"strings"
	"time"

	"bayu/store"
	"bayu/workflow"
)

// schemaOf describes a Go type as JSON Schema (the 2020-12 dialect of OpenAPI 3.1),
// following encoding/json's rules: json tags, embedded structs inlined, pointers
// and nil slices may be null.
type schemaBuilder struct {
	defs map[string]any
}

var (
	timeType    = reflect.TypeFor[time.Time]()
	dateType    = reflect.TypeFor[workflow.Date]()
	rawType     = reflect.TypeFor[json.RawMessage]()
	enumsByType = map[reflect.Type]func() []string{
		reflect.TypeFor[workflow.State](): func() []string { return stringsOf(workflow.States()) },
		reflect.TypeFor[workflow.Event](): func() []string {
			return append(append(stringsOf(workflow.Events()), string(workflow.CreateEvent), "edit", string(store.RenewEvent)),
				stringsOf(workflow.Actions())...)
		},
		reflect.TypeFor[workflow.Method](): func() []string { return append([]string{""}, stringsOf(workflow.Methods)...) },
		reflect.TypeFor[workflow.Role](): func() []string {
			return append(append([]string{""}, stringsOf(workflow.Roles)...), string(workflow.Public))
		},
		reflect.TypeFor[workflow.ContentType](): func() []string {
			return []string{"", "craft_work", "historical", "production_equipment", "competition"}
		},
		reflect.TypeFor[workflow.Intake](): func() []string { return []string{"campaign", "regular"} },
	}
)

func stringsOf[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

// ref returns a reference to the named component for struct types, the inline schema otherwise.
func (b *schemaBuilder) ref(t reflect.Type) map[string]any {
	if t.Kind() == reflect.Pointer {
		return nullable(b.ref(t.Elem()))
	}
	if t.Kind() == reflect.Struct && t != timeType && t != dateType {
		name := t.Name()
		if _, done := b.defs[name]; !done {
			b.defs[name] = nil // break cycles while building
			b.defs[name] = b.object(t)
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	}
	return b.inline(t)
}

func (b *schemaBuilder) inline(t reflect.Type) map[string]any {
	if enum, ok := enumsByType[t]; ok {
		return map[string]any{"type": "string", "enum": enum()}
	}
	switch {
	case t == timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case t == dateType:
		return map[string]any{"type": []string{"string", "null"}, "format": "date"}
	case t == rawType:
		return map[string]any{}
	}
	switch t.Kind() {
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice, reflect.Array:
		return nullable(map[string]any{"type": "array", "items": b.ref(t.Elem())})
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": b.ref(t.Elem())}
	case reflect.Interface:
		return map[string]any{}
	}
	return map[string]any{}
}

// object describes a struct: every field encoding/json always writes is required.
func (b *schemaBuilder) object(t reflect.Type) map[string]any {
	props := map[string]any{}
	var required []string
	b.fields(t, props, &required)
	o := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		o["required"] = required
	}
	return o
}

func (b *schemaBuilder) fields(t reflect.Type, props map[string]any, required *[]string) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			b.fields(f.Type, props, required)
			continue
		}
		if name == "" {
			name = f.Name
		}
		props[name] = b.ref(f.Type)
		if !strings.Contains(opts, "omitempty") {
			*required = append(*required, name)
		}
	}
}

// nullable lets a schema also be null (a Go nil pointer or nil slice).
func nullable(s map[string]any) map[string]any {
	if _, isRef := s["$ref"]; isRef {
		return map[string]any{"anyOf": []any{s, map[string]any{"type": "null"}}}
	}
	switch t := s["type"].(type) {
	case string:
		s["type"] = []string{t, "null"}
	case nil:
		// any value, null included
	}
	return s
}
